// Package postgres stores the organisation directory in the service's own PostgreSQL database
// and publishes its events through the outbox.
package postgres

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cityhall-khv/cityhall/services/planning/db/planningdb"
	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// Repository implements app.Repository.
type Repository struct {
	pool *pgxpool.Pool
	q    *planningdb.Queries
}

// New returns the repository on pool.
func New(pool *pgxpool.Pool) *Repository {
	return &Repository{pool: pool, q: planningdb.New(pool)}
}

var _ app.Repository = (*Repository)(nil)

func (r *Repository) GetDistrict(ctx context.Context, code string) (domain.District, error) {
	row, err := r.q.GetDistrict(ctx, code)
	return districtFromRow(row), noRows(err)
}

func (r *Repository) ListDistricts(ctx context.Context, after string, limit int) ([]domain.District, error) {
	rows, err := r.q.ListDistricts(ctx, planningdb.ListDistrictsParams{After: after, RowLimit: int32(limit)})
	return mapRows(rows, districtFromRow), err
}

func (r *Repository) GetDepartment(ctx context.Context, code string) (domain.Department, error) {
	row, err := r.q.GetDepartment(ctx, code)
	return departmentFromRow(row), noRows(err)
}

func (r *Repository) GetOfficial(ctx context.Context, id uuid.UUID) (domain.Official, error) {
	row, err := r.q.GetOfficial(ctx, id)
	return officialFromRow(row), noRows(err)
}

// directoryLock serialises the changes of the directory (see app.Repository.Change).
const directoryLock = "SELECT pg_advisory_xact_lock(hashtext('planning.directory'))"

func (r *Repository) Change(ctx context.Context, fn func(app.Tx) error) error {
	return r.change(ctx, func(t *txStore) error { return fn(t) })
}

func (r *Repository) change(ctx context.Context, fn func(*txStore) error) error {
	return pgdb.InTx(ctx, r.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, directoryLock); err != nil {
			return err
		}
		return fn(&txStore{tx: tx, q: r.q.WithTx(tx)})
	})
}

// txStore implements app.Tx.
type txStore struct {
	tx pgx.Tx
	q  *planningdb.Queries
}

func (t *txStore) Claim(ctx context.Context, k idempotency.Key) (string, error) {
	return idempotency.Claim(ctx, t.tx, k)
}

func (t *txStore) Complete(ctx context.Context, k idempotency.Key, name string) error {
	return idempotency.Complete(ctx, t.tx, k, name)
}

func (t *txStore) District(ctx context.Context, code string) (domain.District, error) {
	row, err := t.q.GetDistrict(ctx, code)
	return districtFromRow(row), noRows(err)
}

func (t *txStore) Department(ctx context.Context, code string) (domain.Department, error) {
	row, err := t.q.GetDepartment(ctx, code)
	return departmentFromRow(row), noRows(err)
}

func (t *txStore) Official(ctx context.Context, id uuid.UUID) (domain.Official, error) {
	row, err := t.q.GetOfficial(ctx, id)
	return officialFromRow(row), noRows(err)
}

func (t *txStore) DepartmentParents(ctx context.Context) (map[string]string, error) {
	rows, err := t.q.DepartmentParents(ctx)
	if err != nil {
		return nil, err
	}
	parents := make(map[string]string, len(rows))
	for _, row := range rows {
		parents[row.Code] = row.Parent
	}
	return parents, nil
}

func (t *txStore) CreateDistrict(ctx context.Context, d domain.District) error {
	err := t.q.InsertDistrict(ctx, planningdb.InsertDistrictParams{
		Code: d.Code, Name: d.Name, CreateTime: d.UpdateTime, UpdateTime: d.UpdateTime, Version: d.Version,
	})
	if err != nil {
		return duplicate(err)
	}
	return publishDistrict(ctx, t.tx, d)
}

