// Package domain holds the rules of citizens' appeals under Federal Law 59-FZ:
// states, deadlines and registration numbers. It knows nothing of storage or transport.
package domain

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // the city's zone must resolve even on a bare container image

	"github.com/google/uuid"
)

// CityZone is Khabarovsk's time zone; deadlines count calendar days in it.
var CityZone = mustZone("Asia/Vladivostok")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Deadlines of 59-FZ, in calendar days.
const (
	RegisterWithinDays = 3  // art. 8 p. 2: register within 3 days of receipt
	ForwardWithinDays  = 7  // art. 8 p. 3: forward to the competent body within 7 days of registration
	AnswerWithinDays   = 30 // art. 12 p. 1: answer within 30 days of registration
	MaxExtensionDays   = 30 // art. 12 p. 2: the head may extend once by up to 30 days
	DueSoonDays        = 5  // the answer deadline is "due soon" with 5 days or fewer left
)

// State is where an appeal is in its workflow.
type State int

const (
	StateUnspecified State = iota
	StateReceived
	StateRegistered
	StateAssigned
	StateInProgress
	StateAnswered
	StateForwarded
	StateReturned
	StateLeftWithoutAnswer
	StateCorrespondenceEnded
)

// Channel is how the appeal reached the administration.
type Channel int

const (
	ChannelUnspecified Channel = iota
	ChannelLetter
	ChannelElectronic
	ChannelPersonalReception
	ChannelPhone
	ChannelOutreachMeeting
	ChannelFeedbackPlatform
)

// Date is a calendar day in the city's time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the city-time calendar day of t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(CityZone).Date()
	return Date{y, m, d}
}

// AddDays moves the date by n calendar days.
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, CityZone))
}

// DaysUntil is the number of calendar days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	a := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	b := time.Date(e.Year, e.Month, e.Day, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.DaysUntil(e) > 0 }

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Time is the start of the day in the city's zone.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, CityZone) }

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Appeal is a registered citizen's appeal. Applicant data lives elsewhere, never here.
type Appeal struct {
	ID                 uuid.UUID
	RegistrationNumber string
	ReceiveTime        time.Time
	RegisterTime       time.Time
	Channel            Channel
	Text               string
	ClassifierCodes    []string
	District           string
	Department         string
	DepartmentName     string // from the directory's read copy; display only
	Collective         bool
	Signatories        int
	State              State
	RegisterDueDate    Date
	AnswerDueDate      Date // includes the extension, if any
	ForwardDueDate     Date
	UpdateTime         time.Time
	Version            int64
	CreatedBy          string // subject of the registrar

	Anonymous       bool // no name, or no address to answer to (59-FZ art. 11 p. 1)
	Addressee       string
	CoExecutors     []string
	Executor        string
	ReceptionCard   *ReceptionCard
	RelatedAppeals  []uuid.UUID
	DuplicateOf     uuid.UUID // uuid.Nil: not a duplicate
	Repeated        bool
	PreviousAppeals []uuid.UUID // newest first
	Source          string
	AttachmentCount int

	Extension     Extension
	Answer        Answer
	Forwarding    Forwarding
	ClosingReason string
	LeaveReason   LeaveReason
	CloseTime     time.Time // when it entered a closed state; zero while open

	DueSoonNotified        time.Time // the deadline job's marks (zero: not yet)
	OverdueNotified        time.Time
	ApplicantDataDestroyed bool
	Deadline               DeadlineState // computed on read against the service's clock
}

// ReceptionCard is the record of a personal reception (59-FZ art. 13).
type ReceptionCard struct {
	Official            string
	Date                Date // zero: not given
	Summary             string
	OralAnswerConsented bool
}

// Extension is the one extension of the answer deadline; Days == 0: none.
type Extension struct {
	Days   int
	Reason string
	By     string // login of the head
	Time   time.Time
}

// AnswerResult is the outcome of an answer on substance.
type AnswerResult int

const (
	AnswerResultUnspecified AnswerResult = iota
	AnswerResultSupported
	AnswerResultExplained
	AnswerResultNotSupported
)

// Answer is the answer on substance; Time.IsZero(): not answered.
type Answer struct {
	Text   string
	Result AnswerResult
	Signer string
	Time   time.Time
	OnTime bool
	Oral   bool
}

// Forwarding is where an appeal outside the administration's competence went.
type Forwarding struct {
	Body              string
	Time              time.Time
	Late              bool // after the forward due date: allowed, but the 7 days were missed
	ApplicantNotified bool
}

// LeaveReason is why an appeal is left without an answer on substance (59-FZ art. 11).
type LeaveReason int

const (
	LeaveReasonUnspecified LeaveReason = iota
	LeaveReasonAnonymous
	LeaveReasonObscene
	LeaveReasonUnreadable
	LeaveReasonCourtDecision
	LeaveReasonProtectedSecret
	LeaveReasonNoSubstance
)

