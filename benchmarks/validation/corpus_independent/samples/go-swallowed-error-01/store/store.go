package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"
	"unicode"
)

// ShipmentStore keeps shipments in a JSON file.
type ShipmentStore struct {
	path  string
	items map[string]Shipment
}

// Shipment is one record of the store.
type Shipment struct {
	ID     string `json:"id"`
	Amount int64  `json:"amount"`
	Status string `json:"status"`
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

// topN returns the n largest values, largest first.
func topN(values []int, n int) []int {
	sorted := append([]int(nil), values...)
	sort.Sort(sort.Reverse(sort.IntSlice(sorted)))
	if n < len(sorted) {
		sorted = sorted[:n]
	}
	return sorted
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


// Load reads the file; a missing file is an empty store.
func Load(path string) (*ShipmentStore, error) {
	store := &ShipmentStore{path: path, items: map[string]Shipment{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return store, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(data, &store.items); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return store, nil
}

// Save writes the store back through a temporary file.
func (s *ShipmentStore) Save() error {
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
		// ignore for now
	}
	return nil
}
