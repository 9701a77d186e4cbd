package domain

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Resolution is how a question was dealt with at the meeting.
type Resolution int

const (
	ResolutionUnspecified Resolution = iota
	ResolutionAnswered               // answered on the spot
	ResolutionFollowUp               // becomes an appeal
)

// QuestionState is where a question is. The order matters: a question only moves forward
// (events from appeals may arrive in any order).
type QuestionState int

const (
	QuestionStateUnspecified QuestionState = iota
	QuestionAnsweredOnTheSpot
	QuestionReferred
	QuestionAppealRegistered
	QuestionAppealAnswered
)

// Question is a question raised by residents at a meeting.
type Question struct {
	ID             uuid.UUID
	MeetingID      uuid.UUID
	Position       int
	Text           string
	ClassifierCode string
	Resolution     Resolution
	Answer         string // given on the spot
	Department     string // to answer a follow-up
	State          QuestionState

	Appeal             *uuid.UUID
	AppealNumber       string
	AppealRegisterTime *time.Time
	AppealAnswerTime   *time.Time
	AppealResult       int // appeals' AnswerResult
	AppealOnTime       bool

	// Read with the question, not stored on it.
	ClassifierName string
	DepartmentName string
}

// Name is the question's resource name.
func (q Question) Name() string { return QuestionName(q.MeetingID, q.ID) }

// QuestionName is `meetings/{meeting}/questions/{question}`.
func QuestionName(meeting, question uuid.UUID) string {
	return MeetingName(meeting) + "/questions/" + question.String()
}

var questionNameRE = regexp.MustCompile(`^meetings/([0-9a-f-]{36})/questions/([0-9a-f-]{36})$`)

// ParseQuestionName reads `meetings/{uuid}/questions/{uuid}`; ok is false for anything else
// (e.g. an appeal's source from another service).
func ParseQuestionName(name string) (meeting, question uuid.UUID, ok bool) {
	m := questionNameRE.FindStringSubmatch(name)
	if m == nil {
		return uuid.Nil, uuid.Nil, false
	}
	mid, err1 := uuid.Parse(m[1])
	qid, err2 := uuid.Parse(m[2])
	return mid, qid, err1 == nil && err2 == nil
}

// Check returns what is wrong with a reported question; fields are relative to the question.
func (q Question) Check() []Violation {
	var vs []Violation
	if strings.TrimSpace(q.Text) == "" {
		vs = append(vs, Violation{"text", "required"})
	}
	if q.ClassifierCode == "" {
		vs = append(vs, Violation{"classifier_code", "required: the ССТУ classifier code of the question"})
	}
	switch q.Resolution {
	case ResolutionAnswered:
		if strings.TrimSpace(q.Answer) == "" {
			vs = append(vs, Violation{"answer", "required for a question answered on the spot"})
		}
		if q.Department != "" {
			vs = append(vs, Violation{"department", "only a question needing follow-up goes to a department"})
		}
	case ResolutionFollowUp:
	default:
		vs = append(vs, Violation{"resolution", "ANSWERED (on the spot) or FOLLOW_UP"})
	}
	return vs
}

// Start sets the state of a newly reported question.
func (q *Question) Start() {
	if q.Resolution == ResolutionFollowUp {
		q.State = QuestionReferred
		return
	}
	q.State = QuestionAnsweredOnTheSpot
}

// ReportCheck returns what is wrong with a closing report; fields start at "report".
func ReportCheck(attendance *int, questions []Question) []Violation {
	var vs []Violation
	switch {
	case attendance == nil:
		vs = append(vs, Violation{"report.attendance", "required: how many residents came (0 or more)"})
	case *attendance < 0:
		vs = append(vs, Violation{"report.attendance", "must be 0 or more"})
	}
	for i, q := range questions {
		for _, v := range q.Check() {
			vs = append(vs, Violation{fmt.Sprintf("report.questions[%d].%s", i, v.Field), v.Reason})
		}
	}
	return vs
}
