package pgdb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb/migrations"
)

// These tests cannot use testkit (it imports pgdb and more); testServer follows the same
// discovery: CITYHALL_TEST_DATABASE_URL, DATABASE_URL, localhost:5432, shared test cluster.
var (
	serverOnce sync.Once
	server     *pgdb.Server
	serverErr  error
)

func testServer(t *testing.T) *pgdb.Server {
	t.Helper()
	serverOnce.Do(func() {
		url := os.Getenv("CITYHALL_TEST_DATABASE_URL")
		if url == "" {
			url = os.Getenv("DATABASE_URL")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		server, serverErr = pgdb.DiscoverWith(ctx, pgdb.Options{
			URL:       url,
			SkipLocal: os.Getenv("CITYHALL_PG_SKIP_LOCAL") == "1",
			DataDir:   filepath.Join(os.TempDir(), "cityhall-test-pg"),
			Port:      54339,
			Fast:      true,
		})
	})
	if serverErr != nil {
		t.Fatal(serverErr)
	}
	return server
}

func randomName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "t_" + hex.EncodeToString(b)
}

// newDatabase makes an empty database dropped at cleanup and returns its URL.
func newDatabase(t *testing.T) string {
	t.Helper()
	s := testServer(t)
	name := randomName()
	url, err := s.EnsureDatabase(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.DropDatabase(context.Background(), name); err != nil {
			t.Error(err)
		}
	})
	return url
}

