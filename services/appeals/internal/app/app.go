// Package app holds the appeals use cases: who may do what, and in which order things happen.
package app

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// Errors is the ErrorInfo domain of this service.
const Errors = apierr.Domain("appeals.cityhall")

// ErrNotFound is returned by the repository for a missing (or invisible) appeal.
var ErrNotFound = errors.New("not found")

// ErrRequestIDReused is returned by the repository when a request_id was used for another request.
var ErrRequestIDReused = errors.New("request_id reused")

// ErrSourceTaken is returned by the repository when an appeal from the same source (e.g. the
// same meeting question) is already registered.
var ErrSourceTaken = errors.New("source already registered")

// ErrConflict is returned by the repository when the appeal changed under a write (it never
// should: the row is locked; kept as a guard).
var ErrConflict = errors.New("concurrent change")

// Scope limits what a caller sees: nil Departments means every department; otherwise the
// appeals led by one of Departments or co-executed by one of them.
type Scope struct {
	Departments []string
}

// ApplicantScope limits whose personal data a caller reads: the appeals led or co-executed by
// one of Departments, or registered by CreatedBy. The zero value reads nothing.
type ApplicantScope struct {
	Departments []string
	CreatedBy   string // subject of the registrar (integrators)
}

// Empty reports whether the scope grants nothing.
func (s ApplicantScope) Empty() bool { return len(s.Departments) == 0 && s.CreatedBy == "" }

// Actor is who makes a change, as the history records it.
type Actor struct {
	Login string // "system" for the jobs
	Name  string
}

// System is the actor of the scheduled jobs.
var System = Actor{Login: "system", Name: "Cityhall"}

// HistoryEntry is one step of an appeal's life.
type HistoryEntry struct {
	ID     int64
	Time   time.Time
	Actor  Actor
	Action domain.Action
	State  domain.State // after the step
	Note   string
}

// Audit actions.
const (
	AuditReadApplicant  = "READ_APPLICANT"
	AuditReadAttachment = "READ_ATTACHMENT"
	AuditExport         = "EXPORT"
	AuditDestroy        = "DESTROY"
)

// AuditRecord is one read, export or destruction of personal data.
type AuditRecord struct {
	ID       int64
	Time     time.Time
	Actor    Actor
	Action   string
	AppealID uuid.UUID // uuid.Nil for an export of many
	Purpose  string
}

// AuditQuery selects audit records, newest first. Zero values select all.
type AuditQuery struct {
	AppealID uuid.UUID
	Actor    string
	Action   string
	From, To time.Time // [From, To)
	AfterID  int64     // keyset: the last record of the previous page (records are ordered by id desc)
	Limit    int
}

// NewAppeal is a registration for the repository to store.
type NewAppeal struct {
	Idem      *idempotency.Key // nil: no request_id
	Applicant *domain.Applicant
	// Keys and Questions find the applicant's earlier appeals on the same questions registered
	// since Since; Build gets them (newest first) with the registration time: Now, read by the
	// repository once the registration's place in the numbering order is fixed. Build leaves
	// the number empty: it is given after the registration commits (Repository.Register).
	Keys      domain.MatchKeys
	Questions []string
	Since     time.Time
	Now       func() time.Time
	Build     func(now time.Time, previous []uuid.UUID) domain.Appeal
	Actor     Actor
	CreatedBy string
	Note      string // of the registration's history entry; never personal data
}

