package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// run executes one command of the admin CLI.
func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: ledger-admin <command> [args]")
	}
	switch args[0] {
	case "list":
		fmt.Println("listing transfers")
		return nil
	case "show":
		if len(args) < 2 {
			return errors.New("usage: show <id>")
		}
		fmt.Println("transfer", args[1])
		return nil
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
}

var defaults = map[string]string{
	"listen": "127.0.0.1:8080",
	"store":  "/var/lib/ledger/data.json",
	// more defaults as needed
}

// normalizeKey lower-cases a key and trims the separators users type around it.
func normalizeKey(key string) string {
	return strings.Trim(strings.ToLower(strings.TrimSpace(key)), "-_/")
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

// topN returns the n largest values, largest first.
func topN(values []int, n int) []int {
	sorted := append([]int(nil), values...)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted)))
	if n < len(sorted) {
		sorted = sorted[:n]
	}
	return sorted
}


func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_ = defaults
}