func open(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgdb.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// withParam adds a query parameter to a URL-form connection string.
func withParam(url, kv string) string {
	if strings.Contains(url, "?") {
		return url + "&" + kv
	}
	return url + "?" + kv
}

var serviceFS = fstest.MapFS{
	"00001_things.sql": {Data: []byte("-- +goose Up\nCREATE TABLE things (id int);\n-- +goose Down\nDROP TABLE things;\n")},
	"00002_seed.sql":   {Data: []byte("-- +goose Up\nINSERT INTO things VALUES (1);\n")},
}

func TestMigrateConcurrentThenNoop(t *testing.T) {
	url := newDatabase(t)
	// Two pools of one connection each, like two replicas starting together; one connection also
	// shows that Migrate does not need a second one from the pool.
	pools := []*pgxpool.Pool{open(t, withParam(url, "pool_max_conns=1")), open(t, withParam(url, "pool_max_conns=1"))}
	errs := make([]error, len(pools))
	var wg sync.WaitGroup
	for i, p := range pools {
		wg.Go(func() { errs[i] = pgdb.Migrate(t.Context(), p, serviceFS) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Migrate %d: %v", i, err)
		}
	}
	if err := pgdb.Migrate(t.Context(), pools[0], serviceFS); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}

	var rows, version int
	q := "SELECT (SELECT count(*) FROM things), (SELECT max(version_id) FROM goose_db_version)"
	if err := pools[0].QueryRow(t.Context(), q).Scan(&rows, &version); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || version != 2 {
		t.Errorf("things rows = %d, service version = %d; want 1 and 2", rows, version)
	}
	platform, _ := fs.Glob(migrations.FS, "*.sql")
	var hasPlatformTable bool
	if err := pools[0].QueryRow(t.Context(), "SELECT to_regclass('goose_platform_version') IS NOT NULL").Scan(&hasPlatformTable); err != nil {
		t.Fatal(err)
	}
	if hasPlatformTable != (len(platform) > 0) {
		t.Errorf("goose_platform_version exists = %v with %d platform migrations", hasPlatformTable, len(platform))
	}
}

func TestMigrateErrors(t *testing.T) {
	pool := open(t, newDatabase(t))
	if err := pgdb.Migrate(t.Context(), pool, nil); err != nil {
		t.Errorf("Migrate with no service migrations: %v", err)
	}
	if err := pgdb.Migrate(t.Context(), pool, fstest.MapFS{}); err == nil {
		t.Error("Migrate with an empty service fs: no error, want one (wrong fs.Sub?)")
	}
	bad := fstest.MapFS{"00001_bad.sql": {Data: []byte("-- +goose Up\nCREATE TABLE;\n")}}
	err := pgdb.Migrate(t.Context(), pool, bad)
	if err == nil || !strings.Contains(err.Error(), "00001_bad.sql") {
		t.Errorf("Migrate with bad SQL: %v, want an error naming the file", err)
	}
}

func TestEnsureDatabaseRace(t *testing.T) {
	s := testServer(t)
	name := randomName()
	t.Cleanup(func() { _ = s.DropDatabase(context.Background(), name) })

	urls, errs := make([]string, 2), make([]error, 2)
	var wg sync.WaitGroup
	for i := range urls {
		wg.Go(func() { urls[i], errs[i] = s.EnsureDatabase(t.Context(), name) })
	}
	wg.Wait()
	for i := range urls {
		if errs[i] != nil {
			t.Fatalf("EnsureDatabase %d: %v", i, errs[i])
		}
	}
	again, err := s.EnsureDatabase(t.Context(), name)
	if err != nil || again != urls[0] || urls[1] != urls[0] {
		t.Fatalf("EnsureDatabase again: %q, %v; earlier %q", again, err, urls)
	}
	var got string
	if err := open(t, again).QueryRow(t.Context(), "SELECT current_database()").Scan(&got); err != nil || got != name {
		t.Fatalf("current_database() = %q, %v; want %q", got, err, name)
	}
}

func TestInTx(t *testing.T) {
	pool := open(t, newDatabase(t))
	if _, err := pool.Exec(t.Context(), "CREATE TABLE n (v int)"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := pgdb.InTx(t.Context(), pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(t.Context(), "INSERT INTO n VALUES (1)")
		return errors.Join(err, boom)
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want boom", err)
	}
	if err := pgdb.InTx(t.Context(), pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(t.Context(), "INSERT INTO n VALUES (2)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := pool.QueryRow(t.Context(), "SELECT coalesce(sum(v), 0) FROM n").Scan(&sum); err != nil || sum != 2 {
		t.Fatalf("sum = %d, %v; want 2 (rolled back 1, committed 2)", sum, err)
	}
}

func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestIsUnavailable(t *testing.T) {
	url := "postgres://u:s3cret@127.0.0.1:" + strconv.Itoa(closedPort(t)) + "/db?sslmode=disable"
	_, err := pgdb.Open(t.Context(), url)
	if !pgdb.IsUnavailable(err) {
		t.Errorf("refused connection: IsUnavailable(%v) = false", err)
	}
	if err != nil && strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error leaks the password: %v", err)
	}

	pool, err := pgxpool.New(t.Context(), url) // lazy: does not connect
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	if _, err := pool.Acquire(t.Context()); !pgdb.IsUnavailable(err) {
		t.Errorf("closed pool: IsUnavailable(%v) = false", err)
	}

	for _, err := range []error{nil, context.Canceled, errors.New("x"), &pgconn.PgError{Code: "23505"}, &pgconn.PgError{Code: "28P01"}} {
		if pgdb.IsUnavailable(err) {
			t.Errorf("IsUnavailable(%v) = true", err)
		}
	}
	for _, code := range []string{"57P01", "57P03", "08006", "53300"} {
		if !pgdb.IsUnavailable(&pgconn.PgError{Code: code}) {
			t.Errorf("IsUnavailable(SQLSTATE %s) = false", code)
		}
	}
}

func TestIsUnavailableTerminatedSession(t *testing.T) {
	pool := open(t, newDatabase(t))
	conn, err := pool.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var pid int
	if err := conn.QueryRow(t.Context(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(t.Context(), "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(t.Context(), "SELECT 1")
	if err == nil || !pgdb.IsUnavailable(err) {
		t.Errorf("query on a terminated session: IsUnavailable(%v) = false", err)
	}
}

func TestOpenBadURLDoesNotLeakPassword(t *testing.T) {
	_, err := pgdb.Open(t.Context(), "postgres://u:s3cret@host:notaport/db")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Open = %v, want an error without the password", err)
	}
}

func TestDatabaseURL(t *testing.T) {
	s := &pgdb.Server{AdminURL: "postgres://u:p@h:5/postgres?sslmode=disable&pool_max_conns=3"}
	if got, want := s.DatabaseURL("app"), "postgres://u:p@h:5/app?sslmode=disable&pool_max_conns=3"; got != want {
		t.Errorf("DatabaseURL = %q, want %q", got, want)
	}
	s = &pgdb.Server{AdminURL: "host=h user=u dbname=postgres"}
	cfg, err := pgx.ParseConfig(s.DatabaseURL("app"))
	if err != nil || cfg.Database != "app" || cfg.Host != "h" {
		t.Errorf("keyword form: %+v, %v", cfg, err)
	}
}

// TestPoolSize: the pool holds what the service's setting says, else the URL's pool_max_conns,
// else the platform's default (more than pgxpool's own 4 on a small machine).
func TestPoolSize(t *testing.T) {
	url := newDatabase(t)
	if got := open(t, url).Config().MaxConns; got != pgdb.DefaultMaxConns() || got < 8 {
		t.Errorf("no setting: %d connections, want the default %d (at least 8)", got, pgdb.DefaultMaxConns())
	}
	if got := open(t, withParam(url, "pool_max_conns=3")).Config().MaxConns; got != 3 {
		t.Errorf("pool_max_conns=3 in the URL: %d connections", got)
	}
	pool, err := pgdb.OpenMax(t.Context(), withParam(url, "pool_max_conns=3"), 12)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if got := pool.Config().MaxConns; got != 12 {
		t.Errorf("setting 12 over pool_max_conns=3: %d connections", got)
	}
}
