package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

// access is what a signed-in caller may do with appeals.
//
//	clerk       reads and works on the appeals her department leads or co-executes; changes those it leads
//	head        the same, and extends deadlines and ends correspondence (the law gives these to the head)
//	curator     reads the appeals of the departments she curates (directory: the official in her token)
//	vice_mayor, mayor  read every appeal
//	auditor     reads every appeal's metadata and the audit log; never personal data
//	admin       reads and changes every appeal, except the head's powers; never personal data
//	integrator  registers appeals (for any department), reads every appeal's metadata, and the
//	            personal data and files of the appeals it registered itself
//
// Personal data (the applicant, attached files) is read by the clerks and heads of the lead
// and co-executing departments, and by the integrator that registered the appeal.
type access struct {
	p         auth.Principal
	read      Scope
	write     *Scope // nil: changes nothing
	applicant ApplicantScope
	head      bool
	own       Department // a clerk's or head's department, as the directory has it
}

func (a access) actor() Actor { return Actor{Login: a.p.Login, Name: a.p.Name} }

// departmental reports whether the caller works in a department (clerk or head).
func (a access) departmental() bool { return a.p.Has(auth.RoleClerk) || a.p.Has(auth.RoleHead) }

// leads reports whether the caller may change appeal ap (its lead department is hers, or she is an admin).
func (a access) leads(ap domain.Appeal) bool {
	return a.write != nil && (a.write.Departments == nil || slices.Contains(a.write.Departments, ap.Department))
}

// works reports whether the caller works on ap: her department leads or co-executes it, or
// she is the integrator that registered it. These may read its personal data and files.
func (a access) works(ap domain.Appeal) bool {
	if a.departmental() && a.p.Department != "" &&
		(ap.Department == a.p.Department || slices.Contains(ap.CoExecutors, a.p.Department)) {
		return true
	}
	return a.p.Has(auth.RoleIntegrator) && ap.CreatedBy == a.p.Subject
}

// access resolves the caller's rights. A department claim must name a department the
// directory knows, and a curator's official must be in the directory: a token naming
// something that does not exist grants nothing.
func (s *Service) access(ctx context.Context) (access, error) {
	p, err := principal(ctx)
	if err != nil {
		return access{}, err
	}
	a := access{p: p}
	switch {
	case p.Has(auth.RoleClerk), p.Has(auth.RoleHead):
		if p.Department == "" {
			return a, Errors.Error(codes.PermissionDenied, "NO_DEPARTMENT", "the account has no department", nil)
		}
		dept, known, err := s.repo.Department(ctx, p.Department)
		if err != nil {
			return a, err
		}
		a.own = dept
		if !known {
			return a, Errors.Error(codes.PermissionDenied, "UNKNOWN_DEPARTMENT",
				fmt.Sprintf("the account's department %q is not in the organisation directory", p.Department), nil)
		}
		own := []string{p.Department}
		a.read, a.write, a.head = Scope{Departments: own}, &Scope{Departments: own}, p.Has(auth.RoleHead)
		a.applicant = ApplicantScope{Departments: own}
	case p.Has(auth.RoleAdmin):
		a.write = &Scope{}
	case p.Has(auth.RoleIntegrator):
		a.applicant = ApplicantScope{CreatedBy: p.Subject}
	case p.Has(auth.RoleMayor), p.Has(auth.RoleViceMayor), p.Has(auth.RoleAuditor):
	case p.Has(auth.RoleCurator):
		id, err := uuid.Parse(p.Official)
		if err != nil {
			return a, Errors.Error(codes.PermissionDenied, "NO_OFFICIAL",
				"the account names no official of the organisation directory, so its curated departments are unknown", nil)
		}
		curated, known, err := s.repo.CuratedDepartments(ctx, id)
		if err != nil {
			return a, err
		}
		if !known {
			return a, Errors.Error(codes.PermissionDenied, "UNKNOWN_OFFICIAL",
				fmt.Sprintf("the account's official %s is not in the organisation directory", id), nil)
		}
		if curated == nil {
			curated = []string{} // curates nothing: sees nothing (nil would mean everything)
		}
		a.read = Scope{Departments: curated}
	default:
		return a, Errors.Error(codes.PermissionDenied, "NO_ROLE", "the account has no role that may read appeals", nil)
	}
	return a, nil
}

func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, Errors.Error(codes.Unauthenticated, "UNAUTHENTICATED", "sign in first", nil)
	}
	return p, nil
}

func denied(reason, message string) error {
	return Errors.Error(codes.PermissionDenied, reason, message, nil)
}

// caller is the signed-in principal and the appeals it may read.
func (s *Service) caller(ctx context.Context) (auth.Principal, Scope, error) {
	a, err := s.access(ctx)
	return a.p, a.read, err
}
