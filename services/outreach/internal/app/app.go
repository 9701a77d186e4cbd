// Package app holds the outreach use cases: who may do what with plans and meetings, and in
// which order things happen.
package app

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// Errors is the ErrorInfo domain of this service.
const Errors = apierr.Domain("outreach.cityhall")

// Repository errors.
var (
	ErrNotFound        = errors.New("not found")
	ErrAlreadyExists   = errors.New("already exists")
	ErrRequestIDReused = errors.New("request_id reused")
)

// Actor is who makes a change, as the change log records it.
type Actor struct {
	Login string // "system" for the jobs
	Name  string
}

// Change is one recorded step of a meeting or a plan.
type Change struct {
	ID           int64
	Time         time.Time
	Actor        Actor
	Kind         domain.ChangeKind
	Meeting      *uuid.UUID
	MeetingTopic string
	Plan         *domain.PlanID
	PlanRevision int
	Note         string
}

// ChangeQuery selects changes, oldest first: of a plan or of a meeting.
type ChangeQuery struct {
	Plan          *domain.PlanID
	Meeting       *uuid.UUID
	AfterApproval bool
	AfterID       int64
	Limit         int
}

// Department is what the use cases need of the organisation directory.
type Department struct {
	Name   string
	Active bool
}

// Official is a speaker as the directory copy knows them.
type Official struct {
	FullName, Position string
	Active             bool
}

// NewMeeting is a proposal for the repository to store.
type NewMeeting struct {
	Idem    *idempotency.Key
	Meeting domain.Meeting
	Actor   Actor
	// Check runs on the meeting's plan (locked; created as a draft when missing) before the
	// meeting is stored: it refuses a plan that takes no changes now.
	Check func(domain.Plan) error
}

// MeetingStep is what a change of a meeting stores: the meeting as it becomes, its change
// log entry, and the questions of a closing report (follow-ups are referred to appeals).
type MeetingStep struct {
	Meeting   domain.Meeting
	Kind      domain.ChangeKind
	Note      string
	Questions []domain.Question
	Delete    bool // a proposal withdrawn from a plan not yet approved
}

// PlanStep is what a change of a plan stores.
type PlanStep struct {
	Plan domain.Plan
	Kind domain.ChangeKind
	Note string
}

// MeetingQuery selects meetings for ListMeetings, by start time then id.
type MeetingQuery struct {
	Plan          *domain.PlanID
	Unscheduled   *bool
	State         domain.MeetingState
	Department    string
	District      string
	Speaker       *uuid.UUID
	From, To      time.Time // start_time in [From, To)
	ReportOverdue *bool
	Now           time.Time
	PublicOnly    bool // unscheduled or in an approved plan
	States        []domain.MeetingState
	Desc          bool
	After         *Cursor
	Limit         int
}

// Cursor is the last row of a page.
type Cursor struct {
	Start time.Time
	ID    uuid.UUID
}

// PlanQuery selects plans, newest month first.
type PlanQuery struct {
	Year     int
	State    domain.PlanState
	Election *bool
	After    string // id of the last plan served
	Limit    int
}

// Reminder is a meeting whose report is due, as the reminder job publishes it.
type Reminder struct {
	Meeting    uuid.UUID
	Department string
	Organiser  string
	Start      time.Time
}

// AppealLink is what appeals told about a question's appeal.
type AppealLink struct {
	Question     uuid.UUID
	Meeting      uuid.UUID
	Appeal       uuid.UUID
	Number       string
	RegisterTime *time.Time
	AnswerTime   *time.Time
	Result       int
	OnTime       bool
}

// Tx is the consumer's transaction, opaque to the use cases.
type Tx any

