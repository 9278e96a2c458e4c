package cache

import (
	"log"
	"sync"
	"time"
)

// base carries what every cache in this package shares: a lock, a clock and
// a logger. Caches embed it, so its methods are promoted onto them.
type base struct {
	sync.RWMutex
	name   string
	now    func() time.Time
	logger *log.Logger
}

func (b *base) logf(format string, args ...any) {
	if b.logger != nil {
		b.logger.Printf(b.name+": "+format, args...)
	}
}

func (b *base) clock() time.Time {
	if b.now == nil {
		return time.Now()
	}
	return b.now()
}
