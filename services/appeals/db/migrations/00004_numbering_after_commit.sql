-- +goose Up
-- Registrations commit in parallel and are numbered right after, in groups (see the README,
-- "Registration numbers"): between the two commits an appeal has no number yet. Its year is
-- fixed at registration, so the numbering step knows which year's counter it takes.
ALTER TABLE appeals ALTER COLUMN registration_number DROP NOT NULL,
    ADD COLUMN registration_year integer;
-- The appeals waiting for their number, in the order they get them.
CREATE INDEX appeals_unnumbered ON appeals (registration_year, register_time, id) WHERE registration_number IS NULL;

-- +goose Down
-- Number what is still waiting, in the order the numbering step would, then restore the column.
WITH pending AS (
    SELECT id, registration_year AS year,
        row_number() OVER (PARTITION BY registration_year ORDER BY register_time, id) AS n,
        count(*) OVER (PARTITION BY registration_year) AS total
    FROM appeals WHERE registration_number IS NULL
), counters AS (
    INSERT INTO registration_counters AS c (year, last)
    SELECT DISTINCT year, total FROM pending
    ON CONFLICT (year) DO UPDATE SET last = c.last + excluded.last
    RETURNING c.year, c.last
)
UPDATE appeals a SET registration_number = p.year || '-' || CASE WHEN c.last - p.total + p.n < 1000000
        THEN lpad((c.last - p.total + p.n)::text, 6, '0') ELSE (c.last - p.total + p.n)::text END,
    version = a.version + 1
FROM pending p JOIN counters c ON c.year = p.year
WHERE a.id = p.id;
DROP INDEX appeals_unnumbered;
ALTER TABLE appeals DROP COLUMN registration_year,
    ALTER COLUMN registration_number SET NOT NULL;
