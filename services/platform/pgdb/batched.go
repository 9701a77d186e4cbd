package pgdb

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// errBatchedRead is what a read inside Batched gets: only writes whose results nobody reads
// can be sent ahead in one round trip.
var errBatchedRead = errors.New("pgdb: Batched takes only Exec statements (no Query or QueryRow)")

// Batched runs fn with a transaction whose Exec only queues the statement, then sends all that
// fn queued to the server in one round trip (a pgx batch, in tx) and returns the first
// statement's error. It is for the writes at the end of a transaction that holds a hot lock
// until commit (e.g. a gapless counter's row): every round trip saved there is time in which
// no other transaction can take the lock. Inside fn, Exec returns an empty command tag, and
// Query and QueryRow fail.
func Batched(ctx context.Context, tx pgx.Tx, fn func(pgx.Tx) error) error {
	q := &queuingTx{Tx: tx}
	if err := fn(q); err != nil {
		return err
	}
	n := q.batch.Len()
	if n == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, &q.batch)
	for range n {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return err
		}
	}
	return br.Close()
}

// queuingTx is a transaction whose Exec queues into a batch.
type queuingTx struct {
	pgx.Tx
	batch pgx.Batch
}

func (q *queuingTx) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	q.batch.Queue(sql, args...)
	return pgconn.CommandTag{}, nil
}

func (q *queuingTx) Query(context.Context, string, ...any) (pgx.Rows, error) {
	return nil, errBatchedRead
}

func (q *queuingTx) QueryRow(context.Context, string, ...any) pgx.Row { return errRow{} }

type errRow struct{}

func (errRow) Scan(...any) error { return errBatchedRead }
