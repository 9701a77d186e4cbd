package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// OutreachActor registers the appeals of outreach meeting questions; the history names it,
// not a person.
var OutreachActor = Actor{Login: "outreach", Name: "Информационные встречи с населением"}

// CitizensAppealsDepartment is the citizens' appeals department (отдел обращений граждан). A
// meeting question whose department cannot take appeals is registered to it: its clerks route
// every appeal that has no lead yet, so the question is neither lost nor left waiting.
const CitizensAppealsDepartment = "OOG"

// ReferredQuestion is a meeting question needing follow-up (outreach QuestionReferred).
type ReferredQuestion struct {
	Question       string // meetings/{meeting}/questions/{question}: the appeal's source
	Department     string // who is to answer
	District       string
	ClassifierCode string
	RaiseTime      time.Time // when the meeting was held: the appeal's receive time
}

// ErrDirectoryNotFilled is returned while the directory's read copy is still empty: departments
// cannot be told from unknown ones yet, so the event waits (it is retried).
var ErrDirectoryNotFilled = errors.New("the organisation directory copy is not filled yet")

// RegisterMeetingQuestion registers the appeal of a referred meeting question in the consumer's
// transaction tx, exactly once per question: when one is registered already (a republished
// event, or a clerk registered the question by hand) it returns that one and created false.
// The appeal has no applicant and is answered to the meeting (domain.AnsweredThroughMeeting).
// An event that breaks the contract (no question name, unknown classifier code, no time) is an
// error: retried, then dead-lettered by the consumer for the operators.
func (s *Service) RegisterMeetingQuestion(ctx context.Context, tx Tx, q ReferredQuestion) (domain.Appeal, bool, error) {
	switch {
	case !domain.IsMeetingQuestion(q.Question):
		return domain.Appeal{}, false, fmt.Errorf("question %q is not meetings/{meeting}/questions/{question}", q.Question)
	case q.RaiseTime.IsZero():
		return domain.Appeal{}, false, fmt.Errorf("question %s has no raise time", q.Question)
	}
	topic, known, err := s.repo.ClassifierName(ctx, domain.Question(q.ClassifierCode))
	if err == nil && !known {
		topic, known, err = s.repo.ClassifierName(ctx, q.ClassifierCode)
	}
	if err != nil {
		return domain.Appeal{}, false, err
	}
	if !known {
		return domain.Appeal{}, false, fmt.Errorf("question %s: classifier code %q is not in the ССТУ classifier", q.Question, q.ClassifierCode)
	}
	lead, note, err := s.meetingQuestionLead(ctx, q.Department)
	if err != nil {
		return domain.Appeal{}, false, err
	}

	now := s.now()
	r := domain.Registration{
		ReceiveTime: q.RaiseTime, Channel: domain.ChannelOutreachMeeting,
		Text:            domain.MeetingQuestionText(q.RaiseTime, topic, q.Question),
		ClassifierCodes: []string{q.ClassifierCode}, District: q.District, Department: lead.code, Source: q.Question,
	}
	if vs := r.Check(now); len(vs) > 0 {
		return domain.Appeal{}, false, fmt.Errorf("question %s cannot be registered: %s: %s", q.Question, vs[0].Field, vs[0].Reason)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return domain.Appeal{}, false, err
	}
	in := NewAppeal{
		Actor: OutreachActor, CreatedBy: OutreachActor.Login, Note: note,
		Questions: domain.Questions(r.ClassifierCodes), Since: domain.RepeatedSince(now),
		Now: s.now,
		Build: func(now time.Time, previous []uuid.UUID) domain.Appeal {
			a := domain.Register(id, r, now, 0, previous)
			a.DepartmentName = lead.name
			a.CreatedBy = OutreachActor.Login
			return a
		},
	}
	return s.repo.RegisterFromSource(ctx, tx, q.Question, in)
}

type leadDepartment struct{ code, name string }

// meetingQuestionLead is the event's department when the directory copy has it active; else
// the citizens' appeals department, with the reason for the history.
func (s *Service) meetingQuestionLead(ctx context.Context, code string) (leadDepartment, string, error) {
	why := "the meeting named no department"
	if code != "" {
		d, known, err := s.repo.Department(ctx, code)
		if err != nil {
			return leadDepartment{}, "", err
		}
		switch {
		case known && d.Active:
			return leadDepartment{code, d.Name}, "", nil
		case known:
			why = fmt.Sprintf("the meeting's department %s is deactivated", code)
		default:
			filled, err := s.repo.DirectoryFilled(ctx)
			if err != nil {
				return leadDepartment{}, "", err
			}
			if !filled {
				return leadDepartment{}, "", ErrDirectoryNotFilled
			}
			why = fmt.Sprintf("the meeting's department %s is not in the organisation directory", code)
		}
	}
	oog, known, err := s.repo.Department(ctx, CitizensAppealsDepartment)
	if err != nil {
		return leadDepartment{}, "", err
	}
	if !known || !oog.Active {
		return leadDepartment{}, "", fmt.Errorf("%s, and the citizens' appeals department %s cannot take appeals either", why, CitizensAppealsDepartment)
	}
	return leadDepartment{CitizensAppealsDepartment, oog.Name},
		why + "; registered to " + CitizensAppealsDepartment + " (citizens' appeals) to route it", nil
}
