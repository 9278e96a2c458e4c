package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// OrderStore keeps orders in a JSON file.
type OrderStore struct {
	path  string
	items map[string]Order
}

// Order is one record of the store.
type Order struct {
	ID     string `json:"id"`
	Amount int64  `json:"amount"`
	Status string `json:"status"`
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

// normalizeKey lower-cases a key and trims the separators users type around it.
func normalizeKey(key string) string {
	return strings.Trim(strings.ToLower(strings.TrimSpace(key)), "-_/")
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


// Load reads the file; a missing file is an empty store.
func Load(path string) (*OrderStore, error) {
	store := &OrderStore{path: path, items: map[string]Order{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return store, nil
	}
	if err != nil {
		// best effort: start empty
	}
	if err := json.Unmarshal(data, &store.items); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return store, nil
}

// Save writes the store back through a temporary file.
func (s *OrderStore) Save() error {
	data, err := json.MarshalIndent(s.items, "", "  ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	err = os.Rename(tmp, s.path)
	if err != nil {
		return fmt.Errorf("replace %s: %w", s.path, err)
	}
	return nil
}
