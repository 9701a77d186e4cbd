-- +goose Up
-- The full 59-FZ appeal and its workflow: registration card, execution, deadlines, answer;
-- history, the applicant's personal data (apart), the audit log of its reads, attachments.
-- Enumerations are stored as the proto enum numbers (state, channel, answer_result, leave_reason).

ALTER TABLE appeals
    -- the registration card
    ADD COLUMN anonymous          boolean NOT NULL DEFAULT false, -- no name or no postal address
    ADD COLUMN addressee          text    NOT NULL DEFAULT '',
    ADD COLUMN co_executors       text[]  NOT NULL DEFAULT '{}',  -- department codes
    ADD COLUMN executor           text    NOT NULL DEFAULT '',    -- login of who prepares the answer
    ADD COLUMN reception_card     jsonb,                          -- personal reception only
    ADD COLUMN related_appeals    uuid[]  NOT NULL DEFAULT '{}',
    ADD COLUMN duplicate_of       uuid REFERENCES appeals (id),
    ADD COLUMN repeated           boolean NOT NULL DEFAULT false, -- same applicant, same question, 12 months
    ADD COLUMN previous_appeals   uuid[]  NOT NULL DEFAULT '{}',  -- those earlier appeals, newest first
    ADD COLUMN source             text    NOT NULL DEFAULT '',    -- e.g. meetings/{m}/questions/{q}
    ADD COLUMN attachment_count   integer NOT NULL DEFAULT 0,
    -- deadlines (register_due_date and answer_due_date are in 00001; answer_due_date includes the extension)
    ADD COLUMN forward_due_date   date,                           -- 7 days after registration
    ADD COLUMN extension_days     smallint NOT NULL DEFAULT 0 CHECK (extension_days BETWEEN 0 AND 30),
    ADD COLUMN extension_reason   text    NOT NULL DEFAULT '',
    ADD COLUMN extended_by        text    NOT NULL DEFAULT '',
    ADD COLUMN extend_time        timestamptz,
    -- the answer on substance (answer_time IS NULL: not answered)
    ADD COLUMN answer_text        text    NOT NULL DEFAULT '',
    ADD COLUMN answer_result      smallint NOT NULL DEFAULT 0,
    ADD COLUMN answer_signer      text    NOT NULL DEFAULT '',
    ADD COLUMN answer_time        timestamptz,
    ADD COLUMN answer_on_time     boolean NOT NULL DEFAULT false, -- meaningful when answer_time is set
    ADD COLUMN answer_oral        boolean NOT NULL DEFAULT false,
    -- forwarding to the competent body
    ADD COLUMN forwarded_to       text    NOT NULL DEFAULT '',
    ADD COLUMN forward_time       timestamptz,
    ADD COLUMN forward_late       boolean NOT NULL DEFAULT false, -- forwarded after forward_due_date
    ADD COLUMN applicant_notified boolean NOT NULL DEFAULT false,
    -- closing
    ADD COLUMN closing_reason     text    NOT NULL DEFAULT '',
    ADD COLUMN leave_reason       smallint NOT NULL DEFAULT 0,
    ADD COLUMN close_time         timestamptz,                    -- entered a closed state; NULL while open
    -- the deadline job's marks: each event is published once per appeal
    ADD COLUMN due_soon_notified_at timestamptz,
    ADD COLUMN overdue_notified_at  timestamptz;

UPDATE appeals SET forward_due_date = (register_time AT TIME ZONE 'Asia/Vladivostok')::date + 7;
ALTER TABLE appeals ALTER COLUMN forward_due_date SET NOT NULL;

-- Visibility of co-executing departments.
CREATE INDEX appeals_co_executors ON appeals USING gin (co_executors);
CREATE INDEX appeals_executor ON appeals (executor) WHERE executor <> '';
-- The deadline job scans open appeals (received, registered, assigned, in progress) by due date.
CREATE INDEX appeals_open_due ON appeals (answer_due_date, id) WHERE state IN (1, 2, 3, 4);
-- The retention job scans closed appeals by close time.
CREATE INDEX appeals_close_time ON appeals (close_time) WHERE close_time IS NOT NULL;

