package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// testClusterPort is the port of the shared private test cluster when it is created; it differs
// from pgdb's default so that it does not collide with a `make run` cluster.
const testClusterPort = 54339

var (
	pgOnce   sync.Once
	pgServer *pgdb.Server
	pgErr    error
)

// testServer discovers the server once per test binary: CITYHALL_TEST_DATABASE_URL,
// DATABASE_URL, localhost:5432, else a private cluster in os.TempDir()/cityhall-test-pg shared by
// the test binaries of a run (pgdb serialises them with a file lock) and left running for reuse.
func testServer(t testing.TB) *pgdb.Server {
	t.Helper()
	pgOnce.Do(func() {
		url := os.Getenv("CITYHALL_TEST_DATABASE_URL")
		if url == "" {
			url = os.Getenv("DATABASE_URL")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		pgServer, pgErr = pgdb.DiscoverWith(ctx, pgdb.Options{
			URL:       url,
			SkipLocal: os.Getenv("CITYHALL_PG_SKIP_LOCAL") == "1",
			DataDir:   filepath.Join(os.TempDir(), "cityhall-test-pg"),
			Port:      testClusterPort,
			Fast:      true,
		})
	})
	if pgErr != nil {
		t.Fatalf("testkit: no PostgreSQL for tests: %v", pgErr)
	}
	return pgServer
}

// Postgres returns a pool on a fresh, empty database made for this test on the discovered server,
// migrated with pgdb.Migrate(ctx, pool, serviceFS) when serviceFS != nil; the pool is closed and
// the database dropped at cleanup.
func Postgres(t testing.TB, serviceFS fs.FS) *pgxpool.Pool {
	t.Helper()
	_, pool := newDatabase(t, serviceFS)
	return pool
}

// PostgresURL is Postgres returning the database's URL, for code that opens its own pool (e.g. a
// service under test).
func PostgresURL(t testing.TB, serviceFS fs.FS) string {
	t.Helper()
	url, pool := newDatabase(t, serviceFS)
	pool.Close()
	return url
}

func newDatabase(t testing.TB, serviceFS fs.FS) (string, *pgxpool.Pool) {
	t.Helper()
	s := testServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	url, err := s.EnsureDatabase(ctx, name)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	t.Cleanup(func() { dropDatabase(t, s, name) })

	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	t.Cleanup(pool.Close) // runs before the drop: cleanups are last in, first out
	if serviceFS != nil {
		if err := pgdb.Migrate(ctx, pool, serviceFS); err != nil {
			t.Fatalf("testkit: migrate %s: %v", name, err)
		}
	}
	return url, pool
}

func dropDatabase(t testing.TB, s *pgdb.Server, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.DropDatabase(ctx, name); err != nil {
		t.Errorf("testkit: %v", err)
	}
}
