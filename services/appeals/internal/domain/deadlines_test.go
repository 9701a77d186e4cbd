package domain

import (
	"testing"
	"time"
)

func TestDeadlineState(t *testing.T) {
	due := Date{2026, time.April, 1}
	for _, c := range []struct {
		state State
		today Date
		want  DeadlineState
	}{
		{StateInProgress, Date{2026, time.March, 26}, DeadlineOnTime},  // 6 days left
		{StateInProgress, Date{2026, time.March, 27}, DeadlineDueSoon}, // 5 days left
		{StateRegistered, Date{2026, time.April, 1}, DeadlineDueSoon},  // the last day
		{StateAssigned, Date{2026, time.April, 2}, DeadlineOverdue},
		{StateAnswered, Date{2026, time.April, 2}, DeadlineClosed},
		{StateForwarded, Date{2026, time.March, 1}, DeadlineClosed},
	} {
		if got := DeadlineOn(c.state, due, c.today); got != c.want {
			t.Errorf("%s on %s: %d, want %d", c.state, c.today, got, c.want)
		}
	}
	if DueSoonFrom(Date{2026, time.March, 27}) != (Date{2026, time.April, 2}) {
		t.Fatal("due-soon boundary")
	}
}

func TestCalendarArithmetic(t *testing.T) {
	for _, c := range []struct {
		from Date
		n    int
		want Date
	}{
		{Date{2026, time.January, 31}, 30, Date{2026, time.March, 2}},
		{Date{2028, time.February, 1}, 30, Date{2028, time.March, 2}}, // leap year
		{Date{2026, time.December, 15}, 30, Date{2027, time.January, 14}},
		{Date{2026, time.March, 2}, 7, Date{2026, time.March, 9}},
	} {
		got := c.from.AddDays(c.n)
		if got != c.want {
			t.Errorf("%s + %d = %s, want %s", c.from, c.n, got, c.want)
		}
		if d := c.from.DaysUntil(got); d != c.n {
			t.Errorf("%s until %s: %d days, want %d", c.from, got, d, c.n)
		}
	}
	// 23:30 UTC on 1 March is 2 March in Khabarovsk: the forward deadline is 9 March.
	a := Register([16]byte{1}, Registration{Channel: ChannelLetter, Text: "x", Anonymous: true}, time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), 1, nil)
	if a.ForwardDueDate != (Date{2026, time.March, 9}) || a.AnswerDueDate != (Date{2026, time.April, 1}) {
		t.Fatalf("forward due %s, answer due %s", a.ForwardDueDate, a.AnswerDueDate)
	}
}
