package app

import (
	"context"

	"github.com/cityhall-khv/cityhall/services/planning/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/idempotency"
)

// GetDistrict returns one district.
func (s *Service) GetDistrict(ctx context.Context, code string) (domain.District, error) {
	if err := reader(ctx); err != nil {
		return domain.District{}, err
	}
	d, err := s.repo.GetDistrict(ctx, code)
	return d, notFound(err, districtName(code))
}

// ListDistricts returns up to limit districts after the given code, and whether more follow.
func (s *Service) ListDistricts(ctx context.Context, after string, limit int) ([]domain.District, bool, error) {
	if err := reader(ctx); err != nil {
		return nil, false, err
	}
	rows, err := s.repo.ListDistricts(ctx, after, limit+1)
	if err != nil {
		return nil, false, err
	}
	rows, more := page(rows, limit)
	return rows, more, nil
}

// CreateDistrict adds a district. idem is nil when the client sent no request_id.
func (s *Service) CreateDistrict(ctx context.Context, d domain.District, idem *idempotency.Key) (domain.District, error) {
	if err := admin(ctx); err != nil {
		return domain.District{}, err
	}
	if vs := d.Check(); len(vs) > 0 {
		return domain.District{}, invalid("district", vs)
	}
	d.UpdateTime, d.Version = s.stamp(), 1
	prior, err := s.change(ctx, idem, func(tx Tx) (string, error) {
		return districtName(d.Code), tx.CreateDistrict(ctx, d)
	})
	if err != nil {
		return domain.District{}, err
	}
	if prior != "" {
		return s.repo.GetDistrict(ctx, prior[len("districts/"):])
	}
	return d, nil
}

// UpdateDistrict changes the named fields of the district p.Code.
func (s *Service) UpdateDistrict(ctx context.Context, p domain.District, fields []string, etag string) (domain.District, error) {
	if err := admin(ctx); err != nil {
		return domain.District{}, err
	}
	name := districtName(p.Code)
	var out domain.District
	_, err := s.change(ctx, nil, func(tx Tx) (string, error) {
		cur, err := tx.District(ctx, p.Code)
		if err != nil {
			return "", notFound(err, name)
		}
		if err := checkEtag(etag, cur.Version, name); err != nil {
			return "", err
		}
		next := cur.Patch(p, fields)
		if next == cur {
			out = cur // nothing to change, nothing to announce
			return name, nil
		}
		if vs := next.Check(); len(vs) > 0 {
			return "", invalid("district", vs)
		}
		next.UpdateTime, next.Version = s.stamp(), cur.Version+1
		out = next
		return name, tx.UpdateDistrict(ctx, next)
	})
	return out, err
}
