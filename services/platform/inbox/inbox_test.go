package inbox

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// The consumer commits the effect and dies before its ack: the event comes
// back and the inbox makes the redelivery a no-op.
func TestConsumerDiesBeforeAck(t *testing.T) {
	pool := testkit.Postgres(t, effectsFS)
	js := testkit.NATS(t).JS
	if err := natsx.EnsureStream(ctxT(t), js, natsx.StreamFor("test")); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for v := range int64(5) {
		ids = append(ids, publish(t, js, v, false).String())
	}
	victim := ids[2]

	var mu sync.Mutex
	acks := map[string]int{} // ack attempts per event id
	died := make(chan struct{})
	cfg := ConsumerConfig{Stream: testStream, Durable: testDurable, AckWait: 500 * time.Millisecond,
		BeforeAck: func(m jetstream.Msg) bool {
			mu.Lock()
			defer mu.Unlock()
			id := m.Headers().Get(jetstream.MsgIDHeader)
			acks[id]++
			if id == victim && acks[id] == 1 {
				close(died)
				return false
			}
			return true
		}}

	stop := startConsumer(t, pool, js, cfg, recordEffect(t))
	select {
	case <-died:
	case <-time.After(10 * time.Second):
		t.Fatal("victim never handled")
	}
	stop()
	startConsumer(t, pool, js, cfg, recordEffect(t)) // the restarted service

	waitConsumerDone(t, js, testStream, testDurable)
	waitEffects(t, pool, seq(0, 1, 2, 3, 4))
	mu.Lock()
	defer mu.Unlock()
	if acks[victim] != 2 {
		t.Errorf("victim reached the ack %d times, want 2 (lost ack, then redelivery)", acks[victim])
	}
	if n := testkit.Scalar[int](t, pool, `SELECT count(*) FROM inbox WHERE consumer = $1`, testDurable); n != 5 {
		t.Errorf("inbox has %d rows, want 5", n)
	}
}

