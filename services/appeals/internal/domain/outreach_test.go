package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

const meetingQuestion = "meetings/0190c0de-7a1b-7c2d-8e3f-405162738495/questions/3"

// A meeting question comes without an applicant: it is answered to the meeting, not left
// without an answer as an anonymous appeal would be.
func TestMeetingQuestionWithoutApplicantIsAnswered(t *testing.T) {
	now := time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)
	r := Registration{ReceiveTime: now.Add(-time.Hour), Channel: ChannelOutreachMeeting, Text: "x",
		ClassifierCodes: []string{"0005.0005.0056.1149"}, Source: meetingQuestion}
	if vs := r.Check(now); len(vs) != 0 {
		t.Fatalf("meeting question rejected: %v", vs)
	}
	a := Register(uuid.New(), r, now, 1, nil)
	if a.Anonymous {
		t.Fatal("a meeting question registered as anonymous")
	}
	a.State = StateInProgress
	st, err := a.AnswerIt(AnswerWith{Text: "Ремонт включён в план", Result: AnswerResultSupported, Signer: "Попов Д. С."}, now)
	if err != nil || st.Appeal.State != StateAnswered {
		t.Fatalf("answer: %v, %v", st.Appeal.State, err)
	}
	if _, err := a.Leave(LeaveReasonAnonymous, "", now); !isRule(err, "NOT_ANONYMOUS") {
		t.Fatalf("left as anonymous: %v", err)
	}
}

// Without a meeting question's source (or on another channel) the applicant rule is unchanged.
func TestApplicantStillRequiredElsewhere(t *testing.T) {
	now := time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)
	for _, r := range []Registration{
		{Channel: ChannelOutreachMeeting, Text: "x", ClassifierCodes: []string{"0005.0005.0056.1149"}},
		{Channel: ChannelOutreachMeeting, Text: "x", ClassifierCodes: []string{"0005.0005.0056.1149"}, Source: "meetings/x"},
		{Channel: ChannelLetter, Text: "x", ClassifierCodes: []string{"0005.0005.0056.1149"}, Source: meetingQuestion},
	} {
		found := false
		for _, v := range r.Check(now) {
			found = found || v.Field == "applicant"
		}
		if !found || !r.IsAnonymous() {
			t.Errorf("%+v: applicant violation %v, anonymous %v", r, found, r.IsAnonymous())
		}
	}
	declared := Registration{Channel: ChannelOutreachMeeting, Source: meetingQuestion, Anonymous: true}
	if !declared.IsAnonymous() {
		t.Error("a question declared anonymous is anonymous")
	}
}

func TestMeetingQuestionTextIsInCityTime(t *testing.T) {
	// 08:30 UTC on 12 March is 18:30 in Khabarovsk.
	got := MeetingQuestionText(time.Date(2026, 3, 12, 8, 30, 0, 0, time.UTC), "Оплата ЖКУ", meetingQuestion)
	for _, want := range []string{"Вопрос жителей", "информационной встрече", "12.03.2026 в 18:30", "«Оплата ЖКУ»", "в карточке встречи", meetingQuestion} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
}

func isRule(err error, reason string) bool {
	var re *RuleError
	return errors.As(err, &re) && re.Reason == reason
}
