package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
)

// run executes one command of the admin CLI.
func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: staffing-admin <command> [args]")
	}
	switch args[0] {
	case "list":
		fmt.Println("listing employees")
		return nil
	case "show":
		if len(args) < 2 {
			return errors.New("usage: show <id>")
		}
		fmt.Println("employee", args[1])
		return nil
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
}

var defaults = map[string]string{
	"listen": "127.0.0.1:8080",
	"store":  "/var/lib/staffing/data.json",
	"log":    "info",
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


func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	_ = defaults
}
