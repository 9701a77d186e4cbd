package pgdb_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// Batched writes what fn queued, in order, inside the transaction; the first failing
// statement's error comes back and the transaction rolls back whole.
func TestBatched(t *testing.T) {
	ctx := context.Background()
	pool := open(t, newDatabase(t))
	if _, err := pool.Exec(ctx, `CREATE TABLE t (k int PRIMARY KEY, v text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	err := pgdb.InTx(ctx, pool, func(tx pgx.Tx) error {
		return pgdb.Batched(ctx, tx, func(b pgx.Tx) error {
			for k := 1; k <= 3; k++ {
				if _, err := b.Exec(ctx, `INSERT INTO t (k, v) VALUES ($1, $2)`, k, "v"); err != nil {
					return err
				}
			}
			_, err := b.Exec(ctx, `UPDATE t SET v = 'w' WHERE k = $1`, 2)
			return err
		})
	})
	if err != nil || count() != 3 {
		t.Fatalf("err %v, %d rows, want 3", err, count())
	}
	var v string
	if err := pool.QueryRow(ctx, `SELECT v FROM t WHERE k = 2`).Scan(&v); err != nil || v != "w" {
		t.Fatalf("k=2: %q %v: the update after the insert was not applied in order", v, err)
	}

	err = pgdb.InTx(ctx, pool, func(tx pgx.Tx) error {
		return pgdb.Batched(ctx, tx, func(b pgx.Tx) error {
			_, _ = b.Exec(ctx, `INSERT INTO t (k, v) VALUES (4, 'v')`)
			_, _ = b.Exec(ctx, `INSERT INTO t (k, v) VALUES (1, 'again')`) // duplicate key
			_, _ = b.Exec(ctx, `INSERT INTO t (k, v) VALUES (5, 'v')`)
			return nil
		})
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Fatalf("err = %v, want the duplicate key violation", err)
	}
	if count() != 3 {
		t.Fatalf("%d rows after a failed batch, want 3 (rolled back whole)", count())
	}

	err = pgdb.InTx(ctx, pool, func(tx pgx.Tx) error {
		return pgdb.Batched(ctx, tx, func(b pgx.Tx) error {
			var n int
			return b.QueryRow(ctx, `SELECT 1`).Scan(&n)
		})
	})
	if err == nil {
		t.Fatal("a read inside Batched did not fail")
	}
}
