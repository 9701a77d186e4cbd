package testkit

import (
	"sync"
	"time"
)

// Clock is a service's clock in a test: real time moved forward by what the test advanced, so
// deadlines and daily jobs can be reached without waiting. Safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is real time plus the advance so far.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// AdvanceTo moves the clock to t; never back.
func (c *Clock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := time.Until(t) - c.offset; d > 0 {
		c.offset += d
	}
}