// Registration is what a clerk submits to register an appeal.
type Registration struct {
	ReceiveTime     time.Time // zero: received now
	Channel         Channel
	Text            string
	ClassifierCodes []string
	District        string
	Department      string
	Collective      bool
	Signatories     int
	Anonymous       bool // declared anonymous; also set when the applicant gives no name or address
	Addressee       string
	ReceptionCard   *ReceptionCard
	RelatedAppeals  []uuid.UUID
	Source          string
	Applicant       *Applicant // nil: none given (allowed only for an anonymous appeal)
}

// Violation names a field of a Registration and the rule it breaks.
type Violation struct {
	Field  string // proto-style path relative to the appeal, e.g. "receive_time"
	Reason string
}

// Check applies the registration rules that need no stored data. Paths are relative to the
// appeal, except those starting with "applicant" (relative to the request).
func (r Registration) Check(now time.Time) []Violation {
	var vs []Violation
	if !r.ReceiveTime.IsZero() && r.ReceiveTime.After(now.Add(5*time.Minute)) {
		vs = append(vs, Violation{"receive_time", "an appeal cannot be received in the future"})
	}
	if r.Channel == ChannelUnspecified {
		vs = append(vs, Violation{"channel", "say how the appeal was received"})
	}
	if len(r.ClassifierCodes) == 0 {
		vs = append(vs, Violation{"classifier_codes", "at least one classifier code"})
	}
	vs = append(vs, checkCard(r.Text, r.Collective, r.Signatories, r.Channel, r.ReceptionCard)...)
	if r.Applicant == nil && !r.Anonymous && !AnsweredThroughMeeting(r.Channel, r.Source) {
		vs = append(vs, Violation{"applicant", "the applicant is required unless the appeal is anonymous or a question of an information meeting"})
	}
	return vs
}

// checkCard holds the rules of the registration card that corrections must keep too.
func checkCard(text string, collective bool, signatories int, ch Channel, card *ReceptionCard) []Violation {
	var vs []Violation
	if strings.TrimSpace(text) == "" {
		vs = append(vs, Violation{"text", "the appeal's text is empty"})
	}
	if !collective && signatories > 0 {
		vs = append(vs, Violation{"signatories", "signatories are counted only for a collective appeal"})
	}
	if card != nil && ch != ChannelPersonalReception {
		vs = append(vs, Violation{"reception_card", "a reception card belongs to an appeal received at a personal reception"})
	}
	return vs
}

// Register makes the appeal from a registration at time now, with the year's sequence number
// seq; seq 0 leaves the number empty (the store numbers registrations after they commit). previous are the same applicant's earlier appeals on the same question within
// RepeatedWithinMonths, newest first: when there are any, the appeal is repeated.
func Register(id uuid.UUID, r Registration, now time.Time, seq int, previous []uuid.UUID) Appeal {
	now = now.UTC().Truncate(time.Microsecond) // the precision the database keeps
	received := r.ReceiveTime.Truncate(time.Microsecond)
	if received.IsZero() {
		received = now
	}
	number := ""
	if seq > 0 {
		number = RegistrationNumber(RegistrationYear(now), seq)
	}
	return Appeal{
		ID:                 id,
		RegistrationNumber: number,
		ReceiveTime:        received.UTC(),
		RegisterTime:       now.UTC(),
		Channel:            r.Channel,
		Text:               r.Text,
		ClassifierCodes:    r.ClassifierCodes,
		District:           r.District,
		Department:         r.Department,
		Collective:         r.Collective,
		Signatories:        r.Signatories,
		State:              StateRegistered,
		RegisterDueDate:    DateOf(received).AddDays(RegisterWithinDays),
		AnswerDueDate:      DateOf(now).AddDays(AnswerWithinDays),
		ForwardDueDate:     DateOf(now).AddDays(ForwardWithinDays),
		UpdateTime:         now.UTC(),
		Version:            1,
		Anonymous:          r.IsAnonymous(),
		Addressee:          r.Addressee,
		ReceptionCard:      r.ReceptionCard,
		RelatedAppeals:     r.RelatedAppeals,
		Repeated:           len(previous) > 0,
		PreviousAppeals:    previous,
		Source:             r.Source,
	}
}

// IsAnonymous: declared anonymous, or the applicant gives no name or no address to answer to. A
// question of an information meeting is answered to the meeting (AnsweredThroughMeeting), so it
// is anonymous only when declared so.
func (r Registration) IsAnonymous() bool {
	if r.Anonymous {
		return true
	}
	if AnsweredThroughMeeting(r.Channel, r.Source) {
		return false
	}
	return r.Applicant == nil || !r.Applicant.Answerable(r.Channel)
}

// RegistrationYear is the city-time year numbering restarts in.
func RegistrationYear(t time.Time) int { return t.In(CityZone).Year() }

// RegistrationNumber formats the journal number, e.g. 2026-000123.
func RegistrationNumber(year, seq int) string { return fmt.Sprintf("%d-%06d", year, seq) }
