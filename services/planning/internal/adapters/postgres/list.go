package postgres

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/planning/db/planningdb"
	"github.com/cityhall-khv/cityhall/services/planning/internal/app"
	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
)

// The lists are built by hand because their conditions vary; every value is a bind parameter.
// Pagination is keyset, never OFFSET.

func (r *Repository) ListDepartments(ctx context.Context, q app.DepartmentQuery) ([]domain.Department, error) {
	w := where{args: pgx.NamedArgs{"limit": q.Limit}}
	w.add(q.District != "", "district = @district", "district", q.District)
	w.add(q.Kind != "", "kind = @kind", "kind", q.Kind)
	w.add(q.Curator != uuid.Nil, "curator = @curator", "curator", q.Curator)
	w.add(q.Active != nil, "active = @active", "active", q.Active)
	w.add(!q.ShowDeactivated, "active", "", nil)
	w.add(q.After != "", "code > @after", "after", q.After)
	rows, err := r.pool.Query(ctx, "SELECT * FROM department_rows"+w.sql()+" ORDER BY code LIMIT @limit", w.args)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[planningdb.DepartmentRow])
	return mapRows(list, departmentFromRow), err
}

func (r *Repository) ListOfficials(ctx context.Context, q app.OfficialQuery) ([]domain.Official, error) {
	w := where{args: pgx.NamedArgs{"limit": q.Limit}}
	w.add(q.Department != "", "department = @department", "department", q.Department)
	w.add(q.Curates != "", "@curates = ANY (curated_departments)", "curates", q.Curates)
	w.add(q.Active != nil, "active = @active", "active", q.Active)
	if q.After != nil {
		w.add(true, "(full_name, id) > (@after_name, @after_id)", "after_name", q.After.FullName)
		w.args["after_id"] = q.After.ID
	}
	rows, err := r.pool.Query(ctx, "SELECT * FROM official_rows"+w.sql()+" ORDER BY full_name, id LIMIT @limit", w.args)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[planningdb.OfficialRow])
	return mapRows(list, officialFromRow), err
}

// where collects the conditions of a list query.
type where struct {
	conds []string
	args  pgx.NamedArgs
}

func (w *where) add(when bool, cond, name string, value any) {
	if !when {
		return
	}
	w.conds = append(w.conds, cond)
	if name != "" {
		w.args[name] = value
	}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
