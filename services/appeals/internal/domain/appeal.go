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
	AnswerWithinDays   = 30 // art. 12 p. 1: answer within 30 days of registration
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
	AnswerDueDate      Date
	UpdateTime         time.Time
	Version            int64
}

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
}

// Violation names a field of a Registration and the rule it breaks.
type Violation struct {
	Field  string // proto-style path relative to the appeal, e.g. "receive_time"
	Reason string
}

// Check applies the registration rules that need no stored data.
func (r Registration) Check(now time.Time) []Violation {
	var vs []Violation
	if !r.ReceiveTime.IsZero() && r.ReceiveTime.After(now.Add(5*time.Minute)) {
		vs = append(vs, Violation{"receive_time", "an appeal cannot be received in the future"})
	}
	if strings.TrimSpace(r.Text) == "" {
		vs = append(vs, Violation{"text", "the appeal's text is empty"})
	}
	if !r.Collective && r.Signatories > 0 {
		vs = append(vs, Violation{"signatories", "signatories are counted only for a collective appeal"})
	}
	return vs
}

// Register makes the appeal from a registration at time now, with the year's next sequence number.
func Register(id uuid.UUID, r Registration, now time.Time, seq int) Appeal {
	now = now.UTC().Truncate(time.Microsecond) // the precision the database keeps
	received := r.ReceiveTime.Truncate(time.Microsecond)
	if received.IsZero() {
		received = now
	}
	return Appeal{
		ID:                 id,
		RegistrationNumber: RegistrationNumber(RegistrationYear(now), seq),
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
		UpdateTime:         now.UTC(),
		Version:            1,
	}
}

// RegistrationYear is the city-time year numbering restarts in.
func RegistrationYear(t time.Time) int { return t.In(CityZone).Year() }

// RegistrationNumber formats the journal number, e.g. 2026-000123.
func RegistrationNumber(year, seq int) string { return fmt.Sprintf("%d-%06d", year, seq) }
