// Package inbox is the consumer side of the Cityhall events: a durable pull
// consumer whose handler runs in the same transaction as an inbox row keyed by
// (consumer, event id), so a redelivered event changes nothing.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// Handler applies an event. It runs in tx, the transaction that also records
// the event in the inbox; an error rolls both back and the event is retried.
type Handler func(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) error

// ConsumerConfig describes one durable consumer; zero values take defaults.
type ConsumerConfig struct {
	Stream            string          // e.g. "APPEALS"
	Durable           string          // "<service>-<purpose>", also the inbox consumer key
	FilterSubjects    []string        // empty = the whole stream
	MaxDeliver        int             // handler attempts before dead-lettering, default 5
	BackOff           []time.Duration // delay before retry n (the last repeats), default 1s, 5s, 30s, 2m
	AckWait           time.Duration   // redelivery when neither acked nor nacked, default 30s
	DeadLetterSubject string          // default "cityhall.deadletter.<durable>"

	// BeforeAck is fault injection for tests and nil in production: it runs
	// after the commit and before the ack; false drops the ack, as if the
	// consumer died there.
	BeforeAck func(jetstream.Msg) bool
}

// Headers added to a dead-lettered message (the original headers are kept).
const (
	HeaderDeadLetterReason    = "Cityhall-Deadletter-Reason"
	HeaderDeadLetterSubject   = "Cityhall-Deadletter-Subject"
	HeaderDeadLetterStream    = "Cityhall-Deadletter-Stream"
	HeaderDeadLetterSequence  = "Cityhall-Deadletter-Sequence"
	HeaderDeadLetterDelivered = "Cityhall-Deadletter-Delivered"
)

// prefetch bounds how many delivered messages wait in the client while one is
// handled: all of them must be handled within AckWait.
const prefetch = 10

var tracer = otel.Tracer("github.com/cityhall-khv/cityhall/services/platform/inbox")

type consumer struct {
	pool *pgxpool.Pool
	js   jetstream.JetStream
	cfg  ConsumerConfig
	h    Handler
	log  *slog.Logger
}

// handlerError marks a failure of the handler itself, which counts towards
// MaxDeliver; database and broker failures do not.
type handlerError struct{ err error }

func (e handlerError) Error() string { return e.err.Error() }

// Run consumes until ctx is done, then returns nil. It returns an error only
// for an invalid config; a missing stream or broker/database outage is logged
// and retried.
func Run(ctx context.Context, pool *pgxpool.Pool, js jetstream.JetStream, cfg ConsumerConfig, h Handler, logger *slog.Logger) error {
	if cfg.Stream == "" || cfg.Durable == "" || h == nil {
		return errors.New("inbox: Stream, Durable and a handler are required")
	}
	if cfg.MaxDeliver <= 0 {
		cfg.MaxDeliver = 5
	}
	if len(cfg.BackOff) == 0 {
		cfg.BackOff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 30 * time.Second
	}
	if cfg.DeadLetterSubject == "" {
		cfg.DeadLetterSubject = natsx.DeadLetterPrefix + cfg.Durable
	}
	if logger == nil {
		logger = slog.Default()
	}
	c := &consumer{pool: pool, js: js, cfg: cfg, h: h, log: logger.With("component", "inbox", "consumer", cfg.Durable)}

	for fails := 0; ctx.Err() == nil; fails++ {
		err := c.consume(ctx)
		if ctx.Err() != nil {
			break
		}
		c.log.Warn("consumer stopped, restarting", "err", err, "attempt", fails+1)
		if !sleep(ctx, min(200*time.Millisecond<<min(fails, 5), 5*time.Second)) {
			break
		}
	}
	return nil
}

// consume sets up the consumer and handles messages until ctx is done or the
// subscription fails for good (e.g. the consumer was deleted).
func (c *consumer) consume(ctx context.Context) error {
	// Create only: an existing DEADLETTER stream keeps the replicas and limits
	// its operator (or the service wiring) gave it.
	if _, err := c.js.CreateStream(ctx, natsx.DeadLetterStream()); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return fmt.Errorf("dead-letter stream: %w", err)
	}
	cons, err := c.js.CreateOrUpdateConsumer(ctx, c.cfg.Stream, jetstream.ConsumerConfig{
		Durable:        c.cfg.Durable,
		AckPolicy:      jetstream.AckExplicitPolicy,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		FilterSubjects: c.cfg.FilterSubjects,
		AckWait:        c.cfg.AckWait,
		// Unlimited on the server: we count attempts ourselves and dead-letter,
		// so a message is never dropped silently (e.g. when the dead-letter
		// publish fails). No server BackOff either: it would override AckWait;
		// retry delays are NakWithDelay.
		MaxDeliver: -1,
	})
	if err != nil {
		return fmt.Errorf("consumer %s on %s: %w", c.cfg.Durable, c.cfg.Stream, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(prefetch))
	if err != nil {
		return err
	}
	defer func() {
		// Hand back what was prefetched so it is redelivered now, not after AckWait.
		it.Drain()
		for range prefetch + 1 {
			m, err := it.Next(jetstream.NextMaxWait(100 * time.Millisecond))
			if err != nil {
				return
			}
			_ = m.Nak()
		}
		it.Stop()
	}()
	for {
		msg, err := it.Next(jetstream.NextContext(ctx))
		if err != nil {
			return err
		}
		c.handle(ctx, msg)
	}
}

