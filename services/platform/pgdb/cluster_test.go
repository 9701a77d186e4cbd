package pgdb_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// TestPrivateCluster makes a real cluster with initdb, restarts it from its files, and checks
// that only the process that started it stops it.
func TestPrivateCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("initdb and server start take seconds")
	}
	start := time.Now()
	dir, err := os.MkdirTemp("", "pgdb-cluster-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil { // the postgres OS user must reach it when we are root
		t.Fatal(err)
	}
	port := closedPort(t)
	t.Setenv("DATABASE_URL", "")
	t.Setenv("CITYHALL_PG_SKIP_LOCAL", "1")
	t.Setenv("CITYHALL_PG_PORT", strconv.Itoa(port))
	ctx := t.Context()

	s, err := pgdb.Discover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	if !strings.Contains(s.AdminURL, ":"+strconv.Itoa(port)+"/") {
		t.Errorf("AdminURL %q, want port %d", s.AdminURL, port)
	}
	url, err := s.EnsureDatabase(ctx, "app")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgdb.Migrate(ctx, pool, serviceFS); err != nil {
		t.Fatal(err)
	}
	pool.Close()

	// A second discoverer reuses the running cluster and must not stop it.
	other, err := pgdb.Discover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ping(ctx, url); err != nil {
		t.Fatalf("cluster stopped by a process that did not start it: %v", err)
	}

	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ping(ctx, url); !pgdb.IsUnavailable(err) {
		t.Fatalf("after Close: ping = %v, want unavailable", err)
	}

	// Stopped: Discover starts it again from its files, data kept.
	again, err := pgdb.Discover(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = again.Close(context.Background()) })
	pool, err = pgdb.Open(ctx, again.DatabaseURL("app"))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = pool.QueryRow(ctx, "SELECT count(*) FROM things").Scan(&n)
	pool.Close()
	if err != nil || n != 1 {
		t.Fatalf("after restart: %d things, %v; want 1", n, err)
	}
	if err := again.Close(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("private cluster: create, start, stop, restart, stop in %v", time.Since(start))
}

func ping(ctx context.Context, url string) error {
	pool, err := pgdb.Open(ctx, url)
	if err != nil {
		return err
	}
	pool.Close()
	return nil
}
