package domain

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestAnswerIsDueThirtyCityDaysAfterRegistration(t *testing.T) {
	// 15:30 UTC on 31 January is already 1 February in Khabarovsk (UTC+10).
	now := time.Date(2026, 1, 31, 15, 30, 0, 0, time.UTC)
	a := Register(uuid.New(), Registration{Channel: ChannelLetter, Text: "x"}, now, 123, nil)
	if got, want := a.AnswerDueDate, (Date{2026, time.March, 3}); got != want {
		t.Fatalf("answer due %v, want %v", got, want)
	}
	if got, want := a.RegisterDueDate, (Date{2026, time.February, 4}); got != want {
		t.Fatalf("register due %v, want %v", got, want)
	}
	if a.RegistrationNumber != "2026-000123" || a.State != StateRegistered {
		t.Fatalf("got %s %v", a.RegistrationNumber, a.State)
	}
}

func TestRegistrationYearFollowsCityTime(t *testing.T) {
	// 31 December 20:00 UTC is 1 January 06:00 in Khabarovsk: numbering restarts.
	now := time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC)
	if y := RegistrationYear(now); y != 2026 {
		t.Fatalf("year %d, want 2026", y)
	}
}

func TestRegisterDeadlineCountsFromReceipt(t *testing.T) {
	received := time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC) // 11:00 on 1 March city time
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	a := Register(uuid.New(), Registration{ReceiveTime: received, Channel: ChannelPhone, Text: "x"}, now, 1, nil)
	if got, want := a.RegisterDueDate, (Date{2026, time.March, 4}); got != want {
		t.Fatalf("register due %v, want %v", got, want)
	}
	if got, want := a.AnswerDueDate, (Date{2026, time.April, 1}); got != want {
		t.Fatalf("answer due %v, want %v", got, want)
	}
}

func TestCheckNamesTheBrokenRule(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	vs := Registration{ReceiveTime: now.Add(time.Hour), Text: " ", Signatories: 3}.Check(now)
	fields := map[string]bool{}
	for _, v := range vs {
		fields[v.Field] = true
	}
	for _, f := range []string{"receive_time", "text", "signatories"} {
		if !fields[f] {
			t.Errorf("no violation for %s in %v", f, vs)
		}
	}
	if vs := (Registration{Text: "ok", Collective: true, Signatories: 40, Anonymous: true, Channel: ChannelLetter, ClassifierCodes: []string{"0005.0005.0056.1149"}}).Check(now); len(vs) != 0 {
		t.Fatalf("valid collective appeal rejected: %v", vs)
	}
}
