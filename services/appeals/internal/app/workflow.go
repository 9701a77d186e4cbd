package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
	"github.com/cityhall-khv/cityhall/services/platform/apierr"
)

// Ref names the appeal a workflow request acts on and the version the caller saw.
type Ref struct {
	ID   uuid.UUID
	Name string // appeals/{id}, for errors
	Etag string
}

// change runs one workflow step on the appeal ref: the caller must be allowed to change it
// (its lead department's clerk or head, or an admin), the etag must be current, and decide
// applies the rule of the step. The step is stored with its history entry and events.
func (s *Service) change(ctx context.Context, ref Ref, check func(access) error,
	decide func(tx ChangeTx, acc access, cur domain.Appeal, now time.Time) (domain.Step, error)) (domain.Appeal, error) {
	acc, err := s.access(ctx)
	if err != nil {
		return domain.Appeal{}, err
	}
	if acc.write == nil {
		return domain.Appeal{}, denied("CANNOT_CHANGE", "your role reads appeals but does not work on them")
	}
	if check != nil {
		if err := check(acc); err != nil {
			return domain.Appeal{}, err
		}
	}
	now := s.stamp()
	a, err := s.repo.Change(ctx, ref.ID, acc.read, *acc.write, acc.actor(), func(tx ChangeTx, cur domain.Appeal) (domain.Step, error) {
		if !acc.leads(cur) {
			return domain.Step{}, denied("NOT_LEAD_DEPARTMENT",
				fmt.Sprintf("%s is led by %s; only its lead department works the appeal through", ref.Name, cur.Department))
		}
		if ref.Etag != strconv.FormatInt(cur.Version, 10) {
			return domain.Step{}, Errors.Error(codes.Aborted, "ETAG_MISMATCH",
				ref.Name+" was changed since it was read; read it again and retry", map[string]string{"resource": ref.Name})
		}
		st, err := decide(tx, acc, cur, now)
		if err != nil {
			return domain.Step{}, ruleError(err)
		}
		st.Appeal.Version, st.Appeal.UpdateTime = cur.Version+1, now
		return st, nil
	})
	if errors.Is(err, ErrConflict) {
		return domain.Appeal{}, Errors.Error(codes.Aborted, "ETAG_MISMATCH", ref.Name+" was changed concurrently; read it again and retry", nil)
	}
	if err != nil {
		return domain.Appeal{}, notFound(err, ref.Name)
	}
	return s.shown(a), nil
}

// headOnly lets through the heads of departments: the law gives them some decisions.
func headOnly(what string) func(access) error {
	return func(acc access) error {
		if !acc.head {
			return denied("NOT_A_HEAD", "only the head of the department "+what+" (59-FZ)")
		}
		return nil
	}
}

// AssignAppeal routes the appeal to its lead department (the current one when empty),
// co-executors and executor; the departments must be active ones of the directory.
func (s *Service) AssignAppeal(ctx context.Context, ref Ref, as domain.Assignment) (domain.Appeal, error) {
	var vs []apierr.FieldViolation
	check := func(field, code string) error {
		d, known, err := s.repo.Department(ctx, code)
		switch {
		case err != nil:
			return err
		case !known:
			vs = append(vs, apierr.FieldViolation{Field: field, Description: fmt.Sprintf("unknown department %q", code)})
		case !d.Active:
			vs = append(vs, apierr.FieldViolation{Field: field, Description: fmt.Sprintf("department %q is deactivated", code)})
		}
		return nil
	}
	if as.Department != "" {
		if err := check("department", as.Department); err != nil {
			return domain.Appeal{}, err
		}
	}
	for i, c := range as.CoExecutors {
		if err := check(fmt.Sprintf("co_executors[%d]", i), c); err != nil {
			return domain.Appeal{}, err
		}
	}
	if len(vs) > 0 {
		return domain.Appeal{}, Errors.Invalid("INVALID_ASSIGNMENT", "the appeal cannot be assigned: "+summary(vs), vs...)
	}
	return s.change(ctx, ref, nil, func(_ ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.Assign(as, now)
	})
}

// StartAppeal records that work on the appeal has begun.
func (s *Service) StartAppeal(ctx context.Context, ref Ref) (domain.Appeal, error) {
	return s.change(ctx, ref, nil, func(_ ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.Start(now)
	})
}

// ForwardAppeal sends the appeal to the competent body.
func (s *Service) ForwardAppeal(ctx context.Context, ref Ref, f domain.ForwardTo) (domain.Appeal, error) {
	return s.change(ctx, ref, nil, func(_ ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.Forward(f, now)
	})
}

