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
	var where []string
	args := pgx.NamedArgs{"limit": q.Limit}
	add := func(cond, name string, value any) {
		where = append(where, cond)
		args[name] = value
	}
	if scope.Departments != nil {
		add("department = ANY(@scope)", "scope", scope.Departments)
	}
	if q.Department != "" {
		add("department = @department", "department", q.Department)
	}
	if q.State != domain.StateUnspecified {
		add("state = @state", "state", int16(q.State))
	}
	if q.Channel != domain.ChannelUnspecified {
		add("channel = @channel", "channel", int16(q.Channel))
	}
	if q.District != "" {
		add("district = @district", "district", q.District)
	}
	if q.ClassifierPrefix != "" {
		add("EXISTS (SELECT 1 FROM unnest(classifier_codes) c WHERE c LIKE @prefix)", "prefix", q.ClassifierPrefix+"%")
	}
	if !q.RegisteredFrom.IsZero() {
		add("register_time >= @from", "from", q.RegisteredFrom)
	}
	if !q.RegisteredTo.IsZero() {
		add("register_time < @to", "to", q.RegisteredTo)
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
		add(fmt.Sprintf("(%s, id) %s (@after_key, @after_id)", key, cmp), "after_key", after)
		args["after_id"] = q.After.ID
	}
	sql := "SELECT * FROM appeals"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += fmt.Sprintf(" ORDER BY %s %s, id %s LIMIT @limit", key, dir, dir)

	rows, err := r.pool.Query(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[appealsdb.Appeal])
	if err != nil {
		return nil, err
	}
	out := make([]domain.Appeal, len(list))
	for i, row := range list {
		out[i] = appealFromRow(row)
	}
	return out, nil
}
