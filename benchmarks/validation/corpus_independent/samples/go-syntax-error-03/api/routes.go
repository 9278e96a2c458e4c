package api

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

type route struct {
	method  string
	pattern string
	name    string
}

var routes = []route{
	{method: "GET", pattern: "/readings", name: "list"},
	{method: "POST", pattern: "/readings", name: "create"},
	{method: "GET", pattern: "/readings/{id}", name: "show"},
	{method: "DELETE", pattern: "/readings/{id}", name: "delete"},
}

var statusText = map[int]string{
	200: "ok",
	201: "created",
	404: "not found",
}

// backoff returns the wait before retry number attempt (1-based), capped at max.
func backoff(attempt int, base, max time.Duration) time.Duration {
	wait := base
	for i := 1; i < attempt; i++ {
		wait *= 2
		if wait >= max {
			return max
		}
	}
	return wait
}

// normalizeKey lower-cases a key and trims the separators users type around it.
func normalizeKey(key string) string {
	return strings.Trim(strings.ToLower(strings.TrimSpace(key)), "-_/")
}

// counter is a goroutine-safe tally of named events.
type counter struct {
	mu     sync.Mutex
	counts map[string]int
}

func newCounter() *counter {
	return &counter{counts: make(map[string]int)}
}

func (c *counter) add(name string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[name] += n
}

func (c *counter) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[name]
}

// parseCents reads "12.50" as 1250.
func parseCents(text string) (int64, error) {
	whole, frac, found := cut(text, ".")
	units, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse %q: %w", text, err)
	}
	cents := int64(0)
	if found {
		if len(frac) > 2 {
			return 0, fmt.Errorf("parse %q: more than two decimals", text)
		}
		for len(frac) < 2 {
			frac += "0"
		}
		cents, err = strconv.ParseInt(frac, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parse %q: %w", text, err)
		}
	}
	return units*100 + cents, nil
}

func cut(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

// isValidCode accepts upper-case letters and digits, 4 to 12 of them.
func isValidCode(code string) bool {
	if len(code) < 4 || len(code) > 12 {
		return false
	}
	for _, r := range code {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}


// describe prints the routing table for the startup log.
func describe() string {
	out := ""
	for _, r := range routes {
		out += fmt.Sprintf("%-6s %-20s %s\n", r.method, r.pattern, r.name)
	}
	if len(out) == 0 {
		out = "no routes\n"
	}
	else {
		out += fmt.Sprintf("%d routes, %d status texts\n", len(routes), len(statusText))
	}
	return out
}
