package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cityhall-khv/cityhall/services/appeals"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// DemoYear is the year the analytics scenarios report on: the generated year of 22,884
// appeals shaped like the city's 2017.
const DemoYear = 2017

// historyCreatedBy marks the appeals copied from the demo year into earlier years to make up
// the list scenario's million rows.
const historyCreatedBy = "bench-history"

// Dataset is the bench database: the appeals schema with the demo year and enough earlier
// years to hold Rows appeals, on the server `make run` would use.
type Dataset struct {
	URL    string
	Name   string
	Server *pgdb.Server
	Rows   int           // appeals in the database after loading
	Took   time.Duration // creating, migrating and loading
}

// CreateDataset (re)creates database name on the server found as `make run` finds it
// (DATABASE_URL, else localhost:5432, else the private cluster under dataDir), migrates it as
// the appeals service does, loads the demo year with appeals.LoadDemoYear and copies it,
// shifted back by whole years with new ids and numbers, until the table holds rows appeals.
// A database of that name left by an earlier run is dropped first.
func CreateDataset(ctx context.Context, dataDir, name string, rows int) (*Dataset, error) {
	if strings.HasPrefix(name, "cityhall_") {
		return nil, fmt.Errorf("bench: refusing database %q: cityhall_* are the `make run` databases", name)
	}
	began := time.Now()
	srv, err := pgdb.Discover(ctx, dataDir)
	if err != nil {
		return nil, fmt.Errorf("bench: postgres: %w", err)
	}
	if err := srv.DropDatabase(ctx, name); err != nil {
		return nil, err
	}
	url, err := srv.EnsureDatabase(ctx, name)
	if err != nil {
		return nil, err
	}
	d := &Dataset{URL: url, Name: name, Server: srv}
	if err := appeals.Migrate(ctx, appeals.Config{DatabaseURL: url}); err != nil {
		return nil, fmt.Errorf("bench: migrate: %w", err)
	}
	if _, err := appeals.LoadDemoYear(ctx, url, DemoYear); err != nil {
		return nil, fmt.Errorf("bench: demo year: %w", err)
	}
	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if err := copyYears(ctx, pool, rows); err != nil {
		return nil, fmt.Errorf("bench: earlier years: %w", err)
	}
	if err := baselineTables(ctx, pool); err != nil {
		return nil, fmt.Errorf("bench: baseline tables: %w", err)
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		return nil, err
	}
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM appeals").Scan(&d.Rows); err != nil {
		return nil, err
	}
	d.Took = time.Since(began)
	return d, nil
}

// Drop removes the bench database.
func (d *Dataset) Drop(ctx context.Context) error { return d.Server.DropDatabase(ctx, d.Name) }

// copyYears copies the demo year's appeals into the years before it, in SQL on the server,
// until the table holds rows appeals: the same mix of departments, districts, topics, states
// and channels, every time and date moved back by whole years, new ids and registration
// numbers of the earlier year. Columns are copied by type, so a column a later migration adds
// comes along unchanged.
func copyYears(ctx context.Context, pool *pgxpool.Pool, rows int) error {
	var have int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM appeals").Scan(&have); err != nil {
		return err
	}
	need := rows - have
	if need <= 0 {
		return nil
	}
	type column struct{ name, typ string }
	var cols []column
	r, err := pool.Query(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'appeals' AND is_generated = 'NEVER'
		ORDER BY ordinal_position`)
	if err != nil {
		return err
	}
	for r.Next() {
		var c column
		if err := r.Scan(&c.name, &c.typ); err != nil {
			return err
		}
		cols = append(cols, c)
	}
	if err := r.Err(); err != nil {
		return err
	}
	names := make([]string, len(cols))
	exprs := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		switch {
		case c.name == "id":
			exprs[i] = "gen_random_uuid()"
		case c.name == "registration_number":
			exprs[i] = "(left(a.registration_number, 4)::int - y.n)::text || substr(a.registration_number, 5)"
		case c.name == "created_by":
			exprs[i] = "'" + historyCreatedBy + "'"
		case c.name == "previous_appeals":
			exprs[i] = "'{}'" // the links point into the demo year
		case c.name == "repeated":
			exprs[i] = "false"
		case c.typ == "timestamp with time zone":
			exprs[i] = fmt.Sprintf("a.%s - make_interval(years => y.n)", c.name)
		case c.typ == "date":
			exprs[i] = fmt.Sprintf("(a.%s - make_interval(years => y.n))::date", c.name)
		default:
			exprs[i] = "a." + c.name
		}
	}
	perYear := appeals.DemoYearAppeals
	years := (need + perYear - 1) / perYear
	// One statement per year: each is a few seconds, and progress survives a slow server.
	for n := 1; n <= years && need > 0; n++ {
		limit := min(need, perYear)
		sql := fmt.Sprintf(`INSERT INTO appeals (%s)
			SELECT %s FROM (SELECT * FROM appeals WHERE created_by = 'demo-year' AND registration_number LIKE '%d-%%'
			                ORDER BY registration_number LIMIT %d) a
			CROSS JOIN (SELECT %d AS n) y`,
			strings.Join(names, ", "), strings.Join(exprs, ", "), DemoYear, limit, n)
		tag, err := pool.Exec(ctx, sql)
		if err != nil {
			return err
		}
		need -= int(tag.RowsAffected())
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("no demo year %d to copy", DemoYear)
		}
	}
	return nil
}

// baselineTables are the tables pgbench inserts into: copies of appeals and outbox with the
// same columns, defaults, constraints and indexes, so the baseline does the same writes
// without the services seeing its rows.
func baselineTables(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, `
		CREATE TABLE baseline_appeals (LIKE appeals INCLUDING ALL);
		CREATE TABLE baseline_outbox (LIKE outbox INCLUDING ALL)`)
	return err
}
