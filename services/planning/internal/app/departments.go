package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// DepartmentQuery selects a page of departments, ordered by code. Zero values select all.
type DepartmentQuery struct {
	District        string
	Kind            string
	Curator         uuid.UUID
	Active          *bool
	ShowDeactivated bool
	After           string // the last code of the previous page
	Limit           int
}

// GetDepartment returns one department, active or not.
func (s *Service) GetDepartment(ctx context.Context, code string) (domain.Department, error) {
	if err := reader(ctx); err != nil {
		return domain.Department{}, err
	}
	d, err := s.repo.GetDepartment(ctx, code)
	return d, notFound(err, departmentName(code))
}

// ListDepartments returns up to q.Limit departments and whether more follow.
func (s *Service) ListDepartments(ctx context.Context, q DepartmentQuery) ([]domain.Department, bool, error) {
	if err := reader(ctx); err != nil {
		return nil, false, err
	}
	limit := q.Limit
	q.Limit++
	rows, err := s.repo.ListDepartments(ctx, q)
	if err != nil {
		return nil, false, err
	}
	rows, more := page(rows, limit)
	return rows, more, nil
}

// CreateDepartment adds an active department. idem is nil when the client sent no request_id.
func (s *Service) CreateDepartment(ctx context.Context, d domain.Department, idem *idempotency.Key) (domain.Department, error) {
	if err := admin(ctx); err != nil {
		return domain.Department{}, err
	}
	if vs := d.Check(); len(vs) > 0 {
		return domain.Department{}, invalid("department", vs)
	}
	now := s.stamp()
	d.Active, d.Demo, d.CreateTime, d.UpdateTime, d.Version = true, false, now, now, 1
	prior, err := s.change(ctx, idem, func(tx Tx) (string, error) {
		if _, err := tx.Department(ctx, d.Code); !errors.Is(err, ErrNotFound) {
			if err == nil {
				err = ErrAlreadyExists
			}
			return "", err
		}
		if err := checkDepartmentRefs(ctx, tx, d, domain.Department{}); err != nil {
			return "", err
		}
		if err := tx.CreateDepartment(ctx, d); err != nil {
			return "", err
		}
		return departmentName(d.Code), touchOfficials(ctx, tx, now, uuid.Nil, d.Curator)
	})
	if err != nil {
		return domain.Department{}, err
	}
	if prior != "" {
		return s.repo.GetDepartment(ctx, prior[len("departments/"):])
	}
	return d, nil
}

// UpdateDepartment changes the named fields of the department p.Code.
func (s *Service) UpdateDepartment(ctx context.Context, p domain.Department, fields []string, etag string) (domain.Department, error) {
	if err := admin(ctx); err != nil {
		return domain.Department{}, err
	}
	return s.changeDepartment(ctx, p.Code, etag, func(cur domain.Department) domain.Department { return cur.Patch(p, fields) })
}

// SetDepartmentActive deactivates or activates a department; one already so is returned unchanged.
func (s *Service) SetDepartmentActive(ctx context.Context, code string, active bool, etag string) (domain.Department, error) {
	if err := admin(ctx); err != nil {
		return domain.Department{}, err
	}
	return s.changeDepartment(ctx, code, etag, func(cur domain.Department) domain.Department {
		cur.Active = active
		return cur
	})
}

// changeDepartment applies edit to the stored department, checks and stores the result.
func (s *Service) changeDepartment(ctx context.Context, code, etag string, edit func(domain.Department) domain.Department) (domain.Department, error) {
	name := departmentName(code)
	var out domain.Department
	_, err := s.change(ctx, nil, func(tx Tx) (string, error) {
		cur, err := tx.Department(ctx, code)
		if err != nil {
			return "", notFound(err, name)
		}
		if err := checkEtag(etag, cur.Version, name); err != nil {
			return "", err
		}
		next := edit(cur)
		if next == cur {
			out = cur // nothing to change, nothing to announce
			return name, nil
		}
		if vs := next.Check(); len(vs) > 0 {
			return "", invalid("department", vs)
		}
		if err := checkDepartmentRefs(ctx, tx, next, cur); err != nil {
			return "", err
		}
		now := s.stamp()
		next.UpdateTime, next.Version = now, cur.Version+1
		if err := tx.UpdateDepartment(ctx, next); err != nil {
			return "", err
		}
		out = next
		if next.Curator != cur.Curator { // both curators' lists of curated departments change
			return name, touchOfficials(ctx, tx, now, uuid.Nil, cur.Curator, next.Curator)
		}
		return name, nil
	})
	return out, err
}

// checkDepartmentRefs checks the references of d that differ from cur (all of them for a new
// department): existing references stay valid even when their target is deactivated later.
func checkDepartmentRefs(ctx context.Context, tx Tx, d, cur domain.Department) error {
	var vs []domain.Violation
	if d.District != "" && d.District != cur.District {
		if _, err := tx.District(ctx, d.District); errors.Is(err, ErrNotFound) {
			vs = append(vs, domain.Violation{Field: "district", Reason: fmt.Sprintf("unknown district %q", d.District)})
		} else if err != nil {
			return err
		}
	}
	if d.Parent != "" && d.Parent != cur.Parent && d.Parent != d.Code {
		reason, err := assignable(ctx, tx, d.Parent)
		if err != nil {
			return err
		}
		if reason == "" {
			parents, err := tx.DepartmentParents(ctx)
			if err != nil {
				return err
			}
			if domain.ParentCycle(d.Code, d.Parent, parents) {
				reason = fmt.Sprintf("%s is already under %s: that would make a loop", d.Parent, d.Code)
			}
		}
		if reason != "" {
			vs = append(vs, domain.Violation{Field: "parent", Reason: reason})
		}
	}
	if d.Curator != uuid.Nil && d.Curator != cur.Curator {
		o, err := tx.Official(ctx, d.Curator)
		switch {
		case errors.Is(err, ErrNotFound):
			vs = append(vs, domain.Violation{Field: "curator", Reason: "unknown official " + officialName(d.Curator)})
		case err != nil:
			return err
		case !o.Active:
			vs = append(vs, domain.Violation{Field: "curator", Reason: officialName(d.Curator) + " is not active"})
		}
	}
	if len(vs) > 0 {
		return invalid("department", vs)
	}
	return nil
}

// assignable tells why a department cannot take a new assignment ("" when it can).
func assignable(ctx context.Context, tx Tx, code string) (string, error) {
	d, err := tx.Department(ctx, code)
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Sprintf("unknown department %q", code), nil
	case err != nil:
		return "", err
	case !d.Active:
		return fmt.Sprintf("department %q is deactivated and takes no new assignments", code), nil
	}
	return "", nil
}

// touchOfficials stores a new version of each official (but skip) whose curated departments
// changed, so that its event carries the new list.
func touchOfficials(ctx context.Context, tx Tx, now time.Time, skip uuid.UUID, ids ...uuid.UUID) error {
	done := map[uuid.UUID]bool{uuid.Nil: true, skip: true}
	for _, id := range ids {
		if done[id] {
			continue
		}
		done[id] = true
		o, err := tx.Official(ctx, id)
		if err != nil {
			return err
		}
		o.UpdateTime, o.Version = now, o.Version+1
		if err := tx.UpdateOfficial(ctx, o); err != nil {
			return err
		}
	}
	return nil
}
