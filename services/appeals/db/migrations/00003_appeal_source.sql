-- +goose Up
-- One appeal per source: a question of an outreach meeting is registered once, whatever the
-- redeliveries or repeated publishes of its event (the consumer's inbox dedupes by event id,
-- this by the question itself). Also serves the list filter `source = "..."`.
CREATE UNIQUE INDEX appeals_source ON appeals (source) WHERE source <> '';

-- +goose Down
DROP INDEX appeals_source;
