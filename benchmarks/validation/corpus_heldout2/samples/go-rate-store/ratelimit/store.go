// Package ratelimit counts requests per key in fixed windows.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store counts hits per key and window.
type Store interface {
	// Incr adds one hit and returns the count in the current window.
	Incr(ctx context.Context, key string, window time.Duration) (int64, error)
	// Close releases the store's resources.
	Close() error
}

// RedisStore shares counts between instances.
type RedisStore struct {
	client *redis.Client
}

// NewRedisStore wraps a client.
func NewRedisStore(client *redis.Client) *RedisStore { return &RedisStore{client: client} }

// Incr implements Store.
func (s *RedisStore) Incr(ctx context.Context, key string, window time.Duration) (int64, error) {
	bucket := time.Now().Truncate(window).Unix()
	k := "rl:" + key + ":" + time.Unix(bucket, 0).UTC().Format("20060102T150405")
	pipe := s.client.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, window+time.Second)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, err
	}
	return incr.Val(), nil
}

// Close implements Store.
func (s *RedisStore) Close() error { return s.client.Close() }

// MemoryStore is the single-instance store used when no Redis is configured.
type MemoryStore struct {
	mu     sync.Mutex
	counts map[string]int64
	bucket map[string]int64
}

// NewMemoryStore returns an empty in-process store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{counts: map[string]int64{}, bucket: map[string]int64{}}
}

// Incr implements Store.
func (s *MemoryStore) Incr(_ context.Context, key string, window time.Duration) (int64, error) {
	b := time.Now().Truncate(window).Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bucket[key] != b {
		s.bucket[key] = b
		s.counts[key] = 0
	}
	s.counts[key]++
	return s.counts[key], nil
}

// Close implements Store. The memory store holds no connection or file, so
// there is nothing to release.
func (s *MemoryStore) Close() error { return nil }

// Limiter allows up to Max hits per Window.
type Limiter struct {
	Store  Store
	Max    int64
	Window time.Duration
}

// Allow reports whether key is still under its limit.
func (l Limiter) Allow(ctx context.Context, key string) (bool, error) {
	n, err := l.Store.Incr(ctx, key, l.Window)
	if err != nil {
		return false, err
	}
	return n <= l.Max, nil
}
