package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// RegisterAppeal registers an appeal for the caller's department (or, for city-wide
// registrars, the one named). idem is nil when the client sent no request_id.
func (s *Service) RegisterAppeal(ctx context.Context, r domain.Registration, idem *idempotency.Key) (domain.Appeal, error) {
	p, _, err := s.caller(ctx)
	if err != nil && status.Code(err) != codes.PermissionDenied {
		return domain.Appeal{}, err
	}
	if status.Code(err) == codes.PermissionDenied && (p.Has(auth.RoleClerk) || p.Has(auth.RoleHead)) {
		return domain.Appeal{}, err
	}
	switch {
	case p.Has(auth.RoleAdmin), p.Has(auth.RoleIntegrator):
		if r.Department == "" {
			return domain.Appeal{}, Errors.Invalid("DEPARTMENT_REQUIRED", "name the lead department",
				apierr.FieldViolation{Field: "appeal.department", Description: "required when registering on behalf of the city"})
		}
	case p.Has(auth.RoleClerk), p.Has(auth.RoleHead):
		if r.Department == "" {
			r.Department = p.Department
		}
		if r.Department != p.Department {
			return domain.Appeal{}, Errors.Error(codes.PermissionDenied, "OTHER_DEPARTMENT",
				fmt.Sprintf("you register appeals for %s only", p.Department), nil)
		}
	default:
		return domain.Appeal{}, Errors.Error(codes.PermissionDenied, "CANNOT_REGISTER", "your role does not register appeals", nil)
	}

	now := s.now()
	var vs []apierr.FieldViolation
	for _, v := range r.Check(now) {
		vs = append(vs, apierr.FieldViolation{Field: "appeal." + v.Field, Description: v.Reason})
	}
	dept, known, err := s.repo.Department(ctx, r.Department)
	if err != nil {
		return domain.Appeal{}, err
	}
	switch {
	case !known:
		vs = append(vs, apierr.FieldViolation{Field: "appeal.department", Description: fmt.Sprintf("unknown department %q", r.Department)})
	case !dept.Active:
		vs = append(vs, apierr.FieldViolation{Field: "appeal.department", Description: fmt.Sprintf("department %q is deactivated and takes no new appeals", r.Department)})
	}
	unknown, err := s.repo.UnknownClassifierCodes(ctx, r.ClassifierCodes)
	if err != nil {
		return domain.Appeal{}, err
	}
	for _, c := range unknown {
		i := indexOf(r.ClassifierCodes, c)
		vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("appeal.classifier_codes[%d]", i),
			Description: fmt.Sprintf("%s is not in the ССТУ classifier", c)})
	}
	if len(vs) > 0 {
		return domain.Appeal{}, Errors.Invalid("INVALID_APPEAL", "the appeal cannot be registered: "+summary(vs), vs...)
	}

	id, err := uuid.NewV7()
	if err != nil {
		return domain.Appeal{}, err
	}
	a, err := s.repo.Register(ctx, idem, domain.RegistrationYear(now), func(seq int) domain.Appeal {
		a := domain.Register(id, r, now, seq)
		a.DepartmentName = dept.Name
		return a
	}, p.Subject)
	if errors.Is(err, ErrRequestIDReused) {
		return domain.Appeal{}, Errors.Error(codes.AlreadyExists, "REQUEST_ID_REUSED",
			"this request_id was already used for a different request; use a new one", nil)
	}
	return a, err
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return 0
}

func summary(vs []apierr.FieldViolation) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Field + ": " + v.Description
	}
	return strings.Join(parts, "; ")
}
