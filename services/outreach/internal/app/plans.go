package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

// CreatePlan opens a plan (a month's regular plan or an election period's schedule) as a draft.
func (s *Service) CreatePlan(ctx context.Context, id domain.PlanID) (domain.Plan, error) {
	a, err := s.reader(ctx)
	if err != nil {
		return domain.Plan{}, err
	}
	if !a.departmental() && !a.admin() && !a.p.Has(auth.RoleViceMayor) {
		return domain.Plan{}, denied("CANNOT_PLAN", "your role does not open meeting plans")
	}
	now := s.stamp()
	p, err := s.repo.CreatePlan(ctx, domain.Plan{ID: id, State: domain.PlanDraft, CreateTime: now, UpdateTime: now, Version: 1}, a.actor())
	if errors.Is(err, ErrAlreadyExists) {
		return domain.Plan{}, Errors.Error(codes.AlreadyExists, "PLAN_EXISTS", id.Name()+" already exists", map[string]string{"plan": id.Name()})
	}
	return p, err
}

// GetPlan returns one plan.
func (s *Service) GetPlan(ctx context.Context, id domain.PlanID) (domain.Plan, error) {
	if _, err := s.reader(ctx); err != nil {
		return domain.Plan{}, err
	}
	p, err := s.repo.GetPlan(ctx, id)
	return p, notFound(err, id.Name())
}

// ListPlans lists plans, newest month first.
func (s *Service) ListPlans(ctx context.Context, q PlanQuery) ([]domain.Plan, error) {
	if _, err := s.reader(ctx); err != nil {
		return nil, err
	}
	return s.repo.ListPlans(ctx, q)
}

// SubmitPlan sends the consolidated plan to the vice-mayor (heads of departments and admins).
func (s *Service) SubmitPlan(ctx context.Context, id domain.PlanID, etag string) (domain.Plan, error) {
	a, err := s.reader(ctx)
	if err != nil {
		return domain.Plan{}, err
	}
	if !a.p.Has(auth.RoleHead) && !a.admin() {
		return domain.Plan{}, denied("CANNOT_SUBMIT", "the plan goes to the vice-mayor from a head of a department or an admin")
	}
	return s.changePlan(ctx, a, id, etag, func(p domain.Plan, now time.Time) (PlanStep, error) {
		if err := p.Submit(a.p.Login, a.p.Name, now); err != nil {
			return PlanStep{}, err
		}
		return PlanStep{Plan: p, Kind: domain.ChangePlanSubmitted, Note: fmt.Sprintf("встреч в плане: %d", p.MeetingCount)}, nil
	})
}

// ApprovePlan approves a submitted plan (the vice-mayor, or an admin).
func (s *Service) ApprovePlan(ctx context.Context, id domain.PlanID, etag string) (domain.Plan, error) {
	a, err := s.reviewer(ctx)
	if err != nil {
		return domain.Plan{}, err
	}
	return s.changePlan(ctx, a, id, etag, func(p domain.Plan, now time.Time) (PlanStep, error) {
		if err := p.Approve(a.p.Login, a.p.Name, now); err != nil {
			return PlanStep{}, err
		}
		return PlanStep{Plan: p, Kind: domain.ChangePlanApproved, Note: fmt.Sprintf("утверждён, встреч: %d", p.MeetingCount)}, nil
	})
}

// ReturnPlan returns a submitted plan with comments (the vice-mayor, or an admin).
func (s *Service) ReturnPlan(ctx context.Context, id domain.PlanID, etag, comment string) (domain.Plan, error) {
	a, err := s.reviewer(ctx)
	if err != nil {
		return domain.Plan{}, err
	}
	return s.changePlan(ctx, a, id, etag, func(p domain.Plan, now time.Time) (PlanStep, error) {
		if err := p.Return(comment, now); err != nil {
			return PlanStep{}, err
		}
		return PlanStep{Plan: p, Kind: domain.ChangePlanReturned, Note: comment}, nil
	})
}

func (s *Service) reviewer(ctx context.Context) (access, error) {
	a, err := s.reader(ctx)
	if err != nil {
		return a, err
	}
	if !a.p.Has(auth.RoleViceMayor) && !a.admin() {
		return a, denied("NOT_VICE_MAYOR", "meeting plans are approved or returned by the vice-mayor")
	}
	return a, nil
}

func (s *Service) changePlan(ctx context.Context, a access, id domain.PlanID, etag string,
	decide func(domain.Plan, time.Time) (PlanStep, error)) (domain.Plan, error) {
	now := s.stamp()
	p, err := s.repo.ChangePlan(ctx, id, a.actor(), now, func(cur domain.Plan) (PlanStep, error) {
		if etag != strconv.FormatInt(cur.Version, 10) {
			return PlanStep{}, etagMismatch(id.Name())
		}
		st, err := decide(cur, now)
		if err != nil {
			return PlanStep{}, ruleError(err)
		}
		st.Plan.Version, st.Plan.UpdateTime = cur.Version+1, now
		return st, nil
	})
	return p, notFound(err, id.Name())
}
