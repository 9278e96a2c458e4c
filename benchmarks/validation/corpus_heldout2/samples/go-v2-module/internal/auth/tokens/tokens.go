// Package tokens signs and verifies short-lived HMAC tokens.
package tokens

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

var (
	ErrMalformed = errors.New("malformed token")
	ErrExpired   = errors.New("token expired")
	ErrSignature = errors.New("bad signature")
)

// Signer issues tokens for a subject.
type Signer struct {
	Key []byte
	TTL time.Duration
	Now func() time.Time
}

func (s Signer) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s Signer) mac(msg string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Issue returns "subject.expiry.signature".
func (s Signer) Issue(subject string) string {
	msg := subject + "." + strconv.FormatInt(s.now().Add(s.TTL).Unix(), 10)
	return msg + "." + s.mac(msg)
}

// Verify returns the subject of a valid token.
func (s Signer) Verify(token string) (string, error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", ErrMalformed
	}
	msg, sig := token[:i], token[i+1:]
	j := strings.LastIndexByte(msg, '.')
	if j < 0 {
		return "", ErrMalformed
	}
	exp, err := strconv.ParseInt(msg[j+1:], 10, 64)
	if err != nil {
		return "", ErrMalformed
	}
	if !hmac.Equal([]byte(sig), []byte(s.mac(msg))) {
		return "", ErrSignature
	}
	if s.now().Unix() > exp {
		return "", ErrExpired
	}
	return msg[:j], nil
}
