-- +goose Up
-- The ССТУ classifier (reference data, loaded at start from db/seed/classifier.csv).
CREATE TABLE classifier (
    code        text PRIMARY KEY,
    parent_code text NOT NULL DEFAULT '',
    level       smallint NOT NULL,
    name        text NOT NULL
);

-- Consolidated monthly plans and election-period schedules: id `2026-03`, `2026-09-election`.
CREATE TABLE meeting_plans (
    id              text PRIMARY KEY,
    year            int      NOT NULL,
    month           int      NOT NULL CHECK (month BETWEEN 1 AND 12),
    election_period boolean  NOT NULL,
    state           smallint NOT NULL,
    submitter       text     NOT NULL DEFAULT '',
    submitter_name  text     NOT NULL DEFAULT '',
    submit_time     timestamptz,
    approver        text     NOT NULL DEFAULT '',
    approver_name   text     NOT NULL DEFAULT '',
    approve_time    timestamptz,
    return_comment  text     NOT NULL DEFAULT '',
    return_time     timestamptz,
    revision        int      NOT NULL DEFAULT 0,
    create_time     timestamptz NOT NULL,
    update_time     timestamptz NOT NULL,
    version         bigint   NOT NULL DEFAULT 1
);

CREATE TABLE meetings (
    id                  uuid PRIMARY KEY,
    plan_id             text REFERENCES meeting_plans (id), -- NULL: unscheduled
    topic               text     NOT NULL,
    speakers            uuid[]   NOT NULL,
    audience            text     NOT NULL DEFAULT '',
    district            text     NOT NULL DEFAULT '',
    venue               text     NOT NULL,
    start_time          timestamptz NOT NULL,
    end_time            timestamptz NOT NULL,
    department          text     NOT NULL,
    organiser           text     NOT NULL,
    organiser_name      text     NOT NULL DEFAULT '',
    state               smallint NOT NULL,
    previous_start_time timestamptz,
    state_reason        text     NOT NULL DEFAULT '',
    -- The closing report, once held.
    attendance          int CHECK (attendance >= 0),
    summary             text     NOT NULL DEFAULT '',
    materials           jsonb    NOT NULL DEFAULT '[]',
    reporter            text     NOT NULL DEFAULT '',
    reporter_name       text     NOT NULL DEFAULT '',
    report_time         timestamptz,
    create_time         timestamptz NOT NULL,
    update_time         timestamptz NOT NULL,
    version             bigint   NOT NULL DEFAULT 1
);
CREATE INDEX meetings_start ON meetings (start_time, id);
CREATE INDEX meetings_plan ON meetings (plan_id, start_time);
CREATE INDEX meetings_department ON meetings (department, start_time);
CREATE INDEX meetings_speakers ON meetings USING gin (speakers);
-- Open meetings (planned, postponed): the reminder job looks for those past their time.
CREATE INDEX meetings_open_end ON meetings (end_time) WHERE state IN (1, 4);

CREATE TABLE questions (
    id                   uuid PRIMARY KEY,
    meeting_id           uuid     NOT NULL REFERENCES meetings (id),
    position             int      NOT NULL,
    text                 text     NOT NULL,
    classifier_code      text     NOT NULL,
    resolution           smallint NOT NULL,
    answer               text     NOT NULL DEFAULT '',
    department           text     NOT NULL DEFAULT '',
    state                smallint NOT NULL,
    appeal_id            uuid,
    appeal_number        text     NOT NULL DEFAULT '',
    appeal_register_time timestamptz,
    appeal_answer_time   timestamptz,
    appeal_result        smallint NOT NULL DEFAULT 0,
    appeal_on_time       boolean  NOT NULL DEFAULT false,
    UNIQUE (meeting_id, position)
);

-- Who changed what: every step of a meeting and of a plan. plan_revision > 0 marks the
-- changes made after the plan's approval (the revision they produced).
CREATE TABLE changes (
    id            bigserial PRIMARY KEY,
    time          timestamptz NOT NULL,
    actor         text     NOT NULL,
    actor_name    text     NOT NULL DEFAULT '',
    kind          smallint NOT NULL,
    meeting_id    uuid REFERENCES meetings (id) ON DELETE SET NULL,
    meeting_topic text     NOT NULL DEFAULT '',
    plan_id       text REFERENCES meeting_plans (id),
    plan_revision int      NOT NULL DEFAULT 0,
    note          text     NOT NULL DEFAULT ''
);
CREATE INDEX changes_plan ON changes (plan_id, id);
CREATE INDEX changes_meeting ON changes (meeting_id, id);

-- One reminder per meeting and city day: the primary key makes a second replica's insert a no-op.
CREATE TABLE report_reminders (
    meeting_id  uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    day         date NOT NULL,
    create_time timestamptz NOT NULL,
    PRIMARY KEY (meeting_id, day)
);

-- +goose Down
DROP TABLE report_reminders;
DROP TABLE changes;
DROP TABLE questions;
DROP TABLE meetings;
DROP TABLE meeting_plans;
DROP TABLE classifier;
