package app

import (
	"context"
	"fmt"

	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

// access is what a signed-in caller may do with meetings and plans.
//
//	clerk, head   propose and change the meetings of their own department, file their reports;
//	              heads also submit a month's plan to the vice-mayor
//	vice_mayor    approves or returns submitted plans
//	admin         everything
//	others        (curator, mayor, auditor, integrator) read
//
// Every signed-in role reads every meeting: the schedule is public once approved, and the
// plans are the administration's shared work. Reading needs no department lookup.
type access struct {
	p   auth.Principal
	own string // a clerk's or head's department (checked against the directory for writes)
}

func (a access) actor() Actor { return Actor{Login: a.p.Login, Name: a.p.Name} }

func (a access) departmental() bool { return a.p.Has(auth.RoleClerk) || a.p.Has(auth.RoleHead) }

func (a access) admin() bool { return a.p.Has(auth.RoleAdmin) }

func (s *Service) reader(ctx context.Context) (access, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return access{}, Errors.Error(codes.Unauthenticated, "UNAUTHENTICATED", "sign in first", nil)
	}
	if len(p.Roles) == 0 {
		return access{}, denied("NO_ROLE", "the account has no role that may read meetings")
	}
	return access{p: p, own: p.Department}, nil
}

// writer is a caller that proposes and runs meetings: a clerk or head of a department the
// directory knows, or an admin.
func (s *Service) writer(ctx context.Context) (access, error) {
	a, err := s.reader(ctx)
	if err != nil {
		return a, err
	}
	switch {
	case a.admin():
		return a, nil
	case a.departmental():
		if a.own == "" {
			return a, denied("NO_DEPARTMENT", "the account has no department")
		}
		_, known, err := s.repo.Department(ctx, a.own)
		if err != nil {
			return a, err
		}
		if !known {
			return a, denied("UNKNOWN_DEPARTMENT", fmt.Sprintf("the account's department %q is not in the organisation directory", a.own))
		}
		return a, nil
	}
	return a, denied("CANNOT_CHANGE", "your role reads meetings but does not propose or run them")
}

// mayChange refuses a clerk or head another department's meeting.
func (a access) mayChange(m domain.Meeting) error {
	if a.admin() || (a.departmental() && m.Department == a.own) {
		return nil
	}
	return denied("OTHER_DEPARTMENT", fmt.Sprintf("%s is organised by %s; only its own department changes it", m.Name(), m.Department))
}

func denied(reason, message string) error {
	return Errors.Error(codes.PermissionDenied, reason, message, nil)
}
