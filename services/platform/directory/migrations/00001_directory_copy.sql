-- +goose Up
-- Read copy of planning's organisation directory. Each row keeps the version of the event that
-- wrote it; an older or repeated event never overwrites a newer one.
CREATE TABLE directory_districts (
    code    text PRIMARY KEY,
    name    text   NOT NULL,
    version bigint NOT NULL
);

CREATE TABLE directory_departments (
    code     text PRIMARY KEY,
    name     text    NOT NULL,
    kind     text    NOT NULL DEFAULT '',
    district text    NOT NULL DEFAULT '',
    parent   text    NOT NULL DEFAULT '',
    curator  text    NOT NULL DEFAULT '',
    active   boolean NOT NULL,
    version  bigint  NOT NULL
);

CREATE TABLE directory_officials (
    id                  uuid PRIMARY KEY,
    full_name           text    NOT NULL,
    position            text    NOT NULL,
    department          text    NOT NULL DEFAULT '',
    curated_departments text[]  NOT NULL DEFAULT '{}',
    active              boolean NOT NULL,
    version             bigint  NOT NULL
);
CREATE INDEX directory_officials_curated ON directory_officials USING gin (curated_departments);

-- +goose Down
DROP TABLE directory_officials;
DROP TABLE directory_departments;
DROP TABLE directory_districts;
