-- +goose Up
-- Transactional outbox: events written in the same transaction as the state
-- change, published to JetStream by outbox.Relay, kept after sending for replay.
CREATE TABLE outbox (
    id         uuid PRIMARY KEY, -- UUIDv7, also the Nats-Msg-Id
    subject    text NOT NULL,
    payload    bytea NOT NULL,
    headers    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
-- The relay only ever scans unsent rows, in order.
CREATE INDEX outbox_unsent ON outbox (created_at, id) WHERE sent_at IS NULL;
-- Retention cleanup and replay look at sent rows by age.
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- +goose Down
DROP TABLE outbox;
