-- +goose Up
-- Idempotent consumer: one row per (consumer, event) written in the same
-- transaction as the effect, so a redelivered event changes nothing.
CREATE TABLE inbox (
    consumer     text NOT NULL,
    event_id     uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- +goose Down
DROP TABLE inbox;
