package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/app"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// The analytics are two GROUP BY queries over the appeals registered in the period (an index
// range on register_time; within a department, on (department, register_time)), run in one
// read-only snapshot so that their figures agree. Written by hand, not with sqlc: the
// conditions are the same as ListAppeals' and the row shapes are generic.

// statisticsFilter selects the appeals registered from the named parameter since until @to
// that the caller may see: the same visibility as ListAppeals (led or co-executed by one of the
// scope's departments), and the request's own filter on the lead department.
func statisticsFilter(since string) string {
	return `
	a.register_time >= @` + since + ` AND a.register_time < @to
	AND (@scope::text[] IS NULL OR a.department = ANY (@scope) OR a.co_executors && @scope)
	AND (@departments::text[] IS NULL OR a.department = ANY (@departments))`
}

// figureConditions are the conditions of app.Figures' counts over the rows of "a" (see
// statisticsBase), in figureFields' order; the last figure, DaysToAnswer, is a sum of days.
var figureConditions = []string{
	"true",                        // appeals
	"answered",                    // answered on substance
	"answered AND answer_on_time", // on time
	"answered AND answer_result = 1",
	"answered AND answer_result = 2",
	"answered AND answer_result = 3",
	"NOT answered AND state = 6",             // forwarded
	"NOT answered AND state = 8",             // left without answer
	"NOT answered AND state = 7",             // returned
	"NOT answered AND state = 9",             // correspondence ended
	"NOT answered AND state IN (1, 2, 3, 4)", // in work
	"NOT answered AND state IN (1, 2, 3, 4) AND answer_due_date < @today", // overdue
	"repeated",
}

// figureColumns are the aggregate columns of app.Figures, named f0, f1 ...
func figureColumns() string {
	var b strings.Builder
	for i, c := range figureConditions {
		fmt.Fprintf(&b, "count(*) FILTER (WHERE %s) AS f%d, ", c, i)
	}
	fmt.Fprintf(&b, "coalesce(sum(days), 0) AS f%d", len(figureConditions))
	return b.String()
}

// figureSums add up figureColumns of the rows where cond holds.
func figureSums(cond string) string {
	var b strings.Builder
	for i := range len(figureConditions) + 1 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "coalesce(sum(f%d) FILTER (WHERE %s), 0)", i, cond)
	}
	return b.String()
}

// statisticsBase is one row per appeal with what the figures need. Days to answer are
// calendar days in city time, as the deadlines are.
const statisticsBase = `
	SELECT a.id, a.register_time, a.district, a.department, a.channel, a.classifier_codes, a.state,
		a.repeated, a.answer_result, a.answer_on_time, a.answer_due_date,
		a.answer_time IS NOT NULL AS answered,
		(a.answer_time AT TIME ZONE 'Asia/Vladivostok')::date - (a.register_time AT TIME ZONE 'Asia/Vladivostok')::date AS days
	FROM appeals a`

// totalsSQL: the total and the breakdowns by district, department and channel, in one pass
// (GROUPING SETS); names from the directory's read copy.
var totalsSQL = `
WITH a AS (` + statisticsBase + ` WHERE ` + statisticsFilter("from") + `),
g AS (
	SELECT GROUPING(district, department, channel) AS set, district, department, channel, ` + figureColumns() + `
	FROM a
	GROUP BY GROUPING SETS ((), (district), (department), (channel))
)
SELECT g.*, coalesce(dd.name, dp.name, '')
FROM g
LEFT JOIN directory_districts dd ON g.set = 3 AND dd.code = g.district
LEFT JOIN directory_departments dp ON g.set = 5 AND dp.code = g.department`

// GROUPING(district, department, channel) of each set: 7 the total, 3 by district, 5 by
// department, 6 by channel.
const (
	setTotal      = 7
	setDistrict   = 3
	setDepartment = 5
	setChannel    = 6
)