func (t *txStore) UpdateDistrict(ctx context.Context, d domain.District) error {
	err := t.q.UpdateDistrict(ctx, planningdb.UpdateDistrictParams{Code: d.Code, Name: d.Name, UpdateTime: d.UpdateTime, Version: d.Version})
	if err != nil {
		return err
	}
	return publishDistrict(ctx, t.tx, d)
}

func (t *txStore) CreateDepartment(ctx context.Context, d domain.Department) error {
	err := t.q.InsertDepartment(ctx, planningdb.InsertDepartmentParams{
		Code: d.Code, Name: d.Name, Kind: d.Kind, District: d.District, Parent: d.Parent, Curator: nullUUID(d.Curator),
		Active: d.Active, Demo: d.Demo, CreateTime: d.CreateTime, UpdateTime: d.UpdateTime, Version: d.Version,
	})
	if err != nil {
		return duplicate(err)
	}
	return publishDepartment(ctx, t.tx, d)
}

func (t *txStore) UpdateDepartment(ctx context.Context, d domain.Department) error {
	err := t.q.UpdateDepartment(ctx, planningdb.UpdateDepartmentParams{
		Code: d.Code, Name: d.Name, Kind: d.Kind, District: d.District, Parent: d.Parent, Curator: nullUUID(d.Curator),
		Active: d.Active, UpdateTime: d.UpdateTime, Version: d.Version,
	})
	if err != nil {
		return err
	}
	return publishDepartment(ctx, t.tx, d)
}

func (t *txStore) CreateOfficial(ctx context.Context, o domain.Official) error {
	err := t.q.InsertOfficial(ctx, planningdb.InsertOfficialParams{
		ID: o.ID, FullName: o.FullName, Position: o.Position, Department: o.Department, PlanAreas: nonNil(o.PlanAreas),
		Active: o.Active, Demo: o.Demo, CreateTime: o.UpdateTime, UpdateTime: o.UpdateTime, Version: o.Version,
	})
	if err != nil {
		return duplicate(err)
	}
	return publishOfficial(ctx, t.tx, o)
}

func (t *txStore) UpdateOfficial(ctx context.Context, o domain.Official) error {
	err := t.q.UpdateOfficial(ctx, planningdb.UpdateOfficialParams{
		ID: o.ID, FullName: o.FullName, Position: o.Position, Department: o.Department, PlanAreas: nonNil(o.PlanAreas),
		Active: o.Active, UpdateTime: o.UpdateTime, Version: o.Version,
	})
	if err != nil {
		return err
	}
	return publishOfficial(ctx, t.tx, o)
}

func noRows(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return app.ErrNotFound
	}
	return err
}

// duplicate maps a unique violation to app.ErrAlreadyExists.
func duplicate(err error) error {
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok && pgErr.Code == "23505" {
		return app.ErrAlreadyExists
	}
	return err
}

func nullUUID(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func mapRows[R, T any](rows []R, f func(R) T) []T {
	out := make([]T, len(rows))
	for i, r := range rows {
		out[i] = f(r)
	}
	return out
}

func districtFromRow(r planningdb.District) domain.District {
	return domain.District{Code: r.Code, Name: r.Name, UpdateTime: r.UpdateTime.UTC(), Version: r.Version}
}

func departmentFromRow(r planningdb.DepartmentRow) domain.Department {
	d := domain.Department{
		Code: r.Code, Name: r.Name, Kind: r.Kind, District: r.District, Parent: r.Parent, Active: r.Active, Demo: r.Demo,
		CreateTime: r.CreateTime.UTC(), UpdateTime: r.UpdateTime.UTC(), Version: r.Version,
	}
	if r.Curator != nil {
		d.Curator = *r.Curator
	}
	return d
}

func officialFromRow(r planningdb.OfficialRow) domain.Official {
	return domain.Official{
		ID: r.ID, FullName: r.FullName, Position: r.Position, Department: r.Department,
		CuratedDepartments: r.CuratedDepartments, PlanAreas: r.PlanAreas, Active: r.Active, Demo: r.Demo,
		UpdateTime: r.UpdateTime.UTC(), Version: r.Version,
	}
}
