package outbox

import (
	"context"
	"errors"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

func TestCommittedEventsArriveOnceInOrder(t *testing.T) {
	e := newEnv(t)
	ensureTestStream(t, e.nc.JS, 0)
	startRelay(t, e.pool, e.nc.JS, fastRelay, nil)
	startConsumer(t, e.pool, e.nc.JS)
	ctx := ctxT(t)

	// The trace of the request that made the event reaches the handler.
	traceID := trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	sc := trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled})
	tctx := trace.ContextWithSpanContext(ctx, sc)
	addEvents(t, tctx, e.pool, 0, 10)

	rolledBack := errors.New("rolled back")
	err := pgdb.InTx(ctx, e.pool, func(tx pgx.Tx) error {
		if _, err := Add(ctx, tx, testSubject, wrapperspb.Int64(999)); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	addEvents(t, tctx, e.pool, 10, 20)

	waitEffects(t, e.pool, seq(0, 20))
	waitConsumerDone(t, e.nc.JS, testStream, testDurable)
	if got := effects(t, e.pool); len(got) != 20 {
		t.Fatalf("effects after settling = %v", got)
	}
	if n := testkit.StreamMsgs(t, e.nc.JS, testStream); n != 20 {
		t.Errorf("stream holds %d messages, want 20", n)
	}
	if n := testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM effects WHERE trace_id <> $1`, traceID.String()); n != 0 {
		t.Errorf("%d effects lost the trace context", n)
	}
	testkit.Eventually(t, 5*time.Second, func() bool {
		return testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`) == 0
	})
	if n := testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox`); n != 20 {
		t.Errorf("outbox holds %d rows, want 20 (the rolled-back one never existed)", n)
	}
}

// The relay dies after JetStream acked a batch and before marking it sent: the
// next relay publishes it again, and the effect still happens once — by
// Nats-Msg-Id dedupe inside the window, by the inbox after it.
func TestRelayDiesAfterAck(t *testing.T) {
	for _, tc := range []struct {
		name      string
		dupWindow time.Duration
		wantMsgs  uint64 // in the stream after the second relay
	}{
		{"within duplicate window", 0, 5},
		{"after duplicate window", 200 * time.Millisecond, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ensureTestStream(t, e.nc.JS, tc.dupWindow)
			startConsumer(t, e.pool, e.nc.JS)
			ctx := ctxT(t)
			addEvents(t, ctx, e.pool, 0, 5)

			died := make(chan struct{})
			var once sync.Once
			stop := startRelay(t, e.pool, e.nc.JS, fastRelay, func() error {
				once.Do(func() { close(died) })
				return errors.New("relay killed after ack")
			})
			select {
			case <-died:
			case <-time.After(10 * time.Second):
				t.Fatal("relay never got an ack")
			}
			stop()
			if n := testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); n != 5 {
				t.Fatalf("%d unsent rows after the crash, want 5", n)
			}
			if n := testkit.StreamMsgs(t, e.nc.JS, testStream); n != 5 {
				t.Fatalf("stream holds %d messages, want 5", n)
			}
			waitEffects(t, e.pool, seq(0, 5))

			time.Sleep(3 * tc.dupWindow) // let the window pass, if short
			startRelay(t, e.pool, e.nc.JS, fastRelay, nil)
			testkit.Eventually(t, 10*time.Second, func() bool {
				return testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`) == 0
			})
			if n := testkit.StreamMsgs(t, e.nc.JS, testStream); n != tc.wantMsgs {
				t.Fatalf("stream holds %d messages, want %d", n, tc.wantMsgs)
			}
			waitConsumerDone(t, e.nc.JS, testStream, testDurable)
			waitEffects(t, e.pool, seq(0, 5))
		})
	}
}