// classifierSQL: every classifier code an appeal raises counts the appeal once at each level
// (section, topic, theme, question; a level-5 code under its question), in the period and in
// the previous period of the same length (for the growing topics). The appeals are counted
// first by their set of codes (a few hundred sets), and the sets then spread over the codes.
var classifierSQL = `
WITH a AS (` + statisticsBase + ` WHERE ` + statisticsFilter("previous") + `),
p AS (
	SELECT classifier_codes, register_time >= @from AS current, ` + figureColumns() + `
	FROM a
	GROUP BY 1, 2
),
k AS (
	SELECT p.*, c.level, c.code
	FROM p CROSS JOIN LATERAL (
		SELECT DISTINCT v.level, v.code
		FROM unnest(p.classifier_codes) AS u(code),
			LATERAL (VALUES (1, left(u.code, 4) || '.0000.0000.0000'), (2, left(u.code, 9) || '.0000.0000'),
				(3, left(u.code, 14) || '.0000'), (4, left(u.code, 19))) AS v(level, code)
	) c
)
SELECT k.level, k.code, coalesce(cl.name, ''), ` + figureSums("current") + `, coalesce(sum(f0) FILTER (WHERE NOT current), 0)
FROM k LEFT JOIN classifier cl ON cl.code = k.code
GROUP BY k.level, k.code, cl.name`

func (r *Repository) CountAppeals(ctx context.Context, sr app.StatisticsRange, scope app.Scope) (app.AppealCounts, error) {
	args := pgx.NamedArgs{
		"from": sr.From, "to": sr.To, "previous": sr.PreviousFrom, "today": pgDay(sr.Today),
		"scope": scope.Departments, "departments": sr.Departments,
	}
	out := app.AppealCounts{ByChannel: map[domain.Channel]app.Figures{}}
	tx, err := r.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return out, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only: nothing to keep

	rows, err := tx.Query(ctx, totalsSQL, args)
	if err != nil {
		return out, fmt.Errorf("appeal statistics: %w", err)
	}
	for rows.Next() {
		var (
			set        int32
			district   *string
			department *string
			channel    *int16
			f          app.Figures
			name       string
		)
		dest := append([]any{&set, &district, &department, &channel}, figureFields(&f)...)
		if err := rows.Scan(append(dest, &name)...); err != nil {
			rows.Close()
			return out, fmt.Errorf("appeal statistics: %w", err)
		}
		switch set {
		case setTotal:
			out.Total = f
		case setDistrict:
			out.ByDistrict = append(out.ByDistrict, app.Row{Key: statisticsKey(district), Name: name, Figures: f})
		case setDepartment:
			out.ByDepartment = append(out.ByDepartment, app.Row{Key: statisticsKey(department), Name: name, Figures: f})
		case setChannel:
			if channel != nil {
				out.ByChannel[domain.Channel(*channel)] = f
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("appeal statistics: %w", err)
	}

	rows, err = tx.Query(ctx, classifierSQL, args)
	if err != nil {
		return out, fmt.Errorf("appeal statistics by classifier: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			c     app.ClassifierCount
			level int32
		)
		dest := append([]any{&level, &c.Key, &c.Name}, figureFields(&c.Figures)...)
		if err := rows.Scan(append(dest, &c.Previous)...); err != nil {
			return out, fmt.Errorf("appeal statistics by classifier: %w", err)
		}
		c.Level = app.ClassifierLevel(level)
		out.Classifier = append(out.Classifier, c)
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("appeal statistics by classifier: %w", err)
	}
	return out, tx.Commit(ctx)
}

// figureFields are the scan targets of the figures columns, in their order.
func figureFields(f *app.Figures) []any {
	return []any{&f.Appeals, &f.Answered, &f.AnsweredOnTime, &f.Supported, &f.Explained, &f.NotSupported,
		&f.Forwarded, &f.LeftWithoutAnswer, &f.Returned, &f.CorrespondenceEnded, &f.InWork, &f.Overdue,
		&f.Repeated, &f.DaysToAnswer}
}

func statisticsKey(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// pgDay is a date column's value: midnight UTC of the day, whatever the session time zone.
func pgDay(d domain.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }
