package domain

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestPlanIDs(t *testing.T) {
	for in, want := range map[string]PlanID{"2026-03": {2026, 3, false}, "2026-09-election": {2026, 9, true}} {
		got, err := ParsePlanID(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("%s: %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"2026-13", "2026-00", "26-03", "2026-03-extra", "1999-01"} {
		if _, err := ParsePlanID(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	p := PlanID{Year: 2026, Month: 3}
	// Months count in Khabarovsk time: 1 March 00:30 there is still February in UTC.
	if !p.Contains(time.Date(2026, 3, 1, 0, 30, 0, 0, CityZone)) || p.Contains(time.Date(2026, 4, 1, 0, 0, 0, 0, CityZone)) {
		t.Error("month bounds are not city time")
	}
}

func TestPlanApprovalSteps(t *testing.T) {
	now := time.Now()
	p := Plan{ID: PlanID{Year: 2026, Month: 3}, State: PlanDraft}
	var re *RuleError
	if err := p.Submit("head.zhd", "", now); !errors.As(err, &re) || re.Reason != "NO_MEETINGS" {
		t.Fatalf("an empty plan submitted: %v", err)
	}
	p.MeetingCount = 2
	if err := p.Approve("vicemayor", "", now); !errors.As(err, &re) || re.Reason != "NOT_SUBMITTED" {
		t.Fatalf("a draft approved: %v", err)
	}
	if err := p.Submit("head.zhd", "", now); err != nil || p.AcceptsChanges() == nil {
		t.Fatalf("submit: %v; a submitted plan takes changes", err)
	}
	if err := p.Return("исправьте", now); err != nil || p.State != PlanReturned || p.AcceptsChanges() != nil {
		t.Fatalf("return: %v", err)
	}
	if err := p.Submit("head.zhd", "", now); err != nil {
		t.Fatal(err)
	}
	if err := p.Approve("vicemayor", "", now); err != nil || p.Revision != 1 || p.AcceptsChanges() != nil {
		t.Fatalf("approve: %v, revision %d", err, p.Revision)
	}
}

func TestPostponeKeepsTheOldTimeAndTheMonth(t *testing.T) {
	plan := PlanID{Year: 2026, Month: 3}
	start := time.Date(2026, 3, 10, 18, 0, 0, 0, CityZone)
	m := Meeting{ID: uuid.New(), Plan: &plan, State: MeetingPlanned, Start: start, End: start.Add(time.Hour)}
	var re *RuleError
	if err := m.Postpone(start.AddDate(0, 1, 0), time.Time{}, "x"); !errors.As(err, &re) || re.Reason != "OUTSIDE_PLAN_MONTH" {
		t.Fatalf("moved out of the plan's month: %v", err)
	}
	if err := m.Postpone(start.AddDate(0, 0, 7), time.Time{}, "ремонт"); err != nil {
		t.Fatal(err)
	}
	if m.State != MeetingPostponed || !m.PreviousStart.Equal(start) || m.End.Sub(m.Start) != time.Hour {
		t.Fatalf("postponed = %+v", m)
	}
	if err := m.Hold(Report{Attendance: 10}, start); !errors.As(err, &re) || re.Reason != "NOT_STARTED" {
		t.Fatalf("held before its new time: %v", err)
	}
	if err := m.Cancel("x"); err != nil || m.Cancel("y") == nil {
		t.Fatalf("cancel twice: %v", err)
	}
}

func TestReportCheckNamesFields(t *testing.T) {
	neg := -1
	vs := ReportCheck(&neg, []Question{{Text: "?", ClassifierCode: "0005.0005.0056.1156", Resolution: ResolutionAnswered}})
	if len(vs) != 2 || vs[0].Field != "report.attendance" || vs[1].Field != "report.questions[0].answer" {
		t.Fatalf("violations = %v", vs)
	}
	if vs := ReportCheck(nil, nil); len(vs) != 1 || vs[0].Field != "report.attendance" {
		t.Fatalf("missing attendance: %v", vs)
	}
}
