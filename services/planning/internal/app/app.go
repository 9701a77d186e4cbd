// Package app holds the directory's use cases: who may change what, and the rules that need
// stored data (references, curatorship, versions).
package app

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// Errors is the ErrorInfo domain of this service.
const Errors = apierr.Domain("planning.cityhall")

// Repository errors.
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
)

// Repository is the directory store.
type Repository interface {
	GetDistrict(ctx context.Context, code string) (domain.District, error)
	ListDistricts(ctx context.Context, after string, limit int) ([]domain.District, error)
	GetDepartment(ctx context.Context, code string) (domain.Department, error)
	ListDepartments(ctx context.Context, q DepartmentQuery) ([]domain.Department, error)
	GetOfficial(ctx context.Context, id uuid.UUID) (domain.Official, error)
	ListOfficials(ctx context.Context, q OfficialQuery) ([]domain.Official, error)
	// Change runs fn in one transaction, serialised with every other change of the directory
	// (writes are rare and admin-only; one at a time keeps checks such as "no parent cycle"
	// free of races).
	Change(ctx context.Context, fn func(Tx) error) error
}

// Tx is one change of the directory. Every Create/Update also publishes the entity's
// Changed event, with its (new) version, in the same transaction.
type Tx interface {
	// Claim and Complete are idempotency.Claim and Complete in this transaction.
	Claim(ctx context.Context, k idempotency.Key) (string, error)
	Complete(ctx context.Context, k idempotency.Key, name string) error
	District(ctx context.Context, code string) (domain.District, error)
	Department(ctx context.Context, code string) (domain.Department, error)
	Official(ctx context.Context, id uuid.UUID) (domain.Official, error)
	// DepartmentParents maps every department's code to its parent's ("" at the top).
	DepartmentParents(ctx context.Context) (map[string]string, error)
	CreateDistrict(ctx context.Context, d domain.District) error
	UpdateDistrict(ctx context.Context, d domain.District) error
	CreateDepartment(ctx context.Context, d domain.Department) error
	UpdateDepartment(ctx context.Context, d domain.Department) error
	// CreateOfficial and UpdateOfficial store o; its CuratedDepartments must already match
	// the departments' curators (they go into the event, not into the row).
	CreateOfficial(ctx context.Context, o domain.Official) error
	UpdateOfficial(ctx context.Context, o domain.Official) error
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

// Names of the resources, as the API spells them.
func districtName(code string) string   { return "districts/" + code }
func departmentName(code string) string { return "departments/" + code }
func officialName(id uuid.UUID) string  { return "officials/" + id.String() }

// reader lets in every signed-in caller: the directory is public inside the administration.
func reader(ctx context.Context) error {
	if _, ok := auth.FromContext(ctx); !ok {
		return Errors.Error(codes.Unauthenticated, "UNAUTHENTICATED", "sign in first", nil)
	}
	return nil
}

// admin lets in administrators only: they keep the directory.
func admin(ctx context.Context) error {
	if err := reader(ctx); err != nil {
		return err
	}
	if p, _ := auth.FromContext(ctx); !p.Has(auth.RoleAdmin) {
		return Errors.Error(codes.PermissionDenied, "NOT_ADMIN", "only administrators change the directory", nil)
	}
	return nil
}

// change runs fn in one directory transaction. With idem set, a retried request does not run
// fn and returns the name of the resource the first one created.
func (s *Service) change(ctx context.Context, idem *idempotency.Key, fn func(Tx) (string, error)) (prior string, err error) {
	err = s.repo.Change(ctx, func(tx Tx) error {
		if idem != nil {
			name, err := tx.Claim(ctx, *idem)
			if err != nil || name != "" {
				prior = name
				return err
			}
		}
		name, err := fn(tx)
		if err != nil || idem == nil {
			return err
		}
		return tx.Complete(ctx, *idem, name)
	})
	switch {
	case errors.Is(err, idempotency.ErrReused):
		return "", Errors.Error(codes.AlreadyExists, "REQUEST_ID_REUSED",
			"this request_id was already used for a different request; use a new one", nil)
	case errors.Is(err, ErrAlreadyExists):
		return "", Errors.Error(codes.AlreadyExists, "ALREADY_EXISTS", "a resource with this code already exists", nil)
	}
	return prior, err
}

// stamp is the time of a change, at the precision the database keeps.
func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// checkEtag refuses a change made from a stale copy; an empty etag skips the check.
func checkEtag(etag string, version int64, name string) error {
	if etag == "" || etag == strconv.FormatInt(version, 10) {
		return nil
	}
	return Errors.Error(codes.Aborted, "ETAG_MISMATCH",
		name+" was changed since it was read; read it again and retry", map[string]string{"resource": name})
}

// invalid is INVALID_ARGUMENT naming each field under the request's resource field.
func invalid(resource string, vs []domain.Violation) error {
	fvs := make([]apierr.FieldViolation, len(vs))
	parts := make([]string, len(vs))
	for i, v := range vs {
		fvs[i] = apierr.FieldViolation{Field: resource + "." + v.Field, Description: v.Reason}
		parts[i] = fvs[i].Field + ": " + v.Reason
	}
	return Errors.Invalid("INVALID_"+strings.ToUpper(resource), "invalid "+resource+": "+strings.Join(parts, "; "), fvs...)
}

// notFound maps the repository's ErrNotFound to the API's NOT_FOUND for name.
func notFound(err error, name string) error {
	if errors.Is(err, ErrNotFound) {
		return Errors.NotFound(name)
	}
	return err
}

// page cuts rows fetched with limit+1 to limit and tells whether more follow.
func page[T any](rows []T, limit int) ([]T, bool) {
	if len(rows) > limit {
		return rows[:limit], true
	}
	return rows, false
}
