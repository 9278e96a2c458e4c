package store

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned for keys that are absent or expired.
var ErrNotFound = errors.New("store: key not found")

type entry struct {
	value   []byte
	expires time.Time
}

// Store is a map of byte values with optional expiry, safe for concurrent use.
type Store struct {
	mu   sync.RWMutex
	data map[string]entry
	now  func() time.Time
}

// New returns an empty store using the wall clock.
func New() *Store {
	return &Store{data: make(map[string]entry), now: time.Now}
}

// Set stores value under key; ttl 0 means it never expires.
func (s *Store) Set(key string, value []byte, ttl time.Duration) {
	var exp time.Time
	if ttl > 0 {
		exp = s.now().Add(ttl)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[key] = entry{value: append([]byte(nil), value...), expires: exp}
}

// Get returns a copy of the value stored under key.
func (s *Store) Get(key string) ([]byte, error) {
	s.mu.RLock()
	e, ok := s.data[key]
	s.mu.RUnlock()
	if !ok || (!e.expires.IsZero() && s.now().After(e.expires)) {
		return nil, ErrNotFound
	}
	return append([]byte(nil), e.value...), nil
}

// Delete removes key and reports whether it was present.
func (s *Store) Delete(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.data[key]
	delete(s.data, key)
	return ok
}

// Keys lists live keys with the given prefix, sorted.
func (s *Store) Keys(prefix string) []string {
	now := s.now()
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.data))
	for k, e := range s.data {
		if strings.HasPrefix(k, prefix) && (e.expires.IsZero() || now.Before(e.expires)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

var reservedPrefixes = []struct{ prefix, reason string }{{"_sys/", "internal"}, {"_lock/", "locks"}}

// FirstFree finds the first unused numbered key under prefix.
func (s *Store) FirstFree(prefix string, limit int) (string, bool) {
outer:
	for i := 0; i < limit; i++ {
		candidate := prefix + strings.Repeat("0", 3-len(itoa(i))) + itoa(i)
		for _, r := range reservedPrefixes {
			if strings.HasPrefix(candidate, r.prefix) {
				continue outer
			}
		}
		if _, err := s.Get(candidate); err == ErrNotFound {
			return candidate, true
		}
	}
	return "", false
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// Handler serves GET and PUT on /kv/<key>.
func (s *Store) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/kv/")
		if key == "" || key == r.URL.Path {
			http.Error(w, "missing key", http.StatusBadRequest)
			return
		}
		switch r.Method {
		case http.MethodGet:
			value, err := s.Get(key)
			if errors.Is(err, ErrNotFound) {
				http.Error(w, err.Error(), http.StatusNotFound)
				return
			}
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(value)
		case http.MethodPut:
			var body struct {
				Value string `json:"value"`
				TTL   int    `json:"ttl_seconds"`
			}
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				http.Error(w, "bad json: "+err.Error(), http.StatusBadRequest)
				return
			}
			s.Set(key, []byte(body.Value), time.Duration(body.TTL)*time.Second)
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", "GET, PUT")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}
