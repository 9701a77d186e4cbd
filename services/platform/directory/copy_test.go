package directory_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
	"github.com/cityhall-khv/cityhall/services/platform/inbox"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

func copyDB(t *testing.T) *pgxpool.Pool {
	pool := testkit.Postgres(t, nil)
	if err := pgdb.Migrate(context.Background(), pool, nil, directory.Migrations); err != nil {
		t.Fatal(err)
	}
	return pool
}

func publishDepartment(t *testing.T, nc *natsx.Conn, code, name string, active bool, version int64) {
	t.Helper()
	directorytest.PublishDepartment(t, nc, directory.Department{Code: code, Name: name, Kind: "управление", Active: active}, version)
}

// follow runs the service's directory consumer into pool until the test ends.
func follow(t *testing.T, pool *pgxpool.Pool, nc *natsx.Conn, service string) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = inbox.Run(ctx, pool, nc.JS, directory.Consumer(service), directory.Apply, slog.Default())
	}()
	t.Cleanup(func() { cancel(); <-done })
}

func waitName(t *testing.T, pool *pgxpool.Pool, code, want string) directory.Department {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, ok, err := directory.LookupDepartment(context.Background(), pool, code)
		if err != nil {
			t.Fatal(err)
		}
		if ok && d.Name == want {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: copy has %+v (known %v), want name %q", code, d, ok, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCopyFollowsTheLatestVersionOnly(t *testing.T) {
	nc := testkit.NATS(t)
	if err := nc.EnsureStream(context.Background(), directory.Stream()); err != nil {
		t.Fatal(err)
	}
	pool := copyDB(t)
	follow(t, pool, nc, "test")

	publishDepartment(t, nc, "UDVB", "Управление дорог", true, 1)
	waitName(t, pool, "UDVB", "Управление дорог")
	publishDepartment(t, nc, "UDVB", "Управление дорог и внешнего благоустройства", true, 3)
	waitName(t, pool, "UDVB", "Управление дорог и внешнего благоустройства")
	// A late, older event (a redelivery or a replay) does not bring the old name back.
	publishDepartment(t, nc, "UDVB", "Управление дорог", false, 2)
	publishDepartment(t, nc, "UT", "Управление транспорта", true, 1)
	waitName(t, pool, "UT", "Управление транспорта") // the older event was processed before this one
	d := waitName(t, pool, "UDVB", "Управление дорог и внешнего благоустройства")
	if !d.Active {
		t.Fatal("an older event deactivated the department")
	}
}

func TestCopyBuiltFromScratchEqualsTheLatestState(t *testing.T) {
	nc := testkit.NATS(t)
	if err := nc.EnsureStream(context.Background(), directory.Stream()); err != nil {
		t.Fatal(err)
	}
	for v := int64(1); v <= 5; v++ {
		publishDepartment(t, nc, "UO", "Управление образования, редакция "+string(rune('0'+v)), v%2 == 1, v)
	}
	publishDepartment(t, nc, "UK", "Управление культуры", true, 1)
	info, err := nc.JS.Stream(context.Background(), directory.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	if n := info.CachedInfo().State.Msgs; n != 2 {
		t.Fatalf("stream keeps %d messages, want the latest per entity (2)", n)
	}
	// A service joining late starts with an empty copy and catches up on the current state.
	pool := copyDB(t)
	follow(t, pool, nc, "latecomer")
	d := waitName(t, pool, "UO", "Управление образования, редакция 5")
	if !d.Active {
		t.Fatal("latest state lost")
	}
	waitName(t, pool, "UK", "Управление культуры")
}
