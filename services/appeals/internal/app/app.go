// Package app holds the appeals use cases: who may do what, and in which order things happen.
package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// Errors is the ErrorInfo domain of this service.
const Errors = apierr.Domain("appeals.cityhall")

// ErrNotFound is returned by the repository for a missing (or invisible) appeal.
var ErrNotFound = errors.New("not found")

// ErrRequestIDReused is returned by the repository when a request_id was used for another request.
var ErrRequestIDReused = errors.New("request_id reused")

// Scope limits what a caller sees: nil Departments means every department.
type Scope struct {
	Departments []string
}

// Repository is the appeals store. Every read takes the caller's Scope, so the database
// itself refuses to return another department's appeals.
type Repository interface {
	// Register stores a new appeal built by build with the year's next number and publishes
	// AppealRegistered, all in one transaction. With idem set, a repeated request returns the
	// appeal stored the first time instead (and build is not called).
	Register(ctx context.Context, idem *idempotency.Key, year int, build func(seq int) domain.Appeal, createdBy string) (domain.Appeal, error)
	Get(ctx context.Context, id uuid.UUID, scope Scope) (domain.Appeal, error)
	List(ctx context.Context, q ListQuery, scope Scope) ([]domain.Appeal, error)
	// Department is the directory's department (read copy) and whether it is known at all.
	Department(ctx context.Context, code string) (d Department, known bool, err error)
	// UnknownClassifierCodes returns those of codes not in the classifier.
	UnknownClassifierCodes(ctx context.Context, codes []string) ([]string, error)
	AnalyticsStore

	// CountRegistration adds an appeal registered on day to the daily statistics.
	CountRegistration(ctx context.Context, tx Tx, day domain.Date, department, section string, channel domain.Channel) error
}

// Department is what the use cases need of the organisation directory.
type Department struct {
	Name   string
	Active bool
}

// Tx is the consumer's transaction, opaque to the use cases.
type Tx any

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

// scopeOf is what the principal may read: clerks and heads their own department only,
// city-wide roles everything.
func scopeOf(p auth.Principal) (Scope, error) {
	switch {
	case p.Has(auth.RoleAdmin), p.Has(auth.RoleIntegrator), p.Has(auth.RoleMayor),
		p.Has(auth.RoleViceMayor), p.Has(auth.RoleCurator), p.Has(auth.RoleAuditor):
		return Scope{}, nil
	case p.Has(auth.RoleClerk), p.Has(auth.RoleHead):
		if p.Department == "" {
			return Scope{}, Errors.Error(codes.PermissionDenied, "NO_DEPARTMENT", "the account has no department", nil)
		}
		return Scope{Departments: []string{p.Department}}, nil
	}
	return Scope{}, Errors.Error(codes.PermissionDenied, "NO_ROLE", "the account has no role that may read appeals", nil)
}

// caller is the signed-in principal and what it may read. A department claim must name a
// department the directory knows: a token for a department that does not exist grants nothing.
func (s *Service) caller(ctx context.Context) (auth.Principal, Scope, error) {
	p, err := principal(ctx)
	if err != nil {
		return p, Scope{}, err
	}
	scope, err := scopeOf(p)
	if err != nil {
		return p, Scope{}, err
	}
	if scope.Departments != nil {
		_, known, err := s.repo.Department(ctx, p.Department)
		if err != nil {
			return p, Scope{}, err
		}
		if !known {
			return p, Scope{}, Errors.Error(codes.PermissionDenied, "UNKNOWN_DEPARTMENT",
				fmt.Sprintf("the account's department %q is not in the organisation directory", p.Department), nil)
		}
	}
	return p, scope, nil
}

func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, Errors.Error(codes.Unauthenticated, "UNAUTHENTICATED", "sign in first", nil)
	}
	return p, nil
}
