-- name: NextRegistrationSeq :one
INSERT INTO registration_counters (year, last) VALUES ($1, 1)
ON CONFLICT (year) DO UPDATE SET last = registration_counters.last + 1
RETURNING last;

-- name: InsertAppeal :exec
INSERT INTO appeals (id, registration_number, receive_time, register_time, channel, text, classifier_codes,
    district, department, collective, signatories, state, register_due_date, answer_due_date, update_time,
    version, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17);

-- name: GetAppeal :one
-- departments is the caller's visibility: NULL sees every department.
SELECT sqlc.embed(a), coalesce(d.name, '')::text AS department_name
FROM appeals a LEFT JOIN directory_departments d ON d.code = a.department
WHERE a.id = @id AND (sqlc.narg(departments)::text[] IS NULL OR a.department = ANY (sqlc.narg(departments)::text[]));

-- name: KnownClassifierCodes :many
SELECT code FROM classifier WHERE code = ANY (@codes::text[]);

-- name: ClassifierCount :one
SELECT count(*) FROM classifier;

-- name: CountRegistration :exec
INSERT INTO registrations_daily (day, department, section, channel, appeals) VALUES ($1, $2, $3, $4, 1)
ON CONFLICT (day, department, section, channel) DO UPDATE SET appeals = registrations_daily.appeals + 1;
