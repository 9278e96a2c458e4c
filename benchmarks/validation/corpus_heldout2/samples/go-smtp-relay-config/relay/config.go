// Package relay configures the outbound SMTP relay.
package relay

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// Config of the relay. Zero values are meaningful: no TLS client
// certificate, no upstream proxy, no rate limit.
type Config struct {
	Listen         string        `json:"listen"`
	Upstream       string        `json:"upstream"`
	MaxMessageSize int64         `json:"maxMessageSize"`
	Timeout        time.Duration `json:"timeout"`
	ClientCert     string        `json:"clientCert"`
	Proxy          string        `json:"proxy"`
	RatePerMinute  int           `json:"ratePerMinute"`
	AllowedDomains []string      `json:"allowedDomains"`
}

// Defaults are used for every field the file leaves out.
func Defaults() Config {
	return Config{
		Listen:         "127.0.0.1:2525",
		Upstream:       "smtp.internal:587",
		MaxMessageSize: 25 << 20,
		Timeout:        30 * time.Second,
		// The remaining fields keep their zero values on purpose (see Config).
	}
}

// Load reads path over the defaults. A missing file means "all defaults".
func Load(path string) (Config, error) {
	cfg := Defaults()
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return cfg, nil
	case err != nil:
		return cfg, fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return cfg, fmt.Errorf("parse %s: %w", path, err)
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	var problems []error
	if c.Listen == "" {
		problems = append(problems, errors.New("listen is empty"))
	}
	if c.MaxMessageSize <= 0 {
		problems = append(problems, errors.New("maxMessageSize must be positive"))
	}
	if c.RatePerMinute < 0 {
		problems = append(problems, errors.New("ratePerMinute cannot be negative"))
	}
	return errors.Join(problems...)
}

// Describe summarises the config for the startup log.
func (c Config) Describe() string {
	var tls string
	switch {
	case c.ClientCert != "":
		tls = "client certificate " + c.ClientCert
	default:
		// No client certificate: STARTTLS with server authentication only,
		// which is what the internal upstream expects.
		tls = "STARTTLS"
	}
	return fmt.Sprintf("listen %s, upstream %s (%s), max %d MiB", c.Listen, c.Upstream, tls, c.MaxMessageSize>>20)
}
