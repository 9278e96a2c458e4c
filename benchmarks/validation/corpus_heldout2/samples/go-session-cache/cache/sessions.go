// Package cache keeps recently used sessions in memory.
package cache

import (
	"log"
	"time"
)

// Session is a logged-in user's session.
type Session struct {
	ID        string
	UserID    int64
	ExpiresAt time.Time
}

// Sessions is an expiring map of sessions.
type Sessions struct {
	base
	items map[string]Session
	max   int
}

// NewSessions returns a cache holding at most max sessions.
func NewSessions(max int, logger *log.Logger) *Sessions {
	return &Sessions{
		base:  base{name: "sessions", logger: logger},
		items: make(map[string]Session, max),
		max:   max,
	}
}

// Get returns a live session.
func (s *Sessions) Get(id string) (Session, bool) {
	s.RLock()
	defer s.RUnlock()
	sess, ok := s.items[id]
	if !ok || !sess.ExpiresAt.After(s.clock()) {
		return Session{}, false
	}
	return sess, true
}

// Put stores a session, evicting expired ones when full.
func (s *Sessions) Put(sess Session) {
	s.Lock()
	defer s.Unlock()
	if len(s.items) >= s.max {
		s.evictExpiredLocked()
	}
	if len(s.items) >= s.max {
		s.logf("full (%d), dropping session of user %d", s.max, sess.UserID)
		return
	}
	s.items[sess.ID] = sess
}

// Delete forgets a session.
func (s *Sessions) Delete(id string) {
	s.Lock()
	delete(s.items, id)
	s.Unlock()
}
