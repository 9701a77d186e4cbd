package faults

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Row is one line of the matrix. Recovery and Drain are NA when they do not apply.
type Row struct {
	Scenario      string
	Attempted     int // operations (a create and its retries with one request_id count once)
	Acked         int // acknowledged: answered OK
	Indeterminate int // never answered OK: timeouts and UNAVAILABLE until the client gave up
	Found         int // found after recovery
	Lost          int // acknowledged but not found, or an event that never reached the consumer
	Duplicated    int // a second appeal for one request_id, or an event counted twice
	Violations    int // broken rules of the scenario itself (see its test)
	Recovery      time.Duration
	Drain         time.Duration
	Notes         string
}

// NA marks a time that does not apply to a scenario.
const NA = time.Duration(-1)

var (
	rowsMu sync.Mutex
	rows   []Row
)

// Record adds r to the matrix and fails the test unless lost, duplicated and violations are 0.
func Record(t testing.TB, r Row) {
	t.Helper()
	rowsMu.Lock()
	rows = append(rows, r)
	rowsMu.Unlock()
	t.Logf("%s: attempted %d, acknowledged %d, indeterminate %d, found %d, lost %d, duplicated %d, violations %d, recovery %s, drain %s; %s",
		r.Scenario, r.Attempted, r.Acked, r.Indeterminate, r.Found, r.Lost, r.Duplicated, r.Violations,
		seconds(r.Recovery), seconds(r.Drain), r.Notes)
	if r.Lost != 0 || r.Duplicated != 0 || r.Violations != 0 {
		t.Errorf("%s: lost %d, duplicated %d, violations %d; want 0 each", r.Scenario, r.Lost, r.Duplicated, r.Violations)
	}
}

// Matrix is the recorded rows as a Markdown table, in scenario order.
func Matrix() string {
	rowsMu.Lock()
	rs := slices.Clone(rows)
	rowsMu.Unlock()
	if len(rs) == 0 {
		return ""
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Scenario < rs[j].Scenario })
	var b strings.Builder
	b.WriteString("| scenario | attempted | acknowledged | indeterminate | found | lost | duplicated | violations | recovery | drain | notes |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s |\n", r.Scenario, r.Attempted, r.Acked,
			r.Indeterminate, r.Found, r.Lost, r.Duplicated, r.Violations, seconds(r.Recovery), seconds(r.Drain), r.Notes)
	}
	return b.String()
}

func seconds(d time.Duration) string {
	if d < 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// Tally counts what the database holds for a workload's ops: found, lost (acknowledged, not
// found) and duplicated (more than one appeal for an op). Then every found op is sent once
// more with its request_id through create, which must answer the same appeal (a different
// one counts as duplicated).
func (e *Env) Tally(scenario string, ops []*Op, create func(login string) Creator) Row {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rs, err := e.DB.Query(ctx, `SELECT text, id::text FROM appeals WHERE text LIKE $1`, "Проверка отказоустойчивости "+scenario+",%")
	must(e.t, err)
	byText := map[string][]string{}
	for rs.Next() {
		var text, id string
		must(e.t, rs.Scan(&text, &id))
		byText[text] = append(byText[text], "appeals/"+id)
	}
	must(e.t, rs.Err())

	r := Row{Scenario: scenario, Attempted: len(ops), Recovery: NA, Drain: NA}
	var again []*Op
	retried := 0
	for _, op := range ops {
		if op.Calls > 1 {
			retried++
		}
		names := byText[op.Req.GetAppeal().GetText()]
		if len(names) > 0 {
			r.Found++
		}
		r.Duplicated += max(len(names)-1, 0)
		switch {
		case op.Acked != "":
			r.Acked++
			if !slices.Contains(names, op.Acked) {
				r.Lost++
			}
		case op.Rejected != nil:
			r.Violations++
			e.t.Logf("%s op %d rejected: %v", scenario, op.N, op.Rejected)
		default:
			r.Indeterminate++
		}
		if len(names) == 1 {
			again = append(again, op)
		}
	}

	// The retries, four at a time.
	creators := map[string]Creator{}
	for _, op := range again {
		if creators[op.Login] == nil {
			creators[op.Login] = create(op.Login)
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan *Op)
	for range 4 {
		wg.Go(func() {
			for op := range work {
				cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
				name, err := creators[op.Login](cctx, op.Req)
				ccancel()
				if want := byText[op.Req.GetAppeal().GetText()][0]; err != nil || name != want {
					mu.Lock()
					r.Duplicated++
					mu.Unlock()
					e.t.Logf("%s op %d: a retry after recovery answered %q, %v; want %s", scenario, op.N, name, err, want)
				}
			}
		})
	}
	for _, op := range again {
		work <- op
	}
	close(work)
	wg.Wait()
	e.note(&r, fmt.Sprintf("%d ops needed retries; %d found ops sent again after recovery", retried, len(again)))
	return r
}

// Drain waits (up to timeout) until every appeal's AppealRegistered event has reached the
// statistics consumer (outbox empty, consumer with nothing pending or unacknowledged) and
// returns the time since loadEnd, or NA.
func (e *Env) Drain(loadEnd time.Time, timeout time.Duration) time.Duration {
	e.t.Helper()
	_, ok := until(timeout, func() bool {
		return e.Count("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0 && e.consumerIdle() &&
			e.Count("SELECT coalesce(sum(appeals), 0)::int FROM registrations_daily") >= e.Count("SELECT count(*) FROM appeals")
	})
	if !ok {
		return NA
	}
	return time.Since(loadEnd)
}

// Events adds to r the appeals whose event the statistics never counted (lost) and the events
// counted twice (duplicated), with a note; call it after Drain.
func (e *Env) Events(r *Row) {
	e.t.Helper()
	appeals := e.Count("SELECT count(*) FROM appeals")
	counted := e.Count("SELECT coalesce(sum(appeals), 0)::int FROM registrations_daily")
	r.Lost += max(appeals-counted, 0)
	r.Duplicated += max(counted-appeals, 0)
	inbox := e.Count("SELECT count(*) FROM inbox WHERE consumer = $1", statisticsConsumer)
	e.note(r, fmt.Sprintf("events: %d appeals, %d AppealRegistered on the stream, %d in the consumer's inbox, %d counted",
		appeals, e.streamRegistered(), inbox, counted))
}

// CaughtUp waits (up to timeout) until every AppealRegistered committed before t has reached
// the statistics consumer and returns how long after t that was.
func (e *Env) CaughtUp(t time.Time, timeout time.Duration) (time.Duration, bool) {
	e.t.Helper()
	_, ok := until(timeout, func() bool {
		return e.Count(`SELECT count(*) FROM outbox o WHERE o.subject = $1 AND o.created_at < $2
			AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.consumer = $3 AND i.event_id = o.id)`,
			registeredSubject, t, statisticsConsumer) == 0
	})
	return time.Since(t), ok
}

// SentBefore waits (up to timeout) until the relay has marked sent every outbox row created
// before t and returns how long after t that was.
func (e *Env) SentBefore(t time.Time, timeout time.Duration) (time.Duration, bool) {
	e.t.Helper()
	_, ok := until(timeout, func() bool {
		return e.Count("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND created_at < $1", t) == 0
	})
	return time.Since(t), ok
}

func (e *Env) note(r *Row, s string) {
	if r.Notes != "" {
		r.Notes += "; "
	}
	r.Notes += s
}