// Repository is the appeals store. Every read takes the caller's scope, so the database
// itself refuses to return another department's appeals.
type Repository interface {
	// Register stores a new appeal, its applicant and its first history entry in one
	// transaction, then gives it the year's next registration number and publishes
	// AppealRegistered in the numbering step that follows the commit (one numbering serves
	// every registration committed by then); it returns once the appeal has its number. With
	// Idem set, a repeated request returns the appeal stored the first time instead (and Build
	// is not called).
	Register(ctx context.Context, r NewAppeal) (domain.Appeal, error)
	// RegisterFromSource registers and numbers r in the consumer's transaction tx, unless an
	// appeal from source is registered already: then it returns that one and created false.
	RegisterFromSource(ctx context.Context, tx Tx, source string, r NewAppeal) (a domain.Appeal, created bool, err error)
	// NumberLeftovers numbers the appeals committed without a number (their registration's
	// process stopped between the two commits) and returns how many.
	NumberLeftovers(ctx context.Context) (int, error)
	Get(ctx context.Context, id uuid.UUID, scope Scope) (domain.Appeal, error)
	List(ctx context.Context, q ListQuery, scope Scope) ([]domain.Appeal, error)
	// Visible returns those of ids that exist within scope.
	Visible(ctx context.Context, ids []uuid.UUID, scope Scope) ([]uuid.UUID, error)
	// Department is the directory's department (read copy) and whether it is known at all.
	Department(ctx context.Context, code string) (d Department, known bool, err error)
	// CuratedDepartments are the departments the directory's official curates, and whether
	// the official is known and active.
	CuratedDepartments(ctx context.Context, official uuid.UUID) ([]string, bool, error)
	// UnknownClassifierCodes returns those of codes not in the classifier.
	UnknownClassifierCodes(ctx context.Context, codes []string) ([]string, error)
	// ClassifierName is the name of a classifier code, and whether the classifier has it.
	ClassifierName(ctx context.Context, code string) (string, bool, error)
	// DirectoryFilled reports whether the directory's read copy holds any department yet.
	DirectoryFilled(ctx context.Context) (bool, error)

	// Change locks the appeal id within read, lets decide make the step and stores it, writing
	// the history entry and publishing AppealStateChanged (and AppealAnswered for an answer)
	// in the same transaction. The write itself is limited to write (the lead departments).
	Change(ctx context.Context, id uuid.UUID, read, write Scope, actor Actor, decide func(ChangeTx, domain.Appeal) (domain.Step, error)) (domain.Appeal, error)
	// History lists the history entries of the appeal id within scope after the entry afterID, oldest first.
	History(ctx context.Context, id uuid.UUID, scope Scope, afterID int64, limit int) ([]HistoryEntry, error)

	// ReadApplicant returns the applicant of an appeal within scope and writes the audit
	// record in the same transaction (ErrNotFound when there is none or it is out of scope).
	ReadApplicant(ctx context.Context, id uuid.UUID, scope ApplicantScope, audit AuditRecord) (domain.Applicant, error)
	AuditRecords(ctx context.Context, q AuditQuery) ([]AuditRecord, error)

	// AddAttachment stores the file of an appeal within scope, counts it on the appeal (a
	// change: new version, history entry, AppealStateChanged), all in one transaction.
	AddAttachment(ctx context.Context, a domain.Attachment, scope Scope, actor Actor) (domain.Appeal, error)
	Attachments(ctx context.Context, appealID uuid.UUID, scope Scope) ([]domain.Attachment, error)
	// ReadAttachment returns the file with its content, within scope, and writes the audit record.
	ReadAttachment(ctx context.Context, appealID, id uuid.UUID, scope ApplicantScope, audit AuditRecord) (domain.Attachment, error)

	// NotifyDeadlines publishes AppealDueSoon for open appeals due before dueSoonFrom (and not
	// overdue) and AppealOverdue for those due before today, each once per appeal and
	// deadline, with a history entry; at most limit of each per call. Safe with several replicas.
	NotifyDeadlines(ctx context.Context, today, dueSoonFrom domain.Date, now time.Time, limit int) (dueSoon, overdue int, err error)
	// DestroyApplicants blanks the personal data of appeals closed before closedBefore, with a
	// history entry and an audit record each; at most limit per call. Safe with several replicas.
	DestroyApplicants(ctx context.Context, closedBefore, now time.Time, limit int) (int, error)

	AnalyticsStore

	// CountRegistration adds an appeal registered on day to the daily statistics.
	CountRegistration(ctx context.Context, tx Tx, day domain.Date, department, section string, channel domain.Channel) error
}

// ChangeTx reads other appeals inside a change's transaction.
type ChangeTx interface {
	Get(ctx context.Context, id uuid.UUID, scope Scope) (domain.Appeal, error)
	// AnyAnswered reports whether any of ids is answered on substance.
	AnyAnswered(ctx context.Context, ids []uuid.UUID) (bool, error)
}

// Department is what the use cases need of the organisation directory.
type Department struct {
	Name   string
	Active bool
}

// Tx is the consumer's transaction, opaque to the use cases.
type Tx any

// Settings are the service's own settings (beyond the platform's).
type Settings struct {
	MaxAttachmentBytes int64         // largest attachment; domain.DefaultMaxAttachmentBytes when zero
	PDRetention        time.Duration // personal data is destroyed this long after an appeal closes
}

// DefaultPDRetention is five years (1826 days: five calendar years with their leap day).
const DefaultPDRetention = 1826 * 24 * time.Hour

// Service runs the use cases.
type Service struct {
	repo     Repository
	now      func() time.Time
	settings Settings
}

// New makes the service; now is the clock (time.Now outside tests).
func New(repo Repository, now func() time.Time, settings ...Settings) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{repo: repo, now: now}
	if len(settings) > 0 {
		s.settings = settings[0]
	}
	if s.settings.MaxAttachmentBytes <= 0 {
		s.settings.MaxAttachmentBytes = domain.DefaultMaxAttachmentBytes
	}
	if s.settings.PDRetention <= 0 {
		s.settings.PDRetention = DefaultPDRetention
	}
	return s
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

// notFound maps the repository's ErrNotFound to the API's NOT_FOUND for name.
func notFound(err error, name string) error {
	if errors.Is(err, ErrNotFound) {
		return Errors.NotFound(name)
	}
	return err
}

// AppealName is the resource name of an appeal.
func AppealName(id uuid.UUID) string { return "appeals/" + id.String() }
