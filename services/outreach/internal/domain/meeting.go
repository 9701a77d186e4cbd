// Package domain holds the rules of information meetings with residents: monthly plans and
// their approval, meetings and their states, closing reports and the questions raised.
// It knows nothing of storage or transport.
package domain

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the city's zone must resolve even on a bare container image

	"github.com/google/uuid"
)

// CityZone is Khabarovsk's time zone: plan months, reminder days and statistics periods
// count in it.
var CityZone = mustZone("Asia/Vladivostok")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Districts are the city's districts with their names, for a directory copy that lacks them.
var Districts = map[string]string{
	"ZHD": "Железнодорожный", "IND": "Индустриальный", "KIR": "Кировский", "KRF": "Краснофлотский", "CEN": "Центральный",
}

// DefaultLength is a meeting's length when no end time is given.
const DefaultLength = time.Hour

// MeetingState is where a meeting is.
type MeetingState int

const (
	MeetingStateUnspecified MeetingState = iota
	MeetingPlanned
	MeetingHeld
	MeetingCancelled
	MeetingPostponed
)

// Open reports whether the meeting is still to take place (planned or postponed).
func (s MeetingState) Open() bool { return s == MeetingPlanned || s == MeetingPostponed }

// Meeting is an information meeting of officials with residents.
type Meeting struct {
	ID            uuid.UUID
	Plan          *PlanID // nil: unscheduled
	Topic         string
	Speakers      []uuid.UUID // officials of the directory
	Audience      string
	District      string
	Venue         string
	Start, End    time.Time
	Department    string
	Organiser     string // login of who proposed it
	OrganiserName string
	State         MeetingState
	PreviousStart *time.Time // a postponed meeting's start before the move
	StateReason   string     // why cancelled or postponed
	Report        *Report
	CreateTime    time.Time
	UpdateTime    time.Time
	Version       int64 // the etag

	// Read with the meeting, not stored on it.
	PlanState      PlanState
	DepartmentName string
	DistrictName   string
	SpeakerDetails []Person // in the order of Speakers
	Questions      []Question
}

// Person is an official as the directory names them.
type Person struct {
	FullName, Position string
}

// Name is the meeting's resource name.
func (m Meeting) Name() string { return MeetingName(m.ID) }

// MeetingName is the resource name of meeting id.
func MeetingName(id uuid.UUID) string { return "meetings/" + id.String() }

// Unscheduled reports whether the meeting is held outside any plan.
func (m Meeting) Unscheduled() bool { return m.Plan == nil }

// ReportOverdue reports whether the meeting's time has passed without a closing report.
func (m Meeting) ReportOverdue(now time.Time) bool { return m.State.Open() && m.End.Before(now) }

// Violation is a field of a request that breaks a rule.
type Violation struct {
	Field  string
	Reason string
}

// RuleError is a step the rules do not allow in the current state (FAILED_PRECONDITION).
type RuleError struct {
	Reason  string // e.g. PLAN_UNDER_REVIEW
	Message string
}

func (e *RuleError) Error() string { return e.Message }

func rule(reason, format string, args ...any) error {
	return &RuleError{Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Check returns what is wrong with a proposed or edited meeting. Field names are those of
// the API's Meeting.
func (m Meeting) Check() []Violation {
	var vs []Violation
	if strings.TrimSpace(m.Topic) == "" {
		vs = append(vs, Violation{"topic", "required"})
	}
	if strings.TrimSpace(m.Venue) == "" {
		vs = append(vs, Violation{"venue", "required"})
	}
	if len(m.Speakers) == 0 {
		vs = append(vs, Violation{"speakers", "name at least one speaker from the organisation directory"})
	}
	if m.District != "" {
		if _, ok := Districts[m.District]; !ok {
			vs = append(vs, Violation{"district", fmt.Sprintf("unknown district %q", m.District)})
		}
	}
	switch {
	case m.Start.IsZero():
		vs = append(vs, Violation{"start_time", "required"})
	case !m.End.After(m.Start):
		vs = append(vs, Violation{"end_time", "must be after start_time"})
	case m.End.Sub(m.Start) > 24*time.Hour:
		vs = append(vs, Violation{"end_time", "a meeting lasts at most a day"})
	}
	if m.Plan != nil && !m.Start.IsZero() && !m.Plan.Contains(m.Start) {
		vs = append(vs, Violation{"start_time", fmt.Sprintf("%s is outside the plan's month %s (city time)",
			m.Start.In(CityZone).Format("02.01.2006 15:04"), m.Plan.YearMonth())})
	}
	return vs
}

// Cancel cancels a meeting that is still to take place.
func (m *Meeting) Cancel(reason string) error {
	if !m.State.Open() {
		return rule("NOT_OPEN", "%s is %s: only a planned or postponed meeting can be cancelled", m.Name(), m.State)
	}
	m.State, m.StateReason = MeetingCancelled, reason
	return nil
}

// Postpone moves a meeting that is still to take place to a new time. The previous start is
// kept. In a plan, the new date must stay in the plan's month: a move to another month is a
// cancellation here and a new meeting in that month's plan.
func (m *Meeting) Postpone(start, end time.Time, reason string) error {
	if !m.State.Open() {
		return rule("NOT_OPEN", "%s is %s: only a planned or postponed meeting can be postponed", m.Name(), m.State)
	}
	if start.Equal(m.Start) {
		return rule("SAME_TIME", "the new start time is the current one")
	}
	if end.IsZero() {
		end = start.Add(m.End.Sub(m.Start))
	}
	if m.Plan != nil && !m.Plan.Contains(start) {
		return rule("OUTSIDE_PLAN_MONTH", "the new date is outside the plan's month %s: cancel the meeting and propose it in the plan of its new month", m.Plan.YearMonth())
	}
	if !end.After(start) {
		return rule("END_BEFORE_START", "the new end time must be after the new start time")
	}
	prev := m.Start
	m.PreviousStart, m.Start, m.End, m.State, m.StateReason = &prev, start, end, MeetingPostponed, reason
	return nil
}

// Hold files the closing report: the meeting took place. It must have started by now.
func (m *Meeting) Hold(r Report, now time.Time) error {
	if m.State == MeetingHeld {
		return rule("ALREADY_REPORTED", "%s already has its closing report", m.Name())
	}
	if !m.State.Open() {
		return rule("NOT_OPEN", "%s is %s: it did not take place", m.Name(), m.State)
	}
	if m.Start.After(now) {
		return rule("NOT_STARTED", "%s starts at %s: report it once it has taken place", m.Name(), m.Start.In(CityZone).Format("02.01.2006 15:04"))
	}
	m.State, m.Report = MeetingHeld, &r
	return nil
}

func (s MeetingState) String() string {
	switch s {
	case MeetingPlanned:
		return "planned"
	case MeetingHeld:
		return "held"
	case MeetingCancelled:
		return "cancelled"
	case MeetingPostponed:
		return "postponed"
	}
	return "unspecified"
}

// Report is the closing report of a held meeting.
type Report struct {
	Attendance   int
	Summary      string
	Materials    []Material
	Reporter     string
	ReporterName string
	Time         time.Time
}

// Material is a presentation, handout or photo of a meeting.
type Material struct {
	Title string `json:"title"`
	URI   string `json:"uri,omitempty"`
}

// CityTime formats t for people in the city, e.g. in change notes.
func CityTime(t time.Time) string { return t.In(CityZone).Format("02.01.2006 15:04") }

// CityDay is the day (YYYY-MM-DD) t falls on in the city.
func CityDay(t time.Time) string { return t.In(CityZone).Format(time.DateOnly) }
