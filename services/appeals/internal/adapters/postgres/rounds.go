package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
)

// rounds runs the numbering step for the registrations of this process that committed at about
// the same time, once for all of them (group commit): a call joins the next round, which starts
// after it joined, so the step sees its appeal committed. While one round runs, the calls that
// arrive wait together for the next one, instead of each taking the numbering lock in turn.
type rounds struct {
	step func(context.Context) (map[uuid.UUID]numbered, error)

	mu      sync.Mutex
	running bool
	next    *round // the round the next calls join; nil until one joins
}

// numbered is what a round gave one appeal.
type numbered struct {
	number  string
	version int64
}

type round struct {
	done chan struct{}
	got  map[uuid.UUID]numbered
	err  error
}

// roundTimeout bounds one numbering step, which runs for several callers (none's deadline).
const roundTimeout = 30 * time.Second

// join waits for a round that starts after the call and returns what it numbered.
func (g *rounds) join(ctx context.Context) (map[uuid.UUID]numbered, error) {
	g.mu.Lock()
	if g.next == nil {
		g.next = &round{done: make(chan struct{})}
	}
	rd := g.next
	if !g.running {
		g.running, g.next = true, nil
		go g.run(rd)
	}
	g.mu.Unlock()
	select {
	case <-rd.done:
		return rd.got, rd.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run runs rd, then the rounds joined meanwhile, until none is waiting.
func (g *rounds) run(rd *round) {
	for rd != nil {
		ctx, cancel := context.WithTimeout(context.Background(), roundTimeout)
		rd.got, rd.err = g.step(ctx)
		cancel()
		close(rd.done)
		g.mu.Lock()
		rd, g.next = g.next, nil
		if rd == nil {
			g.running = false
		}
		g.mu.Unlock()
	}
}
