package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
)

// held is the meetings held in the period (and the departments asked for), with their
// question counts; the breakdowns group it.
const held = `WITH held AS (
	SELECT m.id, m.start_time, m.district, m.department, m.speakers, m.attendance,
		(SELECT count(*) FROM questions q WHERE q.meeting_id = m.id) AS questions
	FROM meetings m
	WHERE m.state = 2 AND m.start_time >= @from AND m.start_time < @to
	  AND (cardinality(@departments::text[]) = 0 OR m.department = ANY(@departments)))
`

func (r *Repository) Statistics(ctx context.Context, q app.StatsQuery) (app.Statistics, error) {
	var st app.Statistics
	depts := q.Departments
	if depts == nil {
		depts = []string{}
	}
	args := pgx.NamedArgs{"from": q.From, "to": q.To, "departments": depts, "now": q.Now}
	err := r.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE state = 2), count(*) FILTER (WHERE state = 3),
			count(*) FILTER (WHERE state IN (1, 4) AND end_time < @now),
			COALESCE(sum(attendance) FILTER (WHERE state = 2), 0),
			count(*) FILTER (WHERE state = 2 AND plan_id IS NULL)
		FROM meetings
		WHERE start_time >= @from AND start_time < @to
		  AND (cardinality(@departments::text[]) = 0 OR department = ANY(@departments))`, args).
		Scan(&st.Planned, &st.Held, &st.Cancelled, &st.ReportsOverdue, &st.People, &st.UnscheduledHeld)
	if err != nil {
		return st, err
	}
	err = r.pool.QueryRow(ctx, held+`SELECT count(*), count(*) FILTER (WHERE q.resolution = 1), count(*) FILTER (WHERE q.resolution = 2)
		FROM held JOIN questions q ON q.meeting_id = held.id`, args).Scan(&st.Questions, &st.OnTheSpot, &st.Referred)
	if err != nil {
		return st, err
	}
	breakdown := func(key string) ([]app.StatsRow, error) {
		rows, err := r.pool.Query(ctx, held+`SELECT `+key+` AS k, count(*), COALESCE(sum(attendance), 0), COALESCE(sum(questions), 0)
			FROM held GROUP BY k ORDER BY k`, args)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.StatsRow, error) {
			var s app.StatsRow
			err := row.Scan(&s.Key, &s.Held, &s.People, &s.Questions)
			return s, err
		})
	}
	if st.ByMonth, err = breakdown(`to_char(start_time AT TIME ZONE 'Asia/Vladivostok', 'YYYY-MM')`); err != nil {
		return st, err
	}
	if st.ByDistrict, err = breakdown(`district`); err != nil {
		return st, err
	}
	if st.ByDepartment, err = breakdown(`department`); err != nil {
		return st, err
	}
	rows, err := r.pool.Query(ctx, held+`SELECT 'officials/' || s::text AS k, count(*), COALESCE(sum(attendance), 0), COALESCE(sum(questions), 0)
		FROM held, unnest(held.speakers) s GROUP BY k ORDER BY k`, args)
	if err != nil {
		return st, err
	}
	if st.BySpeaker, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (app.StatsRow, error) {
		var s app.StatsRow
		err := row.Scan(&s.Key, &s.Held, &s.People, &s.Questions)
		return s, err
	}); err != nil {
		return st, err
	}
	err = r.pool.QueryRow(ctx, `SELECT count(*), COALESCE(sum(attendance), 0) FROM meetings
		WHERE state = 2 AND start_time >= @year_from AND start_time < @year_to
		  AND (cardinality(@departments::text[]) = 0 OR department = ANY(@departments))`,
		pgx.NamedArgs{"year_from": q.YearFrom, "year_to": q.YearTo, "departments": depts}).Scan(&st.YearHeld, &st.YearPeople)
	return st, err
}
