package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// RegisterAppeal registers an appeal for the caller's department (or, for city-wide
// registrars, the one named), with its applicant in the same transaction. idem is nil when
// the client sent no request_id.
func (s *Service) RegisterAppeal(ctx context.Context, r domain.Registration, idem *idempotency.Key) (domain.Appeal, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return domain.Appeal{}, err
	}
	p := acc.p
	switch {
	case acc.departmental():
		if r.Department == "" {
			r.Department = p.Department
		}
		if r.Department != p.Department {
			return domain.Appeal{}, denied("OTHER_DEPARTMENT", fmt.Sprintf("you register appeals for %s only", p.Department))
		}
	case p.Has(auth.RoleAdmin), p.Has(auth.RoleIntegrator):
		if r.Department == "" {
			return domain.Appeal{}, Errors.Invalid("DEPARTMENT_REQUIRED", "name the lead department",
				apierr.FieldViolation{Field: "appeal.department", Description: "required when registering on behalf of the city"})
		}
	default:
		return domain.Appeal{}, denied("CANNOT_REGISTER", "your role does not register appeals")
	}

	now := s.now()
	var vs []apierr.FieldViolation
	for _, v := range r.Check(now) {
		field := "appeal." + v.Field
		if strings.HasPrefix(v.Field, "applicant") {
			field = v.Field
		}
		vs = append(vs, apierr.FieldViolation{Field: field, Description: v.Reason})
	}
	// A clerk registers for her own department, which access has already looked up.
	dept, known := acc.own, acc.departmental()
	if !known {
		if dept, known, err = s.repo.Department(ctx, r.Department); err != nil {
			return domain.Appeal{}, err
		}
	}
	switch {
	case !known:
		vs = append(vs, apierr.FieldViolation{Field: "appeal.department", Description: fmt.Sprintf("unknown department %q", r.Department)})
	case !dept.Active:
		vs = append(vs, apierr.FieldViolation{Field: "appeal.department", Description: fmt.Sprintf("department %q is deactivated and takes no new appeals", r.Department)})
	}
	more, err := s.checkCodesAndLinks(ctx, "appeal", r.ClassifierCodes, r.RelatedAppeals, acc.read)
	if err != nil {
		return domain.Appeal{}, err
	}
	vs = append(vs, more...)
	if len(vs) > 0 {
		return domain.Appeal{}, Errors.Invalid("INVALID_APPEAL", "the appeal cannot be registered: "+summary(vs), vs...)
	}

	id, err := uuid.NewV7()
	if err != nil {
		return domain.Appeal{}, err
	}
	in := NewAppeal{
		Idem: idem, Applicant: r.Applicant, Actor: acc.actor(), CreatedBy: p.Subject,
		Questions: domain.Questions(r.ClassifierCodes), Since: domain.RepeatedSince(now),
		Now: s.now,
		Build: func(now time.Time, previous []uuid.UUID) domain.Appeal {
			a := domain.Register(id, r, now, 0, previous)
			a.DepartmentName = dept.Name
			a.CreatedBy = p.Subject
			return a
		},
	}
	if r.Applicant != nil {
		in.Keys = r.Applicant.Keys()
	}
	a, err := s.repo.Register(ctx, in)
	if errors.Is(err, ErrRequestIDReused) {
		return domain.Appeal{}, Errors.Error(codes.AlreadyExists, "REQUEST_ID_REUSED",
			"this request_id was already used for a different request; use a new one", nil)
	}
	if errors.Is(err, ErrSourceTaken) {
		return domain.Appeal{}, Errors.Error(codes.AlreadyExists, "SOURCE_ALREADY_REGISTERED",
			fmt.Sprintf("an appeal from %s is already registered; find it with the filter source = %q", r.Source, r.Source),
			map[string]string{"source": r.Source})
	}
	return s.shown(a), err
}

// checkCodesAndLinks checks classifier codes against the classifier and related appeals for
// existence within the caller's scope; field paths start at prefix ("appeal").
func (s *Service) checkCodesAndLinks(ctx context.Context, prefix string, codes []string, related []uuid.UUID, scope Scope) ([]apierr.FieldViolation, error) {
	var vs []apierr.FieldViolation
	unknown, err := s.repo.UnknownClassifierCodes(ctx, codes)
	if err != nil {
		return nil, err
	}
	for _, c := range unknown {
		vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("%s.classifier_codes[%d]", prefix, indexOf(codes, c)),
			Description: fmt.Sprintf("%s is not in the ССТУ classifier", c)})
	}
	if len(related) > 0 {
		visible, err := s.repo.Visible(ctx, related, scope)
		if err != nil {
			return nil, err
		}
		for i, id := range related {
			if !containsID(visible, id) {
				vs = append(vs, apierr.FieldViolation{Field: fmt.Sprintf("%s.related_appeals[%d]", prefix, i),
					Description: fmt.Sprintf("no appeal %s that you can see", AppealName(id))})
			}
		}
	}
	return vs, nil
}

func containsID(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
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
