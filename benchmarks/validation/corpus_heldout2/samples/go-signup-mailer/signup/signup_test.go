package signup

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// fakeAccounts and fakeMailer stand in for the database and SMTP relay so the
// tests exercise Register's own logic.
type fakeAccounts struct {
	existing map[string]bool
	created  []string
}

func (f *fakeAccounts) Exists(ctx context.Context, email string) (bool, error) {
	return f.existing[email], nil
}

func (f *fakeAccounts) Create(ctx context.Context, email, tok string) (int64, error) {
	f.created = append(f.created, email)
	return int64(len(f.created)), nil
}

type fakeMailer struct {
	sent []string
	fail error
}

func (f *fakeMailer) Send(ctx context.Context, to, subject, body string) error {
	if f.fail != nil {
		return f.fail
	}
	f.sent = append(f.sent, to+"|"+body)
	return nil
}

func TestRegisterSendsLink(t *testing.T) {
	acc := &fakeAccounts{existing: map[string]bool{}}
	ml := &fakeMailer{}
	s := &Service{Accounts: acc, Mailer: ml, BaseURL: "https://kettle.example/"}
	id, err := s.Register(context.Background(), "  Ada <ADA@Example.org> ")
	if err != nil {
		t.Fatal(err)
	}
	if id != 1 || len(ml.sent) != 1 || !strings.HasPrefix(ml.sent[0], "ada@example.org|Open https://kettle.example/confirm?token=") {
		t.Fatalf("got id %d, sent %v", id, ml.sent)
	}
}

func TestRegisterRejectsTakenAddress(t *testing.T) {
	acc := &fakeAccounts{existing: map[string]bool{"ada@example.org": true}}
	s := &Service{Accounts: acc, Mailer: &fakeMailer{}}
	if _, err := s.Register(context.Background(), "ada@example.org"); !errors.Is(err, ErrTaken) {
		t.Fatalf("want ErrTaken, got %v", err)
	}
}

func TestRegisterReportsMailFailure(t *testing.T) {
	acc := &fakeAccounts{existing: map[string]bool{}}
	s := &Service{Accounts: acc, Mailer: &fakeMailer{fail: errors.New("relay down")}}
	id, err := s.Register(context.Background(), "bob@example.org")
	if err == nil || id != 1 {
		t.Fatalf("want the account id and an error, got %d, %v", id, err)
	}
}
