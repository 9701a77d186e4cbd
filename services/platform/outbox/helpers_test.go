package outbox

// Test scaffolding shared by this package's tests (inbox has a twin: both
// are internal tests of their own package).

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cityhall-khv/cityhall/services/platform/inbox"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

func TestMain(m *testing.M) {
	otel.SetTextMapPropagator(propagation.TraceContext{})
	os.Exit(m.Run())
}

const (
	testStream  = "TEST"
	testDurable = "test-effects"
)

var testSubject = natsx.Subject("test", "thing_happened")

// effectsFS is the "service" schema of the tests: every handler run leaves a
// row, so a duplicate effect shows as a second row.
var effectsFS = fstest.MapFS{"00001_effects.sql": {Data: []byte(`-- +goose Up
CREATE TABLE effects (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, value bigint NOT NULL, trace_id text NOT NULL);
-- +goose Down
DROP TABLE effects;
`)}}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// ensureTestStream creates the TEST stream; dup > 0 shortens its duplicate window.
func ensureTestStream(t testing.TB, js jetstream.JetStream, dup time.Duration) {
	t.Helper()
	cfg := natsx.StreamFor("test")
	if dup > 0 {
		cfg.Duplicates = dup
	}
	if err := natsx.EnsureStream(ctxT(t), js, cfg); err != nil {
		t.Fatal(err)
	}
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

func startRelay(t testing.TB, pool *pgxpool.Pool, js jetstream.JetStream, cfg RelayConfig, afterAck func() error) (stop func()) {
	cfg.AfterAck = afterAck
	r := NewRelay(pool, js, cfg, testLogger(t))
	return goRun(t, "relay", r.Run)
}

var fastRelay = RelayConfig{PollInterval: 50 * time.Millisecond, AckTimeout: 2 * time.Second}

func startConsumer(t testing.TB, pool *pgxpool.Pool, js jetstream.JetStream) (stop func()) {
	cfg := inbox.ConsumerConfig{
		Stream: testStream, Durable: testDurable, MaxDeliver: 5,
		BackOff: []time.Duration{100 * time.Millisecond}, AckWait: 2 * time.Second,
	}
	return goRun(t, "consumer", func(ctx context.Context) error {
		return inbox.Run(ctx, pool, js, cfg, recordEffect, testLogger(t))
	})
}

// recordEffect is the handler of the tests: one effects row per run.
func recordEffect(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error {
	var v wrapperspb.Int64Value
	if err := proto.Unmarshal(msg.Data(), &v); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO effects (event_id, value, trace_id) VALUES ($1, $2, $3)`,
		msg.Headers().Get(jetstream.MsgIDHeader), v.Value, trace.SpanContextFromContext(ctx).TraceID().String())
	return err
}

// addEvents commits values [from, to), one transaction each.
func addEvents(t testing.TB, ctx context.Context, pool *pgxpool.Pool, from, to int64) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	for v := from; v < to; v++ {
		err := pgdb.InTx(ctx, pool, func(tx pgx.Tx) error {
			id, err := Add(ctx, tx, testSubject, wrapperspb.Int64(v))
			ids = append(ids, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
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

func seq(from, to int64) []int64 {
	var vs []int64
	for v := from; v < to; v++ {
		vs = append(vs, v)
	}
	return vs
}

// waitEffects waits until n effects exist, then checks they are exactly want.
func waitEffects(t testing.TB, pool *pgxpool.Pool, want []int64) {
	t.Helper()
	testkit.Eventually(t, 20*time.Second, func() bool { return len(effects(t, pool)) >= len(want) })
	if got := effects(t, pool); !slices.Equal(got, want) {
		t.Fatalf("effects = %v, want %v", got, want)
	}
}

// waitConsumerDone waits until the consumer has acked every message of the stream.
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

// env is one test's PostgreSQL database and NATS server.
type env struct {
	pool *pgxpool.Pool
	srv  *testkit.NATSServer
	nc   *natsx.Conn
}

func newEnv(t testing.TB) env {
	pool := testkit.Postgres(t, effectsFS)
	srv := testkit.NewNATSServer(t)
	return env{pool: pool, srv: srv, nc: srv.Connect(t)}
}
