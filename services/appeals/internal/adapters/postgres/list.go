package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/appeals/db/appealsdb"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// List is built by hand because its conditions and order vary; every value is a bind
// parameter. Pagination is keyset on (sort key, id), never OFFSET.
func (r *Repository) List(ctx context.Context, q app.ListQuery, scope app.Scope) ([]domain.Appeal, error) {
	// The registry lists numbered appeals only: one registered a moment ago appears once its
	// numbering step has committed (milliseconds), never without its number.
	where := []string{"a.registration_number IS NOT NULL"}
	args := pgx.NamedArgs{"limit": q.Limit}
	add := func(cond, name string, value any) {
		where = append(where, cond)
		args[name] = value
	}
	if scope.Departments != nil {
		add("(a.department = ANY(@scope) OR a.co_executors && @scope)", "scope", scope.Departments)
	}
	if q.Department != "" {
		add("a.department = @department", "department", q.Department)
	}
	if q.State != domain.StateUnspecified {
		add("a.state = @state", "state", int16(q.State))
	}
	if q.Channel != domain.ChannelUnspecified {
		add("a.channel = @channel", "channel", int16(q.Channel))
	}
	if q.District != "" {
		add("a.district = @district", "district", q.District)
	}
	if q.ClassifierPrefix != "" {
		add("EXISTS (SELECT 1 FROM unnest(a.classifier_codes) c WHERE c LIKE @prefix)", "prefix", q.ClassifierPrefix+"%")
	}
	if !q.RegisteredFrom.IsZero() {
		add("a.register_time >= @from", "from", q.RegisteredFrom)
	}
	if !q.RegisteredTo.IsZero() {
		add("a.register_time < @to", "to", q.RegisteredTo)
	}
	// Deadline states as domain.DeadlineOn computes them; open states are 1-4 (see the
	// partial index appeals_open_due).
	switch q.Deadline {
	case domain.DeadlineOverdue:
		add("a.state IN (1, 2, 3, 4) AND a.answer_due_date < @today", "today", dateToPG(q.Today))
	case domain.DeadlineDueSoon:
		add("a.state IN (1, 2, 3, 4) AND a.answer_due_date >= @today AND a.answer_due_date < @due_soon_from", "today", dateToPG(q.Today))
		args["due_soon_from"] = dateToPG(domain.DueSoonFrom(q.Today))
	case domain.DeadlineOnTime:
		add("a.state IN (1, 2, 3, 4) AND a.answer_due_date >= @due_soon_from", "due_soon_from", dateToPG(domain.DueSoonFrom(q.Today)))
	case domain.DeadlineClosed:
		where = append(where, "a.state NOT IN (1, 2, 3, 4)")
	}
	if q.Repeated != nil {
		add("a.repeated = @repeated", "repeated", *q.Repeated)
	}
	if q.RegistrationNumber != "" {
		add("a.registration_number = @registration_number", "registration_number", q.RegistrationNumber)
	}
	if q.Executor != "" {
		add("a.executor = @executor", "executor", q.Executor)
	}
	if q.Source != "" {
		add("a.source = @source", "source", q.Source) // the unique index appeals_source
	}

	key, dir := "register_time", "DESC"
	switch q.Order {
	case app.OrderRegisterTimeAsc:
		dir = "ASC"
	case app.OrderAnswerDueAsc:
		key, dir = "answer_due_date", "ASC"
	case app.OrderAnswerDueDesc:
		key = "answer_due_date"
	}
	if q.After != nil {
		cmp := "<"
		if dir == "ASC" {
			cmp = ">"
		}
		var after any = q.After.Time
		if key == "answer_due_date" {
			after = dateToPG(domain.DateOf(q.After.Time))
		}
		add(fmt.Sprintf("(a.%s, a.id) %s (@after_key, @after_id)", key, cmp), "after_key", after)
		args["after_id"] = q.After.ID
	}
	// The page is cut first and only its rows are looked up in applicants: in one query the
	// planner costs that lookup for every matching row and hashes the whole applicants table.
	sql := `SELECT a.*, coalesce(d.name, '')
		FROM appeals a LEFT JOIN directory_departments d ON d.code = a.department`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	order := fmt.Sprintf(" ORDER BY %%[1]s.%s %s, %%[1]s.id %s", key, dir, dir)
	sql = `SELECT page.*, EXISTS (SELECT 1 FROM applicants p WHERE p.appeal_id = page.id AND p.destroy_time IS NOT NULL)
		FROM (` + sql + fmt.Sprintf(order, "a") + ` LIMIT @limit) page` + fmt.Sprintf(order, "page")

	rows, err := r.pool.Query(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[listRow])
	if err != nil {
		return nil, err
	}
	out := make([]domain.Appeal, len(list))
	for i, row := range list {
		if out[i], err = appealFromRow(row.Appeal, row.DepartmentName, row.ApplicantDestroyed); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// listRow is a row of the list query; the embedded struct's fields are scanned in place.
type listRow struct {
	appealsdb.Appeal
	DepartmentName     string
	ApplicantDestroyed bool
}
