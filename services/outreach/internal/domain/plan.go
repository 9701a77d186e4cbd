package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// PlanState is where a plan is in its approval.
type PlanState int

const (
	PlanStateUnspecified PlanState = iota
	PlanDraft
	PlanSubmitted
	PlanApproved
	PlanReturned
)

func (s PlanState) String() string {
	switch s {
	case PlanDraft:
		return "draft"
	case PlanSubmitted:
		return "submitted"
	case PlanApproved:
		return "approved"
	case PlanReturned:
		return "returned"
	}
	return "unspecified"
}

// PlanID names a plan: the regular plan of a month, or an election period's additional schedule.
type PlanID struct {
	Year, Month int
	Election    bool
}

var planIDRE = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})(-election)?$`)

// ParsePlanID reads `2026-03` or `2026-03-election`.
func ParsePlanID(s string) (PlanID, error) {
	m := planIDRE.FindStringSubmatch(s)
	if m == nil {
		return PlanID{}, fmt.Errorf("%q is not YYYY-MM or YYYY-MM-election", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	id := PlanID{Year: y, Month: mo, Election: m[3] != ""}
	return id, id.Check()
}

// Check reports whether the id names a real month.
func (p PlanID) Check() error {
	if p.Year < 2000 || p.Year > 2100 {
		return fmt.Errorf("year %d is out of range", p.Year)
	}
	if p.Month < 1 || p.Month > 12 {
		return fmt.Errorf("month %d is out of range", p.Month)
	}
	return nil
}

// String is the plan's id, e.g. `2026-03-election`.
func (p PlanID) String() string {
	s := p.YearMonth()
	if p.Election {
		s += "-election"
	}
	return s
}

// Month is `YYYY-MM`.
func (p PlanID) YearMonth() string { return fmt.Sprintf("%04d-%02d", p.Year, p.Month) }

// Name is the plan's resource name.
func (p PlanID) Name() string { return "meetingPlans/" + p.String() }

// Bounds are the first instant of the plan's month and of the next one, city time.
func (p PlanID) Bounds() (from, to time.Time) {
	from = time.Date(p.Year, time.Month(p.Month), 1, 0, 0, 0, 0, CityZone)
	return from, from.AddDate(0, 1, 0)
}

// Contains reports whether t falls in the plan's month, city time.
func (p PlanID) Contains(t time.Time) bool {
	from, to := p.Bounds()
	return !t.Before(from) && t.Before(to)
}

var monthsGenitive = [...]string{"", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
	"сентябрь", "октябрь", "ноябрь", "декабрь"}

// DisplayName names the plan in Russian.
func (p PlanID) DisplayName() string {
	if p.Election {
		return fmt.Sprintf("Дополнительный график встреч на период избирательной кампании, %s %d г.", monthsGenitive[p.Month], p.Year)
	}
	return fmt.Sprintf("План информационных встреч с населением на %s %d г.", monthsGenitive[p.Month], p.Year)
}

// Plan is a consolidated plan of meetings for a month.
type Plan struct {
	ID            PlanID
	State         PlanState
	MeetingCount  int
	Submitter     string
	SubmitterName string
	SubmitTime    *time.Time
	Approver      string
	ApproverName  string
	ApproveTime   *time.Time
	ReturnComment string
	ReturnTime    *time.Time
	Revision      int // 0 until approved; +1 for every change after approval
	CreateTime    time.Time
	UpdateTime    time.Time
	Version       int64 // the etag
}

// AcceptsChanges reports whether the plan's meetings may be proposed, edited or withdrawn now.
// A submitted plan is with the vice-mayor: it is frozen until approved or returned.
func (p Plan) AcceptsChanges() error {
	if p.State == PlanSubmitted {
		return rule("PLAN_UNDER_REVIEW", "%s is with the vice-mayor for approval: its meetings change once it is approved or returned", p.ID.Name())
	}
	return nil
}

// MeetingsChangeable refuses a change to a meeting of plan while the plan is under review; a
// meeting without a plan (unscheduled, plan nil) is always changeable.
func MeetingsChangeable(plan *Plan) error {
	if plan == nil {
		return nil
	}
	return plan.AcceptsChanges()
}

// Submit sends a draft or returned plan to the vice-mayor.
func (p *Plan) Submit(login, name string, now time.Time) error {
	if p.State != PlanDraft && p.State != PlanReturned {
		return rule("NOT_DRAFT", "%s is %s: only a draft or returned plan is submitted", p.ID.Name(), p.State)
	}
	if p.MeetingCount == 0 {
		return rule("NO_MEETINGS", "%s has no meetings to submit", p.ID.Name())
	}
	p.State, p.Submitter, p.SubmitterName, p.SubmitTime = PlanSubmitted, login, name, &now
	return nil
}

// Approve approves a submitted plan: revision 1.
func (p *Plan) Approve(login, name string, now time.Time) error {
	if p.State != PlanSubmitted {
		return rule("NOT_SUBMITTED", "%s is %s: only a submitted plan is approved", p.ID.Name(), p.State)
	}
	p.State, p.Approver, p.ApproverName, p.ApproveTime, p.Revision = PlanApproved, login, name, &now, 1
	return nil
}

// Return sends a submitted plan back with comments.
func (p *Plan) Return(comment string, now time.Time) error {
	if p.State != PlanSubmitted {
		return rule("NOT_SUBMITTED", "%s is %s: only a submitted plan is returned", p.ID.Name(), p.State)
	}
	p.State, p.ReturnComment, p.ReturnTime = PlanReturned, comment, &now
	return nil
}

// ChangeKind is what happened to a meeting or a plan.
type ChangeKind int

const (
	ChangeUnspecified ChangeKind = iota
	ChangeAdded
	ChangeEdited
	ChangeRescheduled
	ChangePostponed
	ChangeCancelled
	ChangeRemoved
	ChangeReported
	ChangePlanSubmitted
	ChangePlanReturned
	ChangePlanApproved
)

// RevisesPlan reports whether a change of a meeting in an approved plan makes a new revision
// of the plan (its public content changed).
func (k ChangeKind) RevisesPlan() bool {
	switch k {
	case ChangeAdded, ChangeEdited, ChangeRescheduled, ChangePostponed, ChangeCancelled, ChangeRemoved:
		return true
	}
	return false
}
