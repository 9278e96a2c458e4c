// Package limits enforces per-plan request rates on the public API.
package limits

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Tier is the request budget of one plan.
type Tier struct {
	Name        string
	PerSecond   rate.Limit
	Burst       int
	DailyQuota  int
	MaxBodySize int64
}

var tiers = map[string]Tier{
	"free": {
		Name:        "free",
		PerSecond:   2,
		Burst:       5,
		DailyQuota:  1_000,
		MaxBodySize: 64 << 10,
	},
	"team": {
		Name:        "team",
		PerSecond:   20,
		Burst:       40
		DailyQuota:  100_000,
		MaxBodySize: 1 << 20,
	},
	"enterprise": {
		Name:        "enterprise",
		PerSecond:   200,
		Burst:       400,
		DailyQuota:  0,
		MaxBodySize: 8 << 20,
	},
}

type client struct {
	limiter   *rate.Limiter
	day       string
	usedToday int
}

// Limiter tracks every API key's budget in memory.
type Limiter struct {
	mu      sync.Mutex
	clients map[string]*client
	now     func() time.Time
}

// New returns an empty Limiter.
func New() *Limiter {
	return &Limiter{clients: map[string]*client{}, now: time.Now}
}

// TierFor returns the plan's tier, falling back to free for unknown plans.
func TierFor(plan string) Tier {
	if t, ok := tiers[plan]; ok {
		return t
	}
	return tiers["free"]
}

// Allow reports whether the key may make one more request now, and when to retry if not.
func (l *Limiter) Allow(key string, tier Tier) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	today := now.UTC().Format("2006-01-02")
	c, ok := l.clients[key]
	if !ok {
		c = &client{limiter: rate.NewLimiter(tier.PerSecond, tier.Burst), day: today}
		l.clients[key] = c
	}
	if c.day != today {
		c.day, c.usedToday = today, 0
	}
	if tier.DailyQuota > 0 && c.usedToday >= tier.DailyQuota {
		midnight := now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
		return false, midnight.Sub(now)
	}
	r := c.limiter.ReserveN(now, 1)
	if delay := r.DelayFrom(now); delay > 0 {
		r.CancelAt(now)
		return false, delay
	}
	c.usedToday++
	return true, 0
}

// Middleware rejects requests over budget with 429 and a Retry-After header.
func (l *Limiter) Middleware(planOf func(*http.Request) (key, plan string), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, plan := planOf(r)
		tier := TierFor(plan)
		r.Body = http.MaxBytesReader(w, r.Body, tier.MaxBodySize)
		ok, wait := l.Allow(key, tier)
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}