func (c *consumer) handle(ctx context.Context, msg jetstream.Msg) {
	md, err := msg.Metadata()
	if err != nil {
		md = &jetstream.MsgMetadata{NumDelivered: 1}
	}
	// A message in hand is finished even when shutdown begins (that keeps
	// the order); past AckWait it is redelivered anyway, so stop there.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.AckWait)
	defer cancel()
	ctx = otel.GetTextMapPropagator().Extract(ctx, natsx.HeaderCarrier(msg.Headers()))
	ctx, span := tracer.Start(ctx, "consume "+msg.Subject(), trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("messaging.system", "nats"),
			attribute.String("messaging.destination.name", msg.Subject()),
			attribute.String("messaging.consumer.group.name", c.cfg.Durable),
			attribute.String("messaging.message.id", msg.Headers().Get(jetstream.MsgIDHeader)),
			attribute.Int64("messaging.nats.num_delivered", int64(md.NumDelivered)),
		))
	defer span.End()

	id, err := uuid.Parse(msg.Headers().Get(jetstream.MsgIDHeader))
	if err != nil {
		c.deadLetter(ctx, msg, md, "missing or invalid Nats-Msg-Id")
		return
	}
	err = c.apply(ctx, id, msg)
	if err == nil {
		if c.cfg.BeforeAck != nil && !c.cfg.BeforeAck(msg) {
			return
		}
		// A lost ack only means a redelivery, which the inbox absorbs.
		_ = msg.Ack()
		return
	}
	span.RecordError(err)
	span.SetStatus(codes.Error, err.Error())
	var he handlerError
	if errors.As(err, &he) && int(md.NumDelivered) >= c.cfg.MaxDeliver {
		c.deadLetter(ctx, msg, md, he.Error())
		return
	}
	delay := c.delay(md.NumDelivered)
	c.log.Warn("event failed, will retry", "subject", msg.Subject(), "event_id", id,
		"delivered", md.NumDelivered, "retry_in", delay, "err", err)
	_ = msg.NakWithDelay(delay)
}

// apply records the event in the inbox and, if it is new, runs the handler,
// in one transaction.
func (c *consumer) apply(ctx context.Context, id uuid.UUID, msg jetstream.Msg) error {
	tx, err := c.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer rollback(tx)
	tag, err := tx.Exec(ctx,
		`INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, c.cfg.Durable, id)
	if err != nil {
		return fmt.Errorf("inbox insert: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil // seen before: ack without running the handler again
	}
	if err := c.run(ctx, tx, msg); err != nil {
		return handlerError{err}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// run calls the handler, turning a panic into an error so a poison message
// ends in the dead-letter subject instead of crashing the service.
func (c *consumer) run(ctx context.Context, tx pgx.Tx, msg jetstream.Msg) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panic: %v", p)
		}
	}()
	return c.h(ctx, tx, msg)
}

func (c *consumer) delay(delivered uint64) time.Duration {
	i := min(int(max(delivered, 1))-1, len(c.cfg.BackOff)-1)
	return c.cfg.BackOff[i]
}

// deadLetter copies msg to the dead-letter subject and terminates it. If the
// copy cannot be stored the message is retried later instead.
func (c *consumer) deadLetter(ctx context.Context, msg jetstream.Msg, md *jetstream.MsgMetadata, reason string) {
	dl := nats.NewMsg(c.cfg.DeadLetterSubject)
	dl.Data = msg.Data()
	for k, v := range msg.Headers() {
		dl.Header[k] = slices.Clone(v)
	}
	dl.Header.Set(HeaderDeadLetterReason, reason)
	dl.Header.Set(HeaderDeadLetterSubject, msg.Subject())
	dl.Header.Set(HeaderDeadLetterStream, md.Stream)
	dl.Header.Set(HeaderDeadLetterSequence, strconv.FormatUint(md.Sequence.Stream, 10))
	dl.Header.Set(HeaderDeadLetterDelivered, strconv.FormatUint(md.NumDelivered, 10))
	// Keyed by consumer too: the DEADLETTER stream dedupes across all subjects,
	// and two consumers may both give up on the same event.
	if id := msg.Headers().Get(jetstream.MsgIDHeader); id != "" {
		dl.Header.Set(jetstream.MsgIDHeader, c.cfg.Durable+":"+id)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.js.PublishMsg(pctx, dl); err != nil {
		c.log.Error("dead-letter publish failed, will retry", "subject", msg.Subject(), "err", err)
		_ = msg.NakWithDelay(c.delay(md.NumDelivered))
		return
	}
	c.log.Error("event dead-lettered", "subject", msg.Subject(), "dead_letter_subject", c.cfg.DeadLetterSubject,
		"event_id", msg.Headers().Get(jetstream.MsgIDHeader), "delivered", md.NumDelivered, "reason", reason)
	_ = msg.Term()
}

func rollback(tx pgx.Tx) {
	// The caller's ctx may be done already; the rollback must still go out.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = tx.Rollback(ctx)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
