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

// SplitKey separates "namespace:name"; keys without a colon live in "default".
func SplitKey(key string) (string, string) {
	if ns, name, ok := strings.Cut(key, ":"); ok {
		return ns, name
	}
	return "default", key
}

// SameNamespace compares namespaces the way users type them.
func SameNamespace(a, b string) bool {
	na, _ := SplitKey(a)
	nb, _ := SplitKey(b)
	return strings.EqualFold(na, nb)
}

// Prune drops expired entries and reports how many went.
func (s *Store) Prune() int {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, e := range s.data {
		if !e.expires.IsZero() && !now.Before(e.expires) {
			delete(s.data, k)
			n++
		}
	}
	return n
}

// Age returns how long ago t was, never negative.
func Age(t time.Time) time.Duration {
	return time.Since(t).Truncate(time.Second).Abs()
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
