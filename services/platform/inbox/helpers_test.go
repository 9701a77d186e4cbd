package inbox

// Test scaffolding (outbox has a twin: both are internal tests of their own
// package).

import (
	"context"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

const (
	testStream  = "TEST"
	testDurable = "test-effects"
)

var testSubject = natsx.Subject("test", "thing_happened")

// effectsFS is the "service" schema of the tests: every handler run leaves a
// row, so a duplicate effect shows as a second row.
var effectsFS = fstest.MapFS{"00001_effects.sql": {Data: []byte(`-- +goose Up
CREATE TABLE effects (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, value bigint NOT NULL);
-- +goose Down
DROP TABLE effects;
`)}}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// goRun runs fn until the returned stop (also called at cleanup) cancels it.
func goRun(t testing.TB, name string, fn func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	stop = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("%s did not stop", name)
		}
	})
	t.Cleanup(stop)
	return stop
}

func startConsumer(t testing.TB, pool *pgxpool.Pool, js jetstream.JetStream, cfg ConsumerConfig, h Handler) (stop func()) {
	return goRun(t, "consumer", func(ctx context.Context) error {
		return Run(ctx, pool, js, cfg, h, testLogger(t))
	})
}

// publish puts value on the test subject as a producer would, with a fresh
// event id unless noID.
func publish(t testing.TB, js jetstream.JetStream, value int64, noID bool) uuid.UUID {
	t.Helper()
	m := nats.NewMsg(testSubject)
	m.Data, _ = proto.Marshal(wrapperspb.Int64(value))
	id := uuid.Must(uuid.NewV7())
	if !noID {
		m.Header.Set(jetstream.MsgIDHeader, id.String())
	}
	if _, err := js.PublishMsg(ctxT(t), m); err != nil {
		t.Fatal(err)
	}
	return id
}

func value(t testing.TB, msg jetstream.Msg) int64 {
	var v wrapperspb.Int64Value
	if err := proto.Unmarshal(msg.Data(), &v); err != nil {
		t.Errorf("payload: %v", err)
	}
	return v.Value
}

// recordEffect is the handler of the tests: one effects row per run.
func recordEffect(t testing.TB) Handler {
	return func(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error {
		_, err := tx.Exec(ctx, `INSERT INTO effects (event_id, value) VALUES ($1, $2)`,
			msg.Headers().Get(jetstream.MsgIDHeader), value(t, msg))
		return err
	}
}

// effects returns the effect values in the order they were applied.
func effects(t testing.TB, pool *pgxpool.Pool) []int64 {
	t.Helper()
	rows, _ := pool.Query(context.Background(), `SELECT value FROM effects ORDER BY seq`)
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// waitEffects waits until len(want) effects exist, then checks they are exactly want.
func waitEffects(t testing.TB, pool *pgxpool.Pool, want []int64) {
	t.Helper()
	testkit.Eventually(t, 20*time.Second, func() bool { return len(effects(t, pool)) >= len(want) })
	if got := effects(t, pool); !slices.Equal(got, want) {
		t.Fatalf("effects = %v, want %v", got, want)
	}
}

// waitConsumerDone waits until the consumer has acked (or terminated) every
// message of the stream.
func waitConsumerDone(t testing.TB, js jetstream.JetStream, stream, durable string) {
	t.Helper()
	testkit.Eventually(t, 20*time.Second, func() bool {
		c, err := js.Consumer(ctxT(t), stream, durable)
		if err != nil {
			return false
		}
		info, err := c.Info(ctxT(t))
		if err != nil {
			return false
		}
		return info.NumPending == 0 && info.NumAckPending == 0 && info.AckFloor.Stream == info.Delivered.Stream
	})
}

func seq(vs ...int64) []int64 { return vs }
