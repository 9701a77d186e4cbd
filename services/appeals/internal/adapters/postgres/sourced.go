package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
)

// RegisterFromSource registers in (whose appeal has Source source) in the consumer's
// transaction tx, unless an appeal from source exists: then it returns that one, not created.
// Two events for one source handled at once (a republish under a new event id, on another
// replica) meet at the advisory lock: the second waits for the first to commit and finds its
// appeal, so no registration number is taken for nothing. The unique index appeals_source
// stays the last guard.
func (r *Repository) RegisterFromSource(ctx context.Context, tx app.Tx, source string, in app.NewAppeal) (domain.Appeal, bool, error) {
	ptx := tx.(pgx.Tx)
	if _, err := ptx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('appeals.source'), hashtext($1))`, source); err != nil {
		return domain.Appeal{}, false, err
	}
	var id uuid.UUID
	err := ptx.QueryRow(ctx, `SELECT id FROM appeals WHERE source = $1`, source).Scan(&id)
	switch {
	case err == nil:
		a, err := get(ctx, r.q.WithTx(ptx), id, app.Scope{})
		return a, false, err
	case !errors.Is(err, pgx.ErrNoRows):
		return domain.Appeal{}, false, err
	}
	// Registered and numbered in the consumer's transaction: the numbering lock is held
	// exclusively from here to its commit (questions are few; clerks' registrations wait).
	if _, err := ptx.Exec(ctx, lockNumberingExclusive); err != nil {
		return domain.Appeal{}, false, err
	}
	a, err := r.insert(ctx, ptx, in)
	if err != nil {
		return domain.Appeal{}, false, err
	}
	numbered, err := r.numberPending(ctx, ptx)
	if err != nil {
		return domain.Appeal{}, false, err
	}
	for _, n := range numbered {
		if n.ID == a.ID {
			a.RegistrationNumber, a.Version = n.RegistrationNumber, n.Version
		}
	}
	if a.RegistrationNumber == "" {
		return domain.Appeal{}, false, fmt.Errorf("appeal %s was not numbered", app.AppealName(a.ID))
	}
	return a, true, nil
}

// ClassifierName is the name of a classifier code, and whether the classifier has it.
func (r *Repository) ClassifierName(ctx context.Context, code string) (string, bool, error) {
	var name string
	err := r.pool.QueryRow(ctx, `SELECT name FROM classifier WHERE code = $1`, code).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return name, err == nil, err
}

// DirectoryFilled reports whether the directory's read copy holds any department yet.
func (r *Repository) DirectoryFilled(ctx context.Context) (bool, error) {
	return directory.Filled(ctx, r.pool)
}
