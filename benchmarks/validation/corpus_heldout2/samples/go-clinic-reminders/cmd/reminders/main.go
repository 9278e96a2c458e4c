package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/northclinic/reminders/notify"
)

func main() {
	senders := []notify.Sender{
		&notify.EmailSender{Addr: os.Getenv("SMTP_ADDR"), From: "reminders@northclinic.example",
			Username: os.Getenv("SMTP_USER"), Password: os.Getenv("SMTP_PASSWORD")},
		&notify.SMSSender{BaseURL: "https://api.sms-gateway.example/v1", AccountSID: os.Getenv("SMS_SID"),
			AuthToken: os.Getenv("SMS_TOKEN"), From: "+4930123456", Client: &http.Client{Timeout: 10 * time.Second}},
	}
	r := notify.Reminder{PatientName: "Test", Email: os.Getenv("TEST_EMAIL"), Phone: os.Getenv("TEST_PHONE"),
		At: time.Now().Add(24 * time.Hour), Clinic: "North Clinic"}
	for _, s := range senders {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		receipt, err := s.Send(ctx, r)
		cancel()
		if err != nil {
			log.Printf("send failed: %v", err)
			continue
		}
		log.Printf("sent %s %s", receipt.Channel, receipt.ProviderID)
	}
}
