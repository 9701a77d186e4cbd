package pgdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/cityhall-khv/cityhall/services/platform/pgdb/migrations"
)

// migrateLockID is the advisory lock key held while migrating ("cityhall" in ASCII). Advisory
// locks are per database, so services on one server do not wait for each other.
const migrateLockID int64 = 0x6369747968616c6c

// Set is an optional group of platform tables a service opts into, such as the read copy of
// the organisation directory; its versions are kept in goose_<Name>_version.
type Set struct {
	Name string
	FS   fs.FS
}

// Migrate applies the platform's migrations (goose table goose_platform_version), then the
// optional sets, then the service's from the root of serviceFS (goose table goose_db_version;
// nil: none), all under one advisory lock so that replicas starting together take turns and
// the later ones find nothing to do.
func Migrate(ctx context.Context, pool *pgxpool.Pool, serviceFS fs.FS, sets ...Set) error {
	// Own connections rather than the pool's: with the lock holder and goose's connection both
	// taken from it, a pool of one would deadlock.
	db := stdlib.OpenDB(*pool.Config().ConnConfig)
	defer db.Close()
	db.SetMaxOpenConns(2)

	lock, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("pgdb: migrate: %w", err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLockID); err != nil {
		return fmt.Errorf("pgdb: migrate: take advisory lock: %w", err)
	}
	defer func() {
		// Closing the session would release the lock too; unlocking first returns it sooner.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_, _ = lock.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", migrateLockID)
	}()

	if err := up(ctx, db, migrations.FS, "goose_platform_version", "platform"); err != nil {
		return err
	}
	for _, set := range sets {
		if err := up(ctx, db, set.FS, "goose_"+set.Name+"_version", set.Name); err != nil {
			return err
		}
	}
	if serviceFS == nil {
		return nil
	}
	return up(ctx, db, serviceFS, "goose_db_version", "service")
}

func up(ctx context.Context, db *sql.DB, fsys fs.FS, table, set string) error {
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys,
		goose.WithTableName(table),
		goose.WithDisableGlobalRegistry(true), // only the files given, no Go migrations registered elsewhere
	)
	if errors.Is(err, goose.ErrNoMigrations) && set == "platform" {
		return nil // the platform set may be empty; an empty service set is more likely a wrong fs.Sub
	}
	if err != nil {
		return fmt.Errorf("pgdb: %s migrations: %w", set, err)
	}
	results, err := p.Up(ctx)
	if pe, ok := errors.AsType[*goose.PartialError](err); ok && pe.Failed != nil {
		return fmt.Errorf("pgdb: %s migration %s: %w", set, path.Base(pe.Failed.Source.Path), pe.Err)
	}
	if err != nil {
		return fmt.Errorf("pgdb: %s migrations: %w", set, err)
	}
	for _, r := range results {
		slog.InfoContext(ctx, "postgres: migration applied", "set", set, "file", path.Base(r.Source.Path), "duration", r.Duration)
	}
	return nil
}
