-- name: NumberPendingAppeals :many
-- The numbering step (the caller holds the numbering lock exclusively, so every registration
-- begun before it has committed or rolled back): every appeal still without a number gets its
-- year's next ones, in register-time order, and the counters move by as many. Version 0 → 1:
-- the appeal as the registering clerk is shown it.
WITH pending AS (
    SELECT p.id, p.registration_year AS year,
        row_number() OVER (PARTITION BY p.registration_year ORDER BY p.register_time, p.id) AS n,
        count(*) OVER (PARTITION BY p.registration_year) AS total
    FROM appeals p WHERE p.registration_number IS NULL
), counters AS (
    INSERT INTO registration_counters AS c (year, last)
    SELECT DISTINCT pending.year, pending.total FROM pending
    ON CONFLICT (year) DO UPDATE SET last = c.last + excluded.last
    RETURNING c.year, c.last
)
UPDATE appeals a SET
    registration_number = pending.year || '-' || CASE WHEN counters.last - pending.total + pending.n < 1000000
        THEN lpad((counters.last - pending.total + pending.n)::text, 6, '0')
        ELSE (counters.last - pending.total + pending.n)::text END,
    version = a.version + 1
FROM pending JOIN counters ON counters.year = pending.year
WHERE a.id = pending.id
RETURNING a.*;

-- name: AppealNumber :one
SELECT registration_number, version FROM appeals WHERE id = @id;

-- name: InsertAppeal :exec
-- A registration: the appeal without its number (NumberPendingAppeals gives it), version 0.
INSERT INTO appeals (id, registration_year, receive_time, register_time, channel, text, classifier_codes,
    district, department, collective, signatories, state, register_due_date, answer_due_date, forward_due_date,
    update_time, version, created_by, anonymous, addressee, reception_card, related_appeals, repeated,
    previous_appeals, source)
VALUES (@id, @registration_year, @receive_time, @register_time, @channel, @text, @classifier_codes,
    @district, @department, @collective, @signatories, @state, @register_due_date, @answer_due_date, @forward_due_date,
    @update_time, 0, @created_by, @anonymous, @addressee, @reception_card, @related_appeals, @repeated,
    @previous_appeals, @source);

-- name: GetAppeal :one
-- departments is the caller's visibility: NULL sees every department; otherwise the appeals
-- led or co-executed by one of them.
SELECT sqlc.embed(a), coalesce(d.name, '')::text AS department_name,
    EXISTS (SELECT 1 FROM applicants p WHERE p.appeal_id = a.id AND p.destroy_time IS NOT NULL) AS applicant_destroyed
FROM appeals a LEFT JOIN directory_departments d ON d.code = a.department
WHERE a.id = @id AND (sqlc.narg(departments)::text[] IS NULL OR a.department = ANY (sqlc.narg(departments)::text[])
    OR a.co_executors && sqlc.narg(departments)::text[]);

-- name: GetAppealForUpdate :one
SELECT sqlc.embed(a), coalesce(d.name, '')::text AS department_name,
    EXISTS (SELECT 1 FROM applicants p WHERE p.appeal_id = a.id AND p.destroy_time IS NOT NULL) AS applicant_destroyed
FROM appeals a LEFT JOIN directory_departments d ON d.code = a.department
WHERE a.id = @id AND (sqlc.narg(departments)::text[] IS NULL OR a.department = ANY (sqlc.narg(departments)::text[])
    OR a.co_executors && sqlc.narg(departments)::text[])
FOR UPDATE OF a;

-- name: VisibleAppeals :many
SELECT a.id FROM appeals a
WHERE a.id = ANY (@ids::uuid[]) AND (sqlc.narg(departments)::text[] IS NULL OR a.department = ANY (sqlc.narg(departments)::text[])
    OR a.co_executors && sqlc.narg(departments)::text[]);

