package app

import (
	"context"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// jobBatch is how many appeals one run of a job handles per transaction.
const jobBatch = 200

// NotifyDeadlines publishes AppealDueSoon and AppealOverdue for the appeals that reached those
// states by the service's clock, once each. It runs until nothing is left to notify.
func (s *Service) NotifyDeadlines(ctx context.Context) (dueSoon, overdue int, err error) {
	now := s.stamp()
	today := domain.DateOf(now)
	for {
		ds, od, err := s.repo.NotifyDeadlines(ctx, today, domain.DueSoonFrom(today), now, jobBatch)
		dueSoon, overdue = dueSoon+ds, overdue+od
		if err != nil || (ds < jobBatch && od < jobBatch) {
			return dueSoon, overdue, err
		}
	}
}

// DestroyExpiredApplicants destroys the personal data of the appeals closed longer ago than
// the retention period, recording each destruction.
func (s *Service) DestroyExpiredApplicants(ctx context.Context) (int, error) {
	now := s.stamp()
	total := 0
	for {
		n, err := s.repo.DestroyApplicants(ctx, now.Add(-s.settings.PDRetention), now, jobBatch)
		total += n
		if err != nil || n < jobBatch {
			return total, err
		}
	}
}

// Settings returns the service's settings (for the log at start).
func (s *Service) Settings() Settings { return s.settings }

func violations(prefix string, vs []domain.Violation) []apierr.FieldViolation {
	out := make([]apierr.FieldViolation, len(vs))
	for i, v := range vs {
		out[i] = apierr.FieldViolation{Field: prefix + "." + v.Field, Description: v.Reason}
	}
	return out
}

// NumberLeftovers gives registration numbers to the appeals whose registration committed but
// whose numbering step never ran (the process stopped between the two), and returns how many.
func (s *Service) NumberLeftovers(ctx context.Context) (int, error) {
	return s.repo.NumberLeftovers(ctx)
}
