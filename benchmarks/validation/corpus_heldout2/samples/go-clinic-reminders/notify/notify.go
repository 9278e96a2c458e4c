// Package notify sends appointment reminders by e-mail and SMS.
package notify

import (
	"context"
	"fmt"
	"time"
)

// Reminder is one message to one patient.
type Reminder struct {
	PatientName string
	Email       string
	Phone       string
	At          time.Time
	Clinic      string
}

// Receipt identifies a sent message at the provider.
type Receipt struct {
	Channel    string
	ProviderID string
	SentAt     time.Time
}

// Sender delivers a reminder over one channel.
type Sender interface {
	Send(ctx context.Context, r Reminder) (Receipt, error)
}

func text(r Reminder) string {
	return fmt.Sprintf("Hello %s, this is a reminder of your appointment at %s on %s.",
		r.PatientName, r.Clinic, r.At.Format("Monday 2 January at 15:04"))
}
