-- +goose Up
-- The organisation directory, owned by planning; other services keep a read copy fed by events.
-- Every row has a version bumped on each change: the etag, and the order of its events.
-- Empty references are NULL so that the foreign keys guard them.
CREATE TABLE districts (
    code        text PRIMARY KEY,
    name        text        NOT NULL,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL,
    version     bigint      NOT NULL
);

CREATE TABLE officials (
    id          uuid PRIMARY KEY,
    full_name   text        NOT NULL,
    position    text        NOT NULL,
    department  text,
    plan_areas  text[]      NOT NULL DEFAULT '{}',
    active      boolean     NOT NULL,
    demo        boolean     NOT NULL DEFAULT false,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL,
    version     bigint      NOT NULL
);
CREATE INDEX officials_by_name ON officials (full_name, id);

-- A department's curator is the one record of curatorship: an official's curated departments
-- are read from here, so the two can never disagree.
CREATE TABLE departments (
    code        text PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL DEFAULT '',
    district    text REFERENCES districts (code),
    parent      text REFERENCES departments (code),
    -- Deferred: a new official and the departments it curates are written in one transaction.
    curator     uuid REFERENCES officials (id) DEFERRABLE INITIALLY DEFERRED,
    active      boolean     NOT NULL,
    demo        boolean     NOT NULL DEFAULT false,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL,
    version     bigint      NOT NULL
);
CREATE INDEX departments_curator ON departments (curator);

ALTER TABLE officials ADD FOREIGN KEY (department) REFERENCES departments (code) DEFERRABLE INITIALLY DEFERRED;

-- The shapes the service reads: empty strings for missing references, and each official's
-- curated departments gathered from the departments (in byte order, as the service sorts them).
CREATE VIEW department_rows AS
SELECT code, name, kind, coalesce(district, '')::text AS district, coalesce(parent, '')::text AS parent,
       curator, active, demo, create_time, update_time, version
FROM departments;

CREATE VIEW official_rows AS
SELECT id, full_name, position, coalesce(department, '')::text AS department,
       ARRAY(SELECT d.code FROM departments d WHERE d.curator = o.id ORDER BY d.code COLLATE "C")::text[] AS curated_departments,
       plan_areas, active, demo, create_time, update_time, version
FROM officials o;

-- +goose Down
DROP VIEW official_rows;
DROP VIEW department_rows;
ALTER TABLE officials DROP CONSTRAINT officials_department_fkey;
DROP TABLE departments;
DROP TABLE officials;
DROP TABLE districts;
