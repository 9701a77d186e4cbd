package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// OfficialQuery selects a page of officials, ordered by full name and id. Zero values select all.
type OfficialQuery struct {
	Department string
	Curates    string // a department code
	Active     *bool
	After      *OfficialCursor
	Limit      int
}

// OfficialCursor is the keyset position after an official.
type OfficialCursor struct {
	FullName string
	ID       uuid.UUID
}

// GetOfficial returns one official.
func (s *Service) GetOfficial(ctx context.Context, id uuid.UUID) (domain.Official, error) {
	if err := reader(ctx); err != nil {
		return domain.Official{}, err
	}
	o, err := s.repo.GetOfficial(ctx, id)
	return o, notFound(err, officialName(id))
}

// ListOfficials returns up to q.Limit officials and whether more follow.
func (s *Service) ListOfficials(ctx context.Context, q OfficialQuery) ([]domain.Official, bool, error) {
	if err := reader(ctx); err != nil {
		return nil, false, err
	}
	limit := q.Limit
	q.Limit++
	rows, err := s.repo.ListOfficials(ctx, q)
	if err != nil {
		return nil, false, err
	}
	rows, more := page(rows, limit)
	return rows, more, nil
}

// CreateOfficial adds an active official, who becomes the curator of o.CuratedDepartments.
// idem is nil when the client sent no request_id.
func (s *Service) CreateOfficial(ctx context.Context, o domain.Official, idem *idempotency.Key) (domain.Official, error) {
	if err := admin(ctx); err != nil {
		return domain.Official{}, err
	}
	if vs := o.Check(); len(vs) > 0 {
		return domain.Official{}, invalid("official", vs)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Official{}, err
	}
	requested := o.CuratedDepartments
	now := s.stamp()
	o.ID, o.Active, o.Demo, o.UpdateTime, o.Version = id, true, false, now, 1
	o.CuratedDepartments = domain.Sorted(requested)
	prior, err := s.change(ctx, idem, func(tx Tx) (string, error) {
		if err := checkOfficialRefs(ctx, tx, o, domain.Official{}, requested); err != nil {
			return "", err
		}
		if err := curate(ctx, tx, now, o.ID, nil, o.CuratedDepartments); err != nil {
			return "", err
		}
		return officialName(o.ID), tx.CreateOfficial(ctx, o)
	})
	if err != nil {
		return domain.Official{}, err
	}
	if prior != "" {
		id, err := uuid.Parse(prior[len("officials/"):])
		if err != nil {
			return domain.Official{}, err
		}
		return s.repo.GetOfficial(ctx, id)
	}
	return o, nil
}

// UpdateOfficial changes the named fields of the official p.ID. Changing curated_departments
// moves the curatorship of those departments to (or away from) this official.
func (s *Service) UpdateOfficial(ctx context.Context, p domain.Official, fields []string, etag string) (domain.Official, error) {
	if err := admin(ctx); err != nil {
		return domain.Official{}, err
	}
	name := officialName(p.ID)
	var out domain.Official
	_, err := s.change(ctx, nil, func(tx Tx) (string, error) {
		cur, err := tx.Official(ctx, p.ID)
		if err != nil {
			return "", notFound(err, name)
		}
		if err := checkEtag(etag, cur.Version, name); err != nil {
			return "", err
		}
		next := cur.Patch(p, fields)
		if next.Equal(cur) {
			out = cur // nothing to change, nothing to announce
			return name, nil
		}
		if vs := next.Check(); len(vs) > 0 {
			return "", invalid("official", vs)
		}
		if err := checkOfficialRefs(ctx, tx, next, cur, p.CuratedDepartments); err != nil {
			return "", err
		}
		now := s.stamp()
		if err := curate(ctx, tx, now, cur.ID, cur.CuratedDepartments, next.CuratedDepartments); err != nil {
			return "", err
		}
		next.UpdateTime, next.Version = now, cur.Version+1
		out = next
		return name, tx.UpdateOfficial(ctx, next)
	})
	return out, err
}

// checkOfficialRefs checks the references of o that differ from cur: its department, and each
// newly curated department (named by its index in requested, the list as sent), must exist and
// be active.
func checkOfficialRefs(ctx context.Context, tx Tx, o, cur domain.Official, requested []string) error {
	var vs []domain.Violation
	if o.Department != "" && o.Department != cur.Department {
		reason, err := assignable(ctx, tx, o.Department)
		if err != nil {
			return err
		}
		if reason != "" {
			vs = append(vs, domain.Violation{Field: "department", Reason: reason})
		}
	}
	for i, code := range requested {
		if slices.Contains(cur.CuratedDepartments, code) {
			continue
		}
		reason, err := assignable(ctx, tx, code)
		if err != nil {
			return err
		}
		if reason != "" {
			vs = append(vs, domain.Violation{Field: fmt.Sprintf("curated_departments[%d]", i), Reason: reason})
		}
	}
	if len(vs) > 0 {
		return invalid("official", vs)
	}
	return nil
}

// curate makes official the curator of the departments in next and of none left from prev;
// the departments it takes over lose their previous curator, whose list changes too.
func curate(ctx context.Context, tx Tx, now time.Time, official uuid.UUID, prev, next []string) error {
	var losers []uuid.UUID
	set := func(code string, curator uuid.UUID) error {
		d, err := tx.Department(ctx, code)
		if err != nil {
			return err
		}
		losers = append(losers, d.Curator)
		d.Curator, d.UpdateTime, d.Version = curator, now, d.Version+1
		return tx.UpdateDepartment(ctx, d)
	}
	for _, code := range next {
		if !slices.Contains(prev, code) {
			if err := set(code, official); err != nil {
				return err
			}
		}
	}
	for _, code := range prev {
		if !slices.Contains(next, code) {
			if err := set(code, uuid.Nil); err != nil {
				return err
			}
		}
	}
	return touchOfficials(ctx, tx, now, official, losers...)
}
