-- +goose Up
-- Create requests carry an optional request_id (AIP-155): a retry returns the first result.
CREATE TABLE idempotency_keys (
    request_id    uuid PRIMARY KEY,
    method        text        NOT NULL,
    principal     text        NOT NULL,
    request_hash  bytea       NOT NULL,
    resource_name text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
