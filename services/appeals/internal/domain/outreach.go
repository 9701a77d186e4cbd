package domain

import (
	"fmt"
	"regexp"
	"time"
)

// A question raised at an information meeting with residents that needs follow-up becomes an
// appeal (DOMAIN.md §3, flows): channel ChannelOutreachMeeting, Source the question's resource
// name in the outreach service. No applicant comes with it: the residents asked in person, and
// the answer goes back to the meeting's organiser through the outreach service, who brings it to
// them. Such an appeal is therefore not anonymous (59-FZ art. 11 p. 1 is about an appeal with no
// one to answer to) and is answered on substance like any other.

// meetingQuestionRE matches `meetings/{meeting}/questions/{question}`.
var meetingQuestionRE = regexp.MustCompile(`^meetings/[A-Za-z0-9_-]{1,64}/questions/[A-Za-z0-9_-]{1,64}$`)

// IsMeetingQuestion reports whether source names a question of an outreach meeting.
func IsMeetingQuestion(source string) bool { return meetingQuestionRE.MatchString(source) }

// AnsweredThroughMeeting reports whether an appeal received on ch from source is answered to
// the meeting it was raised at (through the outreach service) rather than to an applicant.
func AnsweredThroughMeeting(ch Channel, source string) bool {
	return ch == ChannelOutreachMeeting && IsMeetingQuestion(source)
}

// MeetingQuestionText is the text of the appeal registered for a meeting question: the event
// carries no wording and no personal data, so the text says where the question was raised, on
// which classifier question, and where its wording is kept. raised is shown in city time.
func MeetingQuestionText(raised time.Time, topic, source string) string {
	return fmt.Sprintf("Вопрос жителей, заданный на информационной встрече с населением %s (время хабаровское), "+
		"по теме «%s». Формулировка вопроса — в карточке встречи (раздел «Встречи с населением», %s).",
		raised.In(CityZone).Format("02.01.2006 в 15:04"), topic, source)
}