// Repository is the outreach store.
type Repository interface {
	Department(ctx context.Context, code string) (Department, bool, error)
	Officials(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Official, error)
	Districts(ctx context.Context) (map[string]string, error)
	DepartmentNames(ctx context.Context) (map[string]string, error)
	UnknownClassifierCodes(ctx context.Context, codes []string) ([]string, error)
	ClassifierNames(ctx context.Context, codes []string) (map[string]string, error)

	CreatePlan(ctx context.Context, p domain.Plan, actor Actor) (domain.Plan, error)
	GetPlan(ctx context.Context, id domain.PlanID) (domain.Plan, error)
	ListPlans(ctx context.Context, q PlanQuery) ([]domain.Plan, error)
	// ChangePlan locks the plan, lets decide make the step and stores it with its change
	// entry; an approval (and every later revision) publishes MeetingPlanApproved with the
	// plan's meetings, in the same transaction.
	ChangePlan(ctx context.Context, id domain.PlanID, actor Actor, now time.Time, decide func(domain.Plan) (PlanStep, error)) (domain.Plan, error)

	// CreateMeeting stores a proposal (its plan created as a draft when missing) with its change
	// entry; in an approved plan the plan's revision goes up and is announced. With Idem set a
	// retry returns the meeting stored the first time.
	CreateMeeting(ctx context.Context, n NewMeeting, now time.Time) (domain.Meeting, error)
	GetMeeting(ctx context.Context, id uuid.UUID) (domain.Meeting, error)
	ListMeetings(ctx context.Context, q MeetingQuery) ([]domain.Meeting, error)
	// ChangeMeeting locks the meeting and its plan, lets decide make the step and stores it:
	// the meeting, the questions of a report, the change entry, and the events (QuestionReferred
	// per follow-up question, MeetingHeld, MeetingPlanApproved for a new revision), in one
	// transaction. With idem set a retry returns the meeting as it is now.
	ChangeMeeting(ctx context.Context, id uuid.UUID, idem *idempotency.Key, actor Actor, now time.Time,
		decide func(cur domain.Meeting, plan *domain.Plan) (MeetingStep, error)) (domain.Meeting, error)
	Changes(ctx context.Context, q ChangeQuery) ([]Change, error)
	Questions(ctx context.Context, meeting uuid.UUID) ([]domain.Question, error)

	// LinkAppeal records in tx what appeals told about a question's appeal; a question only
	// moves forward. It reports false when the question is not known here.
	LinkAppeal(ctx context.Context, tx Tx, l AppealLink) (bool, error)

	// RemindReports publishes MeetingReportDue for open meetings that ended before now and
	// were not reminded on day, at most limit per call; safe with several replicas.
	RemindReports(ctx context.Context, day string, now time.Time, limit int) (int, error)

	Statistics(ctx context.Context, q StatsQuery) (Statistics, error)
}

// Service runs the use cases.
type Service struct {
	repo Repository
	now  func() time.Time
}

// New makes the service; now is the clock (time.Now outside tests).
func New(repo Repository, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{repo: repo, now: now}
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// stamp is the time of a change, at the precision the database keeps.
func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// ruleError turns a broken rule of the domain into FAILED_PRECONDITION naming it.
func ruleError(err error) error {
	var re *domain.RuleError
	if errors.As(err, &re) {
		return Errors.Error(codes.FailedPrecondition, re.Reason, re.Message, nil)
	}
	return err
}

func notFound(err error, name string) error {
	if errors.Is(err, ErrNotFound) {
		return Errors.NotFound(name)
	}
	return err
}

func violations(vs []domain.Violation, prefix string) []apierr.FieldViolation {
	out := make([]apierr.FieldViolation, len(vs))
	for i, v := range vs {
		f := v.Field
		if prefix != "" {
			f = prefix + "." + f
		}
		out[i] = apierr.FieldViolation{Field: f, Description: v.Reason}
	}
	return out
}

func summary(vs []apierr.FieldViolation) string {
	s := ""
	for i, v := range vs {
		if i > 0 {
			s += "; "
		}
		s += v.Field + ": " + v.Description
	}
	return s
}

func etagMismatch(name string) error {
	return Errors.Error(codes.Aborted, "ETAG_MISMATCH", name+" was changed since it was read; read it again and retry",
		map[string]string{"resource": name})
}
