package cache

// evictExpiredLocked removes expired sessions; the caller holds the write lock.
func (s *Sessions) evictExpiredLocked() int {
	now := s.clock()
	removed := 0
	for id, sess := range s.items {
		if !sess.ExpiresAt.After(now) {
			delete(s.items, id)
			removed++
		}
	}
	if removed > 0 {
		s.logf("evicted %d expired session(s)", removed)
	}
	return removed
}
