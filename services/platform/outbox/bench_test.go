package outbox

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// The outbox's hot paths against a real PostgreSQL and JetStream. Compare runs with benchstat:
//   go test -run '^$' -bench . -benchmem -count 6 ./services/platform/outbox > new.txt

// BenchmarkAdd is one event written in its own transaction (what a create adds to its commit).
func BenchmarkAdd(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	msg := wrapperspb.Int64(42)
	for b.Loop() {
		if err := pgdb.InTx(ctx, e.pool, func(tx pgx.Tx) error {
			_, err := Add(ctx, tx, testSubject, msg)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRelayBatch is one relay batch of 100 events: claim the rows, publish them, wait
// for the JetStream acks, mark them sent, commit. Reported per batch and per event.
func BenchmarkRelayBatch(b *testing.B) {
	e := newEnv(b)
	ensureTestStream(b, e.nc.JS, 0)
	ctx := context.Background()
	r := NewRelay(e.pool, e.nc.JS, RelayConfig{BatchSize: 100}, testLogger(b))
	payload := wrapperspb.Int64(42)
	events := 0
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := pgdb.InTx(ctx, e.pool, func(tx pgx.Tx) error {
			for range 100 {
				if _, err := Add(ctx, tx, testSubject, payload); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		n, err := r.publishBatch(ctx)
		if err != nil || n != 100 {
			b.Fatalf("published %d, %v", n, err)
		}
		events += n
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(events, 1)), "ns/event")
}
