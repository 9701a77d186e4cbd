package pgdb_test

import (
	"testing"

	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

func TestScratchTestkit(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) {
		pool := testkit.Postgres(t, serviceFS)
		if err := pool.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM things").Scan(&n); err != nil || n != 1 {
			t.Fatal(n, err)
		}
		url := testkit.PostgresURL(t, nil)
		t.Log(name, url)
	})
	pool := testkit.Postgres(t, nil)
	var exists bool
	if err := pool.QueryRow(t.Context(), "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname=$1)", name).Scan(&exists); err != nil || exists {
		t.Fatalf("db %s still exists=%v err=%v", name, exists, err)
	}
}
