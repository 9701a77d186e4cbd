package postgres

import (
	"context"
	"fmt"
	"github.com/cityhall-khv/cityhall/services/platform/refdata"

	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/appeals/db"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// SeedReferenceData loads the ССТУ classifier shipped with the service.
// It is cheap when they are already there, and safe when several replicas start together.
func (r *Repository) SeedReferenceData(ctx context.Context) error {
	classifier, err := refdata.ReadCSV(db.Seed, "seed/classifier.csv")
	if err != nil {
		return err
	}
	return pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		// One loader at a time; the lock ends with the transaction.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('appeals.seed'))"); err != nil {
			return err
		}
		q := r.q.WithTx(tx)
		n, err := q.ClassifierCount(ctx)
		if err != nil {
			return err
		}
		if int(n) == len(classifier) {
			return nil
		}
		return loadClassifier(ctx, tx, classifier)
	})
}

func loadClassifier(ctx context.Context, tx pgx.Tx, rows [][]string) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE classifier_load (LIKE classifier) ON COMMIT DROP`); err != nil {
		return err
	}
	src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
		row := rows[i]
		var parent any
		if row[1] != "" {
			parent = row[1]
		}
		var level int16
		if _, err := fmt.Sscan(row[2], &level); err != nil {
			return nil, fmt.Errorf("classifier %s: level %q", row[0], row[2])
		}
		return []any{row[0], parent, level, row[3]}, nil
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"classifier_load"}, []string{"code", "parent_code", "level", "name"}, src); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO classifier SELECT * FROM classifier_load
		ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, level = excluded.level, name = excluded.name`)
	return err
}