// A handler that always fails (panicking once) ends in the dead-letter
// subject after MaxDeliver attempts; the events behind it are not held up. A
// message without an event id is dead-lettered at once.
func TestPoisonEventDeadLettered(t *testing.T) {
	pool := testkit.Postgres(t, effectsFS)
	js := testkit.NATS(t).JS
	if err := natsx.EnsureStream(ctxT(t), js, natsx.StreamFor("test")); err != nil {
		t.Fatal(err)
	}
	var attempts atomic.Int64
	good := recordEffect(t)
	h := func(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error {
		if value(t, msg) != 2 {
			return good(ctx, tx, msg)
		}
		if attempts.Add(1) == 1 {
			panic("boom")
		}
		return errors.New("always fails")
	}
	cfg := ConsumerConfig{Stream: testStream, Durable: testDurable, MaxDeliver: 3,
		BackOff: []time.Duration{400 * time.Millisecond}, AckWait: 5 * time.Second}
	startConsumer(t, pool, js, cfg, h)

	var poison string
	for v := range int64(5) {
		if id := publish(t, js, v, false); v == 2 {
			poison = id.String()
		}
	}
	publish(t, js, 100, true)

	waitEffects(t, pool, seq(0, 1, 3, 4))
	if n := testkit.StreamMsgs(t, js, "DEADLETTER"); n != 1 {
		t.Errorf("dead letters before the poison's retries ran out: %d, want 1 (the one without id)", n)
	}
	testkit.Eventually(t, 10*time.Second, func() bool { return testkit.StreamMsgs(t, js, "DEADLETTER") == 2 })
	waitConsumerDone(t, js, testStream, testDurable)
	if n := attempts.Load(); n != 3 {
		t.Errorf("poison handled %d times, want 3", n)
	}

	dls, err := js.Stream(ctxT(t), "DEADLETTER")
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for s := uint64(1); s <= 2; s++ {
		m, err := dls.GetMsg(ctxT(t), s)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != natsx.DeadLetterPrefix+testDurable {
			t.Errorf("dead letter on %s", m.Subject)
		}
		if got := m.Header.Get(HeaderDeadLetterSubject); got != testSubject {
			t.Errorf("original subject header = %q", got)
		}
		reason := m.Header.Get(HeaderDeadLetterReason)
		reasons = append(reasons, reason)
		if strings.Contains(reason, "always fails") {
			if got := m.Header.Get(jetstream.MsgIDHeader); got != testDurable+":"+poison {
				t.Errorf("dead letter id = %q", got)
			}
			if got := m.Header.Get(HeaderDeadLetterDelivered); got != "3" {
				t.Errorf("delivered header = %q, want 3", got)
			}
		}
	}
	if !strings.Contains(strings.Join(reasons, "|"), "always fails") || !strings.Contains(strings.Join(reasons, "|"), "Nats-Msg-Id") {
		t.Errorf("reasons = %q", reasons)
	}
	if n := testkit.Scalar[int](t, pool, `SELECT count(*) FROM inbox`); n != 4 {
		t.Errorf("inbox has %d rows, want 4", n)
	}
}

// A database failure is not the handler's fault: the event is retried past
// MaxDeliver and applied once the database is back, never dead-lettered.
func TestDatabaseFailureIsRetriedNotDeadLettered(t *testing.T) {
	pool := testkit.Postgres(t, effectsFS)
	js := testkit.NATS(t).JS
	if err := natsx.EnsureStream(ctxT(t), js, natsx.StreamFor("test")); err != nil {
		t.Fatal(err)
	}
	ctx := ctxT(t)
	if _, err := pool.Exec(ctx, `ALTER TABLE inbox RENAME TO inbox_away`); err != nil {
		t.Fatal(err)
	}
	cfg := ConsumerConfig{Stream: testStream, Durable: testDurable, MaxDeliver: 2,
		BackOff: []time.Duration{50 * time.Millisecond}, AckWait: 5 * time.Second}
	startConsumer(t, pool, js, cfg, recordEffect(t))
	publish(t, js, 7, false)

	testkit.Eventually(t, 10*time.Second, func() bool {
		c, err := js.Consumer(ctx, testStream, testDurable)
		if err != nil {
			return false
		}
		info, err := c.Info(ctx)
		if err != nil {
			return false
		}
		return info.Delivered.Consumer >= 4 // counts redeliveries too
	})
	if n := testkit.StreamMsgs(t, js, "DEADLETTER"); n != 0 {
		t.Fatalf("%d dead letters during the database failure", n)
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE inbox_away RENAME TO inbox`); err != nil {
		t.Fatal(err)
	}
	waitConsumerDone(t, js, testStream, testDurable)
	waitEffects(t, pool, seq(7))
}

// A consumer may start before its producer created the stream.
func TestStartsBeforeStream(t *testing.T) {
	pool := testkit.Postgres(t, effectsFS)
	js := testkit.NATS(t).JS
	cfg := ConsumerConfig{Stream: testStream, Durable: testDurable}
	startConsumer(t, pool, js, cfg, recordEffect(t))
	time.Sleep(300 * time.Millisecond)
	if err := natsx.EnsureStream(ctxT(t), js, natsx.StreamFor("test")); err != nil {
		t.Fatal(err)
	}
	publish(t, js, 1, false)
	waitEffects(t, pool, seq(1))
}

// Consumers resume after a broker restart.
func TestBrokerRestart(t *testing.T) {
	pool := testkit.Postgres(t, effectsFS)
	srv := testkit.NewNATSServer(t)
	js := srv.Connect(t).JS
	if err := natsx.EnsureStream(ctxT(t), js, natsx.StreamFor("test")); err != nil {
		t.Fatal(err)
	}
	startConsumer(t, pool, js, ConsumerConfig{Stream: testStream, Durable: testDurable}, recordEffect(t))
	publish(t, js, 1, false)
	waitEffects(t, pool, seq(1))

	srv.Restart(t)
	m := nats.NewMsg(testSubject)
	m.Data, _ = proto.Marshal(wrapperspb.Int64(2))
	m.Header.Set(jetstream.MsgIDHeader, uuid.Must(uuid.NewV7()).String())
	testkit.Eventually(t, 10*time.Second, func() bool {
		// The client may still be reconnecting, and a request sent then may
		// never be answered: short attempts.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := js.PublishMsg(ctx, m)
		return err == nil
	})
	waitEffects(t, pool, seq(1, 2))
}

func TestRunRejectsBadConfig(t *testing.T) {
	err := Run(context.Background(), nil, nil, ConsumerConfig{Durable: "x"}, recordEffect(t), nil)
	if err == nil {
		t.Fatal("Run without a stream returned nil")
	}
}
