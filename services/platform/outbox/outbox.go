// Package outbox is the producer side of the Cityhall events: Add writes an
// event in the caller's transaction, Relay publishes it to JetStream and marks
// it sent only after the JetStream ack, so a committed event is published at
// least once and a rolled-back one never. Consumers dedupe by event id
// (Nats-Msg-Id in JetStream's duplicate window, the inbox table after it).
//
// Order: rows go out by (created_at, id), so one producer's sequential
// transactions arrive in commit order; after a failure (a lost ack, a retry)
// a later event may overtake an earlier one, so handlers must not depend on
// strict order across events.
package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"google.golang.org/protobuf/proto"
)

// NotifyChannel is the PostgreSQL channel Add notifies so the relay wakes up
// at commit instead of at its next poll.
const NotifyChannel = "outbox"

// HeaderType carries the payload's protobuf full name, so a dead-letter entry
// or an unknown consumer can tell what it holds.
const HeaderType = "Cityhall-Event-Type"

// Add writes an event row in the caller's transaction and returns its id (a
// UUIDv7, which becomes Nats-Msg-Id). The trace context of ctx is saved in
// the row's headers through the global OTel propagator.
func Add(ctx context.Context, tx pgx.Tx, subject string, msg proto.Message) (uuid.UUID, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.Nil, fmt.Errorf("outbox: event id: %w", err)
	}
	payload, err := proto.Marshal(msg)
	if err != nil {
		return uuid.Nil, fmt.Errorf("outbox: marshal %s: %w", subject, err)
	}
	headers := propagation.MapCarrier{HeaderType: string(msg.ProtoReflect().Descriptor().FullName())}
	otel.GetTextMapPropagator().Inject(ctx, headers)
	// NOTIFY is transactional: the relay hears it only if the caller commits.
	_, err = tx.Exec(ctx, `
		WITH ins AS (
			INSERT INTO outbox (id, subject, payload, headers) VALUES ($1, $2, $3, $4)
		)
		SELECT pg_notify('`+NotifyChannel+`', '')`,
		id, subject, payload, map[string]string(headers))
	if err != nil {
		return uuid.Nil, fmt.Errorf("outbox: insert %s: %w", subject, err)
	}
	return id, nil
}

// Replay marks the retained rows created since the given time unsent again,
// so the relay republishes them; consumers dedupe by event id. It returns the
// number of rows marked.
func Replay(ctx context.Context, pool *pgxpool.Pool, since time.Time) (int64, error) {
	tag, err := pool.Exec(ctx,
		`UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL AND created_at >= $1`, since)
	if err != nil {
		return 0, fmt.Errorf("outbox: replay: %w", err)
	}
	// Only a wake-up: the relay's poll finds the rows anyway.
	_, _ = pool.Exec(ctx, `SELECT pg_notify('`+NotifyChannel+`', '')`)
	return tag.RowsAffected(), nil
}
