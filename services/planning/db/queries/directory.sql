-- name: GetDistrict :one
SELECT * FROM districts WHERE code = $1;

-- name: ListDistricts :many
SELECT * FROM districts WHERE code > @after ORDER BY code LIMIT @row_limit;

-- name: DirectoryRows :one
SELECT count(*) FROM (SELECT code FROM districts UNION ALL SELECT code FROM departments
    UNION ALL SELECT id::text FROM officials) AS directory;

-- name: InsertDistrict :exec
INSERT INTO districts (code, name, create_time, update_time, version) VALUES ($1, $2, $3, $4, $5);

-- name: UpdateDistrict :exec
UPDATE districts SET name = $2, update_time = $3, version = $4 WHERE code = $1;

-- name: GetDepartment :one
SELECT * FROM department_rows WHERE code = $1;

-- name: DepartmentParents :many
SELECT code, coalesce(parent, '')::text AS parent FROM departments;

-- name: InsertDepartment :exec
INSERT INTO departments (code, name, kind, district, parent, curator, active, demo, create_time, update_time, version)
VALUES (@code, @name, @kind, nullif(@district::text, ''), nullif(@parent::text, ''), @curator, @active, @demo,
        @create_time, @update_time, @version);

-- name: UpdateDepartment :exec
UPDATE departments SET name = @name, kind = @kind, district = nullif(@district::text, ''),
    parent = nullif(@parent::text, ''), curator = @curator, active = @active, update_time = @update_time, version = @version
WHERE code = @code;

-- name: GetOfficial :one
SELECT * FROM official_rows WHERE id = $1;

-- name: InsertOfficial :exec
INSERT INTO officials (id, full_name, position, department, plan_areas, active, demo, create_time, update_time, version)
VALUES (@id, @full_name, @position, nullif(@department::text, ''), @plan_areas, @active, @demo,
        @create_time, @update_time, @version);

-- name: UpdateOfficial :exec
UPDATE officials SET full_name = @full_name, position = @position, department = nullif(@department::text, ''),
    plan_areas = @plan_areas, active = @active, update_time = @update_time, version = @version
WHERE id = @id;
