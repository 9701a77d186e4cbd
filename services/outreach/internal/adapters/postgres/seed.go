package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/outreach/db"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/refdata"
)

// SeedReferenceData loads the ССТУ classifier shipped with the service. It is cheap when it
// is already there, and safe when several replicas start together.
func (r *Repository) SeedReferenceData(ctx context.Context) error {
	classifier, err := refdata.ReadCSV(db.Seed, "seed/classifier.csv")
	if err != nil {
		return err
	}
	return pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		// One loader at a time; the lock ends with the transaction.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('outreach.seed'))"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM classifier`).Scan(&n); err != nil {
			return err
		}
		if n == len(classifier) {
			return nil
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE classifier_load (LIKE classifier) ON COMMIT DROP`); err != nil {
			return err
		}
		src := pgx.CopyFromSlice(len(classifier), func(i int) ([]any, error) {
			row := classifier[i]
			var level int16
			if _, err := fmt.Sscan(row[2], &level); err != nil {
				return nil, fmt.Errorf("classifier %s: level %q", row[0], row[2])
			}
			return []any{row[0], row[1], level, row[3]}, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"classifier_load"}, []string{"code", "parent_code", "level", "name"}, src); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO classifier SELECT * FROM classifier_load
			ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, level = excluded.level, name = excluded.name`)
		return err
	})
}