func TestBrokerOutage(t *testing.T) {
	e := newEnv(t)
	ensureTestStream(t, e.nc.JS, 0)
	startRelay(t, e.pool, e.nc.JS, fastRelay, nil)
	startConsumer(t, e.pool, e.nc.JS)
	ctx := ctxT(t)

	addEvents(t, ctx, e.pool, 0, 5)
	waitEffects(t, e.pool, seq(0, 5))

	e.srv.Stop(t)
	addEvents(t, ctx, e.pool, 5, 15) // the service keeps working: events wait in the outbox
	time.Sleep(500 * time.Millisecond)
	if n := testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`); n != 10 {
		t.Fatalf("%d unsent rows during the outage, want 10", n)
	}
	e.srv.Start(t)

	waitEffects(t, e.pool, seq(0, 15))
	waitConsumerDone(t, e.nc.JS, testStream, testDurable)
	waitEffects(t, e.pool, seq(0, 15))
	if n := testkit.StreamMsgs(t, e.nc.JS, testStream); n != 15 {
		t.Errorf("stream holds %d messages, want 15", n)
	}
}

// Two relays on one table: SKIP LOCKED gives every row to one of them, so
// nothing is even sent twice (counted on the wire, before JetStream dedupe).
func TestTwoRelaysPublishOnce(t *testing.T) {
	e := newEnv(t)
	ensureTestStream(t, e.nc.JS, 0)

	var mu sync.Mutex
	seen := map[string]int{}
	sub, err := e.nc.NC.Subscribe(testSubject, func(m *nats.Msg) {
		mu.Lock()
		seen[m.Header.Get(jetstream.MsgIDHeader)]++
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	if err := e.nc.NC.Flush(); err != nil {
		t.Fatal(err)
	}

	cfg := fastRelay
	cfg.BatchSize = 3 // many small batches, so the relays really interleave
	startRelay(t, e.pool, e.nc.JS, cfg, nil)
	startRelay(t, e.pool, e.nc.JS, cfg, nil)

	ctx := ctxT(t)
	var wg sync.WaitGroup
	var ids [4][]string
	for w := range 4 {
		wg.Go(func() {
			for v := int64(w * 25); v < int64(w*25+25); v++ {
				err := pgdb.InTx(ctx, e.pool, func(tx pgx.Tx) error {
					id, err := Add(ctx, tx, testSubject, wrapperspb.Int64(v))
					ids[w] = append(ids[w], id.String())
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	testkit.Eventually(t, 15*time.Second, func() bool {
		return testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`) == 0
	})
	testkit.Eventually(t, 5*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(seen) == 100 })
	time.Sleep(200 * time.Millisecond) // a late duplicate would show up now
	mu.Lock()
	defer mu.Unlock()
	for _, w := range ids {
		for _, id := range w {
			if seen[id] != 1 {
				t.Errorf("event %s published %d times", id, seen[id])
			}
		}
	}
	if n := testkit.StreamMsgs(t, e.nc.JS, testStream); n != 100 {
		t.Errorf("stream holds %d messages, want 100", n)
	}
}

// Replay republishes the retained rows; past the duplicate window JetStream
// stores them again, and the consumer's inbox absorbs them.
func TestReplayChangesNothing(t *testing.T) {
	e := newEnv(t)
	dup := 200 * time.Millisecond
	ensureTestStream(t, e.nc.JS, dup)
	startRelay(t, e.pool, e.nc.JS, fastRelay, nil)
	startConsumer(t, e.pool, e.nc.JS)
	ctx := ctxT(t)

	start := time.Now().Add(-time.Second)
	addEvents(t, ctx, e.pool, 0, 5)
	waitEffects(t, e.pool, seq(0, 5))
	testkit.Eventually(t, 5*time.Second, func() bool {
		return testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`) == 0
	})

	time.Sleep(3 * dup)
	n, err := Replay(ctx, e.pool, start)
	if err != nil || n != 5 {
		t.Fatalf("Replay = %d, %v; want 5 rows", n, err)
	}
	testkit.Eventually(t, 10*time.Second, func() bool { return testkit.StreamMsgs(t, e.nc.JS, testStream) == 10 })
	waitConsumerDone(t, e.nc.JS, testStream, testDurable)
	waitEffects(t, e.pool, seq(0, 5))

	if n, err := Replay(ctx, e.pool, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("Replay from the future = %d, %v; want 0", n, err)
	}
}

func TestRetentionDeletesOldSentRows(t *testing.T) {
	e := newEnv(t)
	ensureTestStream(t, e.nc.JS, 0)
	ctx := ctxT(t)
	addEvents(t, ctx, e.pool, 0, 3)
	// An old sent row, as if published long ago.
	if _, err := e.pool.Exec(ctx, `
		INSERT INTO outbox (id, subject, payload, created_at, sent_at)
		VALUES (gen_random_uuid(), 'x', '', now() - interval '2 hours', now() - interval '2 hours')`); err != nil {
		t.Fatal(err)
	}
	cfg := fastRelay
	cfg.Retention = time.Hour
	startRelay(t, e.pool, e.nc.JS, cfg, nil)
	testkit.Eventually(t, 10*time.Second, func() bool {
		return testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`) == 0 &&
			testkit.Scalar[int](t, e.pool, `SELECT count(*) FROM outbox`) == 3
	})
}

func TestAddWakesRelayByNotify(t *testing.T) {
	e := newEnv(t)
	ensureTestStream(t, e.nc.JS, 0)
	cfg := fastRelay
	cfg.PollInterval = time.Hour // only NOTIFY can wake it
	startRelay(t, e.pool, e.nc.JS, cfg, nil)
	time.Sleep(300 * time.Millisecond) // let it LISTEN and go idle
	addEvents(t, context.Background(), e.pool, 0, 1)
	testkit.Eventually(t, 5*time.Second, func() bool { return testkit.StreamMsgs(t, e.nc.JS, testStream) == 1 })
}