-- Every change of an appeal, written in the same transaction as the change.
CREATE TABLE appeal_history (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    appeal_id  uuid        NOT NULL REFERENCES appeals (id),
    time       timestamptz NOT NULL,
    actor      text        NOT NULL, -- login, or 'system' for the jobs
    actor_name text        NOT NULL DEFAULT '',
    action     text        NOT NULL, -- registered, assigned, answered, due_soon, ... (see the proto)
    state      smallint    NOT NULL, -- the state after the change
    note       text        NOT NULL DEFAULT '' -- never personal data
);
CREATE INDEX appeal_history_appeal ON appeal_history (appeal_id, id);

-- The applicant's personal data (152-FZ), apart from the appeal; read only through
-- GetApplicant (audited). The *_key columns are normalised match keys for repeated appeals.
CREATE TABLE applicants (
    appeal_id        uuid PRIMARY KEY REFERENCES appeals (id),
    full_name        text NOT NULL DEFAULT '',
    postal_address   text NOT NULL DEFAULT '',
    email            text NOT NULL DEFAULT '',
    phone            text NOT NULL DEFAULT '',
    name_address_key text NOT NULL DEFAULT '', -- normalised full name + '|' + postal address
    email_key        text NOT NULL DEFAULT '', -- lower-case e-mail
    phone_key        text NOT NULL DEFAULT '', -- digits only, 10 last
    destroy_time     timestamptz               -- set (and the rest blanked) after the retention period
);
CREATE INDEX applicants_name_address_key ON applicants (name_address_key) WHERE name_address_key <> '';
CREATE INDEX applicants_email_key ON applicants (email_key) WHERE email_key <> '';
CREATE INDEX applicants_phone_key ON applicants (phone_key) WHERE phone_key <> '';

-- The audit log of personal data: every read, export and destruction.
CREATE TABLE audit_records (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time       timestamptz NOT NULL,
    actor      text        NOT NULL, -- login, or 'system'
    actor_name text        NOT NULL DEFAULT '',
    action     text        NOT NULL, -- READ_APPLICANT, EXPORT, DESTROY
    appeal_id  uuid,                 -- NULL for an export of many appeals
    purpose    text        NOT NULL DEFAULT ''
);
CREATE INDEX audit_records_time ON audit_records (time DESC, id DESC);
CREATE INDEX audit_records_appeal ON audit_records (appeal_id, time DESC) WHERE appeal_id IS NOT NULL;
CREATE INDEX audit_records_actor ON audit_records (actor, time DESC);

CREATE TABLE attachments (
    id           uuid PRIMARY KEY,
    appeal_id    uuid        NOT NULL REFERENCES appeals (id),
    filename     text        NOT NULL,
    content_type text        NOT NULL,
    size_bytes   bigint      NOT NULL,
    content      bytea       NOT NULL,
    creator      text        NOT NULL, -- login
    create_time  timestamptz NOT NULL
);
CREATE INDEX attachments_appeal ON attachments (appeal_id, create_time, id);

-- +goose Down
DROP TABLE attachments;
DROP TABLE audit_records;
DROP TABLE applicants;
DROP TABLE appeal_history;
DROP INDEX appeals_close_time;
DROP INDEX appeals_open_due;
DROP INDEX appeals_executor;
DROP INDEX appeals_co_executors;
ALTER TABLE appeals
    DROP COLUMN anonymous, DROP COLUMN addressee, DROP COLUMN co_executors, DROP COLUMN executor,
    DROP COLUMN reception_card, DROP COLUMN related_appeals, DROP COLUMN duplicate_of, DROP COLUMN repeated,
    DROP COLUMN previous_appeals, DROP COLUMN source, DROP COLUMN attachment_count, DROP COLUMN forward_due_date,
    DROP COLUMN extension_days, DROP COLUMN extension_reason, DROP COLUMN extended_by, DROP COLUMN extend_time,
    DROP COLUMN answer_text, DROP COLUMN answer_result, DROP COLUMN answer_signer, DROP COLUMN answer_time,
    DROP COLUMN answer_on_time, DROP COLUMN answer_oral, DROP COLUMN forwarded_to, DROP COLUMN forward_time,
    DROP COLUMN forward_late, DROP COLUMN applicant_notified, DROP COLUMN closing_reason, DROP COLUMN leave_reason,
    DROP COLUMN close_time, DROP COLUMN due_soon_notified_at, DROP COLUMN overdue_notified_at;