-- name: UpdateAppeal :execrows
-- A workflow step. The write is limited to the lead departments (NULL: any) and to the
-- version read under the lock.
UPDATE appeals SET
    text = @text, classifier_codes = @classifier_codes, district = @district, addressee = @addressee,
    collective = @collective, signatories = @signatories, reception_card = @reception_card,
    related_appeals = @related_appeals, department = @department, co_executors = @co_executors,
    executor = @executor, state = @state, answer_due_date = @answer_due_date, duplicate_of = @duplicate_of,
    extension_days = @extension_days, extension_reason = @extension_reason, extended_by = @extended_by,
    extend_time = @extend_time, answer_text = @answer_text, answer_result = @answer_result,
    answer_signer = @answer_signer, answer_time = @answer_time, answer_on_time = @answer_on_time,
    answer_oral = @answer_oral, forwarded_to = @forwarded_to, forward_time = @forward_time,
    forward_late = @forward_late, applicant_notified = @applicant_notified, closing_reason = @closing_reason,
    leave_reason = @leave_reason, close_time = @close_time, due_soon_notified_at = @due_soon_notified_at,
    overdue_notified_at = @overdue_notified_at, update_time = @update_time, version = @version
WHERE id = @id AND version = @read_version
    AND (sqlc.narg(departments)::text[] IS NULL OR department = ANY (sqlc.narg(departments)::text[]));

-- name: AnyAnswered :one
SELECT EXISTS (SELECT 1 FROM appeals WHERE id = ANY (@ids::uuid[]) AND state = 5)::boolean;

-- name: InsertHistory :exec
INSERT INTO appeal_history (appeal_id, time, actor, actor_name, action, state, note)
VALUES (@appeal_id, @time, @actor, @actor_name, @action, @state, @note);

-- name: ListHistory :many
-- The history of an appeal within the caller's visibility (see GetAppeal).
SELECT h.* FROM appeal_history h JOIN appeals a ON a.id = h.appeal_id
WHERE h.appeal_id = @appeal_id AND h.id > @after_id
    AND (sqlc.narg(departments)::text[] IS NULL OR a.department = ANY (sqlc.narg(departments)::text[])
        OR a.co_executors && sqlc.narg(departments)::text[])
ORDER BY h.id LIMIT @row_limit;

-- name: InsertApplicant :exec
INSERT INTO applicants (appeal_id, full_name, postal_address, email, phone, name_address_key, email_key, phone_key)
VALUES (@appeal_id, @full_name, @postal_address, @email, @phone, @name_address_key, @email_key, @phone_key);

-- name: PreviousAppeals :many
-- The applicant's earlier appeals (by any of the match keys) registered since @since on one of
-- the classifier questions (the level-4 code: its first 19 characters), newest first.
SELECT a.id FROM appeals a JOIN applicants p ON p.appeal_id = a.id
WHERE a.register_time >= @since
    AND ((@name_address_key::text <> '' AND p.name_address_key = @name_address_key::text)
        OR (@email_key::text <> '' AND p.email_key = @email_key::text)
        OR (@phone_key::text <> '' AND p.phone_key = @phone_key::text))
    AND EXISTS (SELECT 1 FROM unnest(a.classifier_codes) c WHERE left(c, 19) = ANY (@questions::text[]))
ORDER BY a.register_time DESC, a.id DESC
LIMIT 100;

-- name: ReadApplicant :one
-- The applicant within the caller's personal-data scope: the appeals led or co-executed by one
-- of departments, or registered by created_by. Neither set: nothing.
SELECT p.* FROM applicants p JOIN appeals a ON a.id = p.appeal_id
WHERE p.appeal_id = @appeal_id
    AND ((sqlc.narg(departments)::text[] IS NOT NULL AND (a.department = ANY (sqlc.narg(departments)::text[])
            OR a.co_executors && sqlc.narg(departments)::text[]))
        OR (sqlc.narg(created_by)::text IS NOT NULL AND a.created_by = sqlc.narg(created_by)::text));

-- name: InsertAuditRecord :exec
INSERT INTO audit_records (time, actor, actor_name, action, appeal_id, purpose)
VALUES (@time, @actor, @actor_name, @action, @appeal_id, @purpose);

-- name: ListAuditRecords :many
SELECT * FROM audit_records
WHERE (sqlc.narg(appeal_id)::uuid IS NULL OR appeal_id = sqlc.narg(appeal_id)::uuid)
    AND (sqlc.narg(actor)::text IS NULL OR actor = sqlc.narg(actor)::text)
    AND (sqlc.narg(action)::text IS NULL OR action = sqlc.narg(action)::text)
    AND (sqlc.narg(time_from)::timestamptz IS NULL OR time >= sqlc.narg(time_from)::timestamptz)
    AND (sqlc.narg(time_to)::timestamptz IS NULL OR time < sqlc.narg(time_to)::timestamptz)
    AND (sqlc.narg(after_id)::bigint IS NULL OR id < sqlc.narg(after_id)::bigint)
