package notify

import (
	"context"
	"fmt"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// EmailSender sends reminders through an SMTP relay.
type EmailSender struct {
	Addr     string
	From     string
	Username string
	Password string
}

// Send implements Sender.
func (s *EmailSender) Send(ctx context.Context, r Reminder) (Receipt, error) {
	if r.Email == "" {
		return Receipt{}, fmt.Errorf("patient %s has no e-mail address", r.PatientName)
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return Receipt{}, fmt.Errorf("smtp address %q: %w", s.Addr, err)
	}
	id := fmt.Sprintf("<%d.reminder@%s>", time.Now().UnixNano(), host)
	msg := strings.Join([]string{
		"From: " + s.From,
		"To: " + r.Email,
		"Subject: Appointment reminder",
		"Message-ID: " + id,
		"Content-Type: text/plain; charset=utf-8",
		"",
		text(r),
	}, "\r\n")

	done := make(chan error, 1)
	go func() {
		auth := smtp.PlainAuth("", s.Username, s.Password, host)
		done <- smtp.SendMail(s.Addr, auth, s.From, []string{r.Email}, []byte(msg))
	}()
	select {
	case err := <-done:
		if err != nil {
			return Receipt{}, fmt.Errorf("send mail to %s: %w", r.Email, err)
		}
		return Receipt{Channel: "email", ProviderID: id, SentAt: time.Now()}, nil
	case <-ctx.Done():
		return Receipt{}, ctx.Err()
	}
}