// ExtendAppeal extends the answer deadline (heads only).
func (s *Service) ExtendAppeal(ctx context.Context, ref Ref, days int, reason string) (domain.Appeal, error) {
	return s.change(ctx, ref, headOnly("extends the answer deadline"), func(_ ChangeTx, acc access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.Extend(days, reason, acc.p.Login, now)
	})
}

// AnswerAppeal answers the appeal on substance.
func (s *Service) AnswerAppeal(ctx context.Context, ref Ref, ans domain.AnswerWith) (domain.Appeal, error) {
	return s.change(ctx, ref, nil, func(_ ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.AnswerIt(ans, now)
	})
}

// ReturnAppeal returns the appeal to the applicant.
func (s *Service) ReturnAppeal(ctx context.Context, ref Ref, reason string) (domain.Appeal, error) {
	return s.change(ctx, ref, nil, func(_ ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.Return(reason, now)
	})
}

// LeaveWithoutAnswer leaves the appeal without an answer on substance.
func (s *Service) LeaveWithoutAnswer(ctx context.Context, ref Ref, reason domain.LeaveReason, comment string) (domain.Appeal, error) {
	return s.change(ctx, ref, nil, func(_ ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.Leave(reason, comment, now)
	})
}

// EndCorrespondence ends the correspondence on a repeated appeal (heads only).
func (s *Service) EndCorrespondence(ctx context.Context, ref Ref, reason string) (domain.Appeal, error) {
	return s.change(ctx, ref, headOnly("ends the correspondence"), func(tx ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		answered, err := tx.AnyAnswered(ctx, cur.PreviousAppeals)
		if err != nil {
			return domain.Step{}, err
		}
		return cur.EndCorrespondence(reason, answered, now)
	})
}

// ReopenAppeal takes a closed appeal back into work.
func (s *Service) ReopenAppeal(ctx context.Context, ref Ref, reason string) (domain.Appeal, error) {
	return s.change(ctx, ref, nil, func(_ ChangeTx, _ access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		return cur.Reopen(reason, now)
	})
}

// MarkDuplicate marks the appeal a duplicate of target, which the caller must be able to see.
func (s *Service) MarkDuplicate(ctx context.Context, ref Ref, target uuid.UUID) (domain.Appeal, error) {
	return s.change(ctx, ref, nil, func(tx ChangeTx, acc access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		if target == cur.ID {
			return cur.MarkDuplicate(target, uuid.Nil, now)
		}
		other, err := tx.Get(ctx, target, acc.read)
		if errors.Is(err, ErrNotFound) {
			return domain.Step{}, Errors.Invalid("UNKNOWN_APPEAL", "no appeal "+AppealName(target)+" that you can see",
				apierr.FieldViolation{Field: "duplicate_of", Description: "no such appeal that you can see"})
		}
		if err != nil {
			return domain.Step{}, err
		}
		return cur.MarkDuplicate(target, other.DuplicateOf, now)
	})
}

// UpdateAppeal corrects the registration card of an open appeal.
func (s *Service) UpdateAppeal(ctx context.Context, ref Ref, c domain.Correction) (domain.Appeal, error) {
	if ref.Etag == "" {
		return domain.Appeal{}, Errors.Invalid("ETAG_REQUIRED", "send the etag of the appeal you corrected",
			apierr.FieldViolation{Field: "appeal.etag", Description: "required"})
	}
	return s.change(ctx, ref, nil, func(_ ChangeTx, acc access, cur domain.Appeal, now time.Time) (domain.Step, error) {
		st, vs, err := cur.Correct(c, now)
		if err != nil {
			return st, err
		}
		fvs := make([]apierr.FieldViolation, 0, len(vs))
		for _, v := range vs {
			fvs = append(fvs, apierr.FieldViolation{Field: "appeal." + v.Field, Description: v.Reason})
		}
		codes := []string(nil)
		if contains(c.Fields, "classifier_codes") {
			codes = c.ClassifierCodes
		}
		var related []uuid.UUID
		if contains(c.Fields, "related_appeals") {
			related = c.RelatedAppeals
		}
		more, err := s.checkCodesAndLinks(ctx, "appeal", codes, related, acc.read)
		if err != nil {
			return domain.Step{}, err
		}
		fvs = append(fvs, more...)
		if len(fvs) > 0 {
			return domain.Step{}, Errors.Invalid("INVALID_APPEAL", "the appeal cannot be corrected: "+summary(fvs), fvs...)
		}
		return st, nil
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
