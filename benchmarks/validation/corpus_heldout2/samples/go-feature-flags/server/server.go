// Package server answers flag queries over HTTP.
package server

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/orchard/flags/flags"
)

// Server holds the current flag set; Reload swaps it atomically.
type Server struct {
	mu  sync.RWMutex
	set flags.Set
}

// Reload replaces the flags from path.
func (s *Server) Reload(path string) error {
	set, err := flags.LoadFile(path)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.set = set
	s.mu.Unlock()
	return nil
}

// ServeHTTP answers GET /?flag=...&user=... with {"on": bool}.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.RLock()
	on := s.set.On(q.Get("flag"), q.Get("user"))
	s.mu.RUnlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]bool{"on": on})
}
