-- +goose Up
-- ССТУ thematic classifier of appeals, loaded from the official list at start.
CREATE TABLE classifier (
    code        text PRIMARY KEY,
    parent_code text REFERENCES classifier (code),
    level       smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    name        text     NOT NULL
);

-- Registration numbers restart every (city-time) year and have no gaps.
CREATE TABLE registration_counters (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE appeals (
    id                  uuid PRIMARY KEY,
    registration_number text        NOT NULL UNIQUE,
    receive_time        timestamptz NOT NULL,
    register_time       timestamptz NOT NULL,
    channel             smallint    NOT NULL CHECK (channel > 0),
    text                text        NOT NULL,
    classifier_codes    text[]      NOT NULL CHECK (cardinality(classifier_codes) > 0),
    district            text        NOT NULL DEFAULT '',
    department          text        NOT NULL, -- a code of the organisation directory (read copy)
    collective          boolean     NOT NULL DEFAULT false,
    signatories         integer     NOT NULL DEFAULT 0 CHECK (signatories >= 0),
    state               smallint    NOT NULL,
    register_due_date   date        NOT NULL,
    answer_due_date     date        NOT NULL,
    update_time         timestamptz NOT NULL,
    version             bigint      NOT NULL DEFAULT 1,
    created_by          text        NOT NULL
);
-- Keyset pagination: newest first within a department, and across the city.
CREATE INDEX appeals_department_register ON appeals (department, register_time DESC, id DESC);
CREATE INDEX appeals_register ON appeals (register_time DESC, id DESC);
CREATE INDEX appeals_answer_due ON appeals (answer_due_date, id);

-- Daily registrations by department, classifier section and channel, kept by the
-- consumer of AppealRegistered; the monthly analytics read it.
CREATE TABLE registrations_daily (
    day        date     NOT NULL,
    department text     NOT NULL,
    section    text     NOT NULL,
    channel    smallint NOT NULL,
    appeals    integer  NOT NULL,
    PRIMARY KEY (day, department, section, channel)
);

-- +goose Down
DROP TABLE registrations_daily;
DROP TABLE appeals;
DROP TABLE registration_counters;
DROP TABLE classifier;