ORDER BY id DESC
LIMIT @row_limit;

-- name: InsertAttachment :exec
INSERT INTO attachments (id, appeal_id, filename, content_type, size_bytes, content, creator, create_time)
VALUES (@id, @appeal_id, @filename, @content_type, @size_bytes, @content, @creator, @create_time);

-- name: CountAttachment :one
UPDATE appeals SET attachment_count = attachment_count + 1, version = version + 1, update_time = @update_time
WHERE id = @id
RETURNING version;

-- name: ListAttachments :many
-- The files of an appeal within the caller's visibility (see GetAppeal), without their content.
SELECT t.id, t.appeal_id, t.filename, t.content_type, t.size_bytes, t.creator, t.create_time
FROM attachments t JOIN appeals a ON a.id = t.appeal_id
WHERE t.appeal_id = @appeal_id
    AND (sqlc.narg(departments)::text[] IS NULL OR a.department = ANY (sqlc.narg(departments)::text[])
        OR a.co_executors && sqlc.narg(departments)::text[])
ORDER BY t.create_time, t.id;

-- name: ReadAttachment :one
-- A file within the caller's personal-data scope (see ReadApplicant).
SELECT t.* FROM attachments t JOIN appeals a ON a.id = t.appeal_id
WHERE t.appeal_id = @appeal_id AND t.id = @id
    AND ((sqlc.narg(departments)::text[] IS NOT NULL AND (a.department = ANY (sqlc.narg(departments)::text[])
            OR a.co_executors && sqlc.narg(departments)::text[]))
        OR (sqlc.narg(created_by)::text IS NOT NULL AND a.created_by = sqlc.narg(created_by)::text));

-- name: CuratedDepartments :one
SELECT curated_departments FROM directory_officials WHERE id = @id AND active;

-- name: DueSoonAppeals :many
-- Open appeals (states 1-4, as the partial index appeals_open_due) due from @today to before
-- @due_soon_from not yet reminded; locked, skipping those another replica holds.
SELECT id, department, answer_due_date, state FROM appeals
WHERE state IN (1, 2, 3, 4) AND due_soon_notified_at IS NULL
    AND answer_due_date >= @today AND answer_due_date < @due_soon_from
ORDER BY answer_due_date, id
LIMIT @row_limit
FOR UPDATE SKIP LOCKED;

-- name: OverdueAppeals :many
SELECT id, department, answer_due_date, state FROM appeals
WHERE state IN (1, 2, 3, 4) AND overdue_notified_at IS NULL AND answer_due_date < @today
ORDER BY answer_due_date, id
LIMIT @row_limit
FOR UPDATE SKIP LOCKED;

-- name: MarkDueSoon :exec
UPDATE appeals SET due_soon_notified_at = @now WHERE id = ANY (@ids::uuid[]);

-- name: MarkOverdue :exec
UPDATE appeals SET overdue_notified_at = @now WHERE id = ANY (@ids::uuid[]);

-- name: ExpiredApplicants :many
-- Applicants of appeals closed (states 5-9) before @closed_before whose data still exists.
SELECT p.appeal_id, a.state FROM applicants p JOIN appeals a ON a.id = p.appeal_id
WHERE p.destroy_time IS NULL AND a.close_time < @closed_before AND a.state NOT IN (1, 2, 3, 4)
ORDER BY a.close_time, p.appeal_id
LIMIT @row_limit
FOR UPDATE OF p SKIP LOCKED;

-- name: DestroyApplicants :exec
UPDATE applicants SET full_name = '', postal_address = '', email = '', phone = '',
    name_address_key = '', email_key = '', phone_key = '', destroy_time = @now
WHERE appeal_id = ANY (@ids::uuid[]);

-- name: KnownClassifierCodes :many
SELECT code FROM classifier WHERE code = ANY (@codes::text[]);

-- name: ClassifierCount :one
SELECT count(*) FROM classifier;

-- name: CountRegistration :exec
INSERT INTO registrations_daily (day, department, section, channel, appeals) VALUES ($1, $2, $3, $4, 1)
ON CONFLICT (day, department, section, channel) DO UPDATE SET appeals = registrations_daily.appeals + 1;
