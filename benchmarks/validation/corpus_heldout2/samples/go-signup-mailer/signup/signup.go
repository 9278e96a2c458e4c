// Package signup registers accounts and sends the confirmation mail.
package signup

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// ErrTaken is returned when the address already has an account.
var ErrTaken = errors.New("address already registered")

// Mailer sends one message.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Accounts persists accounts.
type Accounts interface {
	Exists(ctx context.Context, email string) (bool, error)
	Create(ctx context.Context, email, confirmToken string) (int64, error)
}

// Service signs users up.
type Service struct {
	Accounts Accounts
	Mailer   Mailer
	BaseURL  string
}

func token() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Register creates the account and mails a confirmation link.
func (s *Service) Register(ctx context.Context, address string) (int64, error) {
	parsed, err := mail.ParseAddress(strings.TrimSpace(address))
	if err != nil {
		return 0, fmt.Errorf("invalid address: %w", err)
	}
	email := strings.ToLower(parsed.Address)
	taken, err := s.Accounts.Exists(ctx, email)
	if err != nil {
		return 0, err
	}
	if taken {
		return 0, ErrTaken
	}
	tok, err := token()
	if err != nil {
		return 0, err
	}
	id, err := s.Accounts.Create(ctx, email, tok)
	if err != nil {
		return 0, err
	}
	link := fmt.Sprintf("%s/confirm?token=%s", strings.TrimRight(s.BaseURL, "/"), tok)
	if err := s.Mailer.Send(ctx, email, "Confirm your account", "Open "+link+" to confirm."); err != nil {
		return id, fmt.Errorf("account %d created but confirmation mail failed: %w", id, err)
	}
	return id, nil
}
