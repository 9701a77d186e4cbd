package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// RelayConfig tunes the relay; zero values take the defaults.
type RelayConfig struct {
	BatchSize    int           // rows per transaction, default 100
	PollInterval time.Duration // idle poll, default 200ms; NOTIFY wakes the relay sooner
	Retention    time.Duration // sent rows kept for Replay, default 7 days
	AckTimeout   time.Duration // wait for the JetStream acks of a batch, default 10s

	// AfterAck is fault injection for tests and nil in production: it runs
	// after the acks of a batch and before its rows are marked sent; an error
	// abandons the batch (rolled back, published again), as if the relay died
	// there.
	AfterAck func() error
}

// Relay publishes unsent outbox rows. Several relays (replicas) may run on
// the same table: rows are claimed with FOR UPDATE SKIP LOCKED.
type Relay struct {
	pool *pgxpool.Pool
	js   jetstream.JetStream
	cfg  RelayConfig
	log  *slog.Logger
	wake chan struct{}
}

// NewRelay makes a relay; call Run to start it.
func NewRelay(pool *pgxpool.Pool, js jetstream.JetStream, cfg RelayConfig, logger *slog.Logger) *Relay {
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 200 * time.Millisecond
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 7 * 24 * time.Hour
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = 10 * time.Second
	}
	if logger == nil {
		logger = slog.Default()
	}
	return &Relay{pool: pool, js: js, cfg: cfg, log: logger.With("component", "outbox-relay"), wake: make(chan struct{}, 1)}
}

// Run publishes until ctx is done, then returns nil. Broker and database
// errors are logged and retried with backoff; nothing is lost, since a row
// stays unsent until its ack.
func (r *Relay) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { r.listen(ctx) })
	defer wg.Wait()

	var fails int
	var nextCleanup time.Time
	for {
		n, err := r.publishBatch(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			fails++
			r.log.Warn("outbox publish failed, retrying", "err", err, "attempt", fails)
			if !sleep(ctx, backoff(fails)) {
				return nil
			}
			continue
		}
		fails = 0
		if n == r.cfg.BatchSize {
			continue // probably more waiting
		}
		if now := time.Now(); now.After(nextCleanup) {
			if err := r.cleanup(ctx); err != nil && ctx.Err() == nil {
				r.log.Warn("outbox cleanup failed", "err", err)
			}
			nextCleanup = now.Add(min(r.cfg.Retention, time.Hour))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		case <-time.After(r.cfg.PollInterval):
		}
	}
}

type row struct {
	id      uuid.UUID
	subject string
	payload []byte
	headers map[string]string
}

// publishBatch claims up to BatchSize unsent rows, publishes them, waits for
// the acks and marks the acked rows sent, all in one transaction. It returns
// the number of rows claimed.
func (r *Relay) publishBatch(ctx context.Context) (int, error) {
	if nc := r.js.Conn(); nc != nil && !nc.IsConnected() {
		// Publishing now would only fill the reconnect buffer.
		return 0, errors.New("nats not connected")
	}
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	defer rollback(tx)

	rows, err := tx.Query(ctx, `
		SELECT id, subject, payload, headers FROM outbox
		WHERE sent_at IS NULL
		ORDER BY created_at, id
		LIMIT $1
		FOR UPDATE SKIP LOCKED`, r.cfg.BatchSize)
	if err != nil {
		return 0, fmt.Errorf("select: %w", err)
	}
	batch, err := pgx.CollectRows(rows, func(rs pgx.CollectableRow) (row, error) {
		var x row
		err := rs.Scan(&x.id, &x.subject, &x.payload, &x.headers)
		return x, err
	})
	if err != nil {
		return 0, fmt.Errorf("select: %w", err)
	}
	if len(batch) == 0 {
		return 0, nil
	}

	// Publish everything first, then wait: one round trip per batch, and
	// JetStream keeps the publish order of one connection.
	futures := make([]jetstream.PubAckFuture, 0, len(batch))
	var pubErr error
	for _, x := range batch {
		m := nats.NewMsg(x.subject)
		m.Data = x.payload
		for k, v := range x.headers {
			m.Header.Set(k, v)
		}
		m.Header.Set(jetstream.MsgIDHeader, x.id.String())
		f, err := r.js.PublishMsgAsync(m)
		if err != nil {
			pubErr = fmt.Errorf("publish %s: %w", x.id, err)
			break
		}
		futures = append(futures, f)
	}

	acked := make([]uuid.UUID, 0, len(futures))
	timeout := time.NewTimer(r.cfg.AckTimeout)
	defer timeout.Stop()
wait:
	for i, f := range futures {
		select {
		case <-f.Ok():
			acked = append(acked, batch[i].id)
		case err := <-f.Err():
			pubErr = errors.Join(pubErr, fmt.Errorf("publish %s: %w", batch[i].id, err))
		case <-timeout.C:
			pubErr = errors.Join(pubErr, fmt.Errorf("no ack within %s", r.cfg.AckTimeout))
			break wait
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	if len(acked) > 0 {
		if r.cfg.AfterAck != nil {
			if err := r.cfg.AfterAck(); err != nil {
				return 0, err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE outbox SET sent_at = now() WHERE id = ANY($1)`, acked); err != nil {
			return 0, fmt.Errorf("mark sent: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("commit: %w", err)
	}
	if pubErr != nil && len(acked) == 0 {
		return 0, pubErr // nothing got through: back off
	}
	if pubErr != nil {
		// Some got through, so the broker is up: one bad row (e.g. a subject
		// no stream captures) must not slow the others down.
		r.log.Warn("outbox publish partly failed", "err", pubErr, "acked", len(acked), "of", len(batch))
	}
	return len(batch), nil
}

// cleanup deletes sent rows older than the retention, in small chunks so it
// never holds many locks.
func (r *Relay) cleanup(ctx context.Context) error {
	before := time.Now().Add(-r.cfg.Retention)
	for {
		tag, err := r.pool.Exec(ctx, `
			DELETE FROM outbox WHERE id IN (
				SELECT id FROM outbox WHERE sent_at < $1 LIMIT 1000 FOR UPDATE SKIP LOCKED)`, before)
		if err != nil {
			return err
		}
		if tag.RowsAffected() < 1000 {
			return nil
		}
	}
}

// listen wakes the relay on NOTIFY. It uses its own connection, not one from
// the pool, since LISTEN holds it for good.
func (r *Relay) listen(ctx context.Context) {
	for fails := 0; ; fails++ {
		err := r.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		r.log.Debug("outbox listen lost, polling meanwhile", "err", err)
		if !sleep(ctx, backoff(fails)) {
			return
		}
	}
}

func (r *Relay) listenOnce(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, r.pool.Config().ConnConfig)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+NotifyChannel); err != nil {
		return err
	}
	for {
		r.poke() // also covers what was committed while we were not listening
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
	}
}

func (r *Relay) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func rollback(tx pgx.Tx) {
	// The caller's ctx may be done already; the rollback must still go out.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = tx.Rollback(ctx)
}

// backoff is 100ms doubling up to 5s.
func backoff(fails int) time.Duration {
	return min(100*time.Millisecond<<min(fails, 6), 5*time.Second)
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
