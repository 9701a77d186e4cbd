package demoyear

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/appeals/db"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// After the year and every deadline of it: the whole year has happened.
var later = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(2017, later), Generate(2017, later)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs of Generate(2017) differ")
	}
	c := Generate(2018, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(c) != AppealsPerYear || c[0].ID == a[0].ID || c[0].RegistrationNumber != "2018-000001" {
		t.Fatalf("another year: %d appeals, first %s %s", len(c), c[0].ID, c[0].RegistrationNumber)
	}
}

// The shape of 2017: 22,884 appeals, most on housing and utilities, about 15% repeated, most
// answered within 30 days.
func TestYearIsShapedLike2017(t *testing.T) {
	appeals := Generate(2017, later)
	if len(appeals) != AppealsPerYear {
		t.Fatalf("%d appeals, want %d", len(appeals), AppealsPerYear)
	}
	y := Count(appeals, domain.Date{Year: 2017, Month: 1, Day: 1}, domain.Date{Year: 2017, Month: 12, Day: 31}, domain.DateOf(later), nil, nil)
	if y.Appeals != AppealsPerYear {
		t.Fatalf("tally counts %d", y.Appeals)
	}
	share := func(n int) float64 { return float64(n) / float64(y.Appeals) }
	housing := share(y.BySection["0005.0000.0000.0000"].Appeals)
	repeated := share(y.Repeated)
	answered := share(y.Answered)
	onTime := float64(y.AnsweredOnTime) / float64(y.Answered)
	avg := float64(y.DaysToAnswer) / float64(y.Answered)
	t.Logf("housing %.3f repeated %.3f answered %.3f on time %.3f avg days %.1f overdue %d", housing, repeated, answered, onTime, avg, y.Overdue)
	for _, c := range []struct {
		what      string
		got, l, h float64
	}{
		{"housing and utilities share", housing, 0.5, 0.65},
		{"repeated share", repeated, 0.13, 0.17},
		{"answered share", answered, 0.88, 0.96},
		{"answered on time share", onTime, 0.93, 0.99},
		{"average days to answer", avg, 12, 22},
		{"still overdue", float64(y.Overdue), 20, 200},
	} {
		if c.got < c.l || c.got > c.h {
			t.Errorf("%s %.3f, want %.3f..%.3f", c.what, c.got, c.l, c.h)
		}
	}

	// Seasons: heating complaints in winter, snow in winter, yards in summer.
	months := map[string][12]int{}
	states := map[domain.State]int{}
	extended, forwarded := 0, 0
	for _, a := range appeals {
		m := months[a.ClassifierCodes[0]]
		m[domain.DateOf(a.RegisterTime).Month-1]++
		months[a.ClassifierCodes[0]] = m
		states[a.State]++
		if a.ExtensionDays > 0 {
			extended++
		}
		if !a.ForwardTime.IsZero() {
			forwarded++
		}
	}
	for _, c := range []struct {
		code      string
		high, low time.Month
	}{
		{"0005.0005.0056.1156", time.November, time.July},
		{"0003.0009.0097.0694", time.January, time.June},
		{"0003.0009.0097.0698", time.June, time.December},
	} {
		m := months[c.code]
		if m[c.high-1] < 3*m[c.low-1] {
			t.Errorf("%s: %v %d, %v %d: no season", c.code, c.high, m[c.high-1], c.low, m[c.low-1])
		}
	}
	t.Logf("states %v extended %d forwarded %d", states, extended, forwarded)
	for _, s := range []domain.State{domain.StateAnswered, domain.StateForwarded, domain.StateLeftWithoutAnswer,
		domain.StateReturned, domain.StateCorrespondenceEnded, domain.StateInProgress} {
		if states[s] == 0 {
			t.Errorf("no appeal in state %v", s)
		}
	}
	if extended < 200 {
		t.Errorf("%d extended", extended)
	}
}

// Every appeal is internally consistent: numbers in order, deadlines from the registration,
// the state matching what happened, repeated appeals linked to the same applicant's earlier ones.
func TestAppealsAreConsistent(t *testing.T) {
	appeals := Generate(2017, later)
	codes := classifier(t)
	index := map[uuid.UUID]*Appeal{}
	for i := range appeals {
		a := &appeals[i]
		index[a.ID] = a
		if want := domain.RegistrationNumber(2017, i+1); a.RegistrationNumber != want {
			t.Fatalf("appeal %d numbered %s", i, a.RegistrationNumber)
		}
		if i > 0 && a.RegisterTime.Before(appeals[i-1].RegisterTime) {
			t.Fatalf("%s registered before %s", a.RegistrationNumber, appeals[i-1].RegistrationNumber)
		}
		if a.ID.Version() != 7 || a.ReceiveTime.After(a.RegisterTime) {
			t.Fatalf("%s: id %s, received %v registered %v", a.RegistrationNumber, a.ID, a.ReceiveTime, a.RegisterTime)
		}
		reg := domain.DateOf(a.RegisterTime)
		if a.AnswerDueDate != reg.AddDays(30+a.ExtensionDays) || a.ForwardDueDate != reg.AddDays(7) {
			t.Fatalf("%s: due %v, forward %v for registration %v", a.RegistrationNumber, a.AnswerDueDate, a.ForwardDueDate, reg)
		}
		for _, c := range a.ClassifierCodes {
			if !codes[c] {
				t.Fatalf("%s: %s is not in the classifier", a.RegistrationNumber, c)
			}
		}
		if (a.Channel == domain.ChannelPersonalReception) != (a.ReceptionCard != nil) ||
			a.AnswerOral && !a.ReceptionCard.OralAnswerConsented {
			t.Fatalf("%s: reception card %+v", a.RegistrationNumber, a.ReceptionCard)
		}
		if a.Anonymous != (a.Applicant == 0) {
			t.Fatalf("%s: anonymous %v, applicant %d", a.RegistrationNumber, a.Anonymous, a.Applicant)
		}
		last := a.History[len(a.History)-1]
		if last.State != a.State || a.History[0].Action != "registered" || int(a.Version) != len(a.History) {
			t.Fatalf("%s: state %v, history %+v", a.RegistrationNumber, a.State, a.History)
		}
		for k := 1; k < len(a.History); k++ {
			e, before := a.History[k], a.History[k-1].State
			if e.Time.Before(a.History[k-1].Time) {
				t.Fatalf("%s: history out of order: %+v", a.RegistrationNumber, a.History)
			}
			// Every step is one the workflow allows, leading where the workflow leads.
			if tr, ok := domain.Transitions[e.Action]; ok {
				want := tr.To
				if want == domain.StateUnspecified {
					want = before
				}
				if err := domain.Allowed(e.Action, before); err != nil || e.State != want {
					t.Fatalf("%s: %s from %v to %v: %v", a.RegistrationNumber, e.Action, before, e.State, err)
				}
			} else if e.Action != domain.ActionDueSoon && e.Action != domain.ActionOverdue || e.State != before {
				t.Fatalf("%s: step %s from %v to %v", a.RegistrationNumber, e.Action, before, e.State)
			}
		}
		if a.ExtensionDays < 0 || a.ExtensionDays > domain.MaxExtensionDays {
			t.Fatalf("%s: extended by %d days", a.RegistrationNumber, a.ExtensionDays)
		}
		switch a.State {
		case domain.StateAnswered:
			if a.AnswerTime.IsZero() || a.AnswerResult == 0 || a.AnswerSigner == "" || a.CloseTime != a.AnswerTime {
				t.Fatalf("%s: answered without an answer", a.RegistrationNumber)
			}
			if onTime := !domain.DateOf(a.AnswerTime).Time().After(a.AnswerDueDate.Time()); onTime != a.AnswerOnTime {
				t.Fatalf("%s: answered %v, due %v, on time %v", a.RegistrationNumber, a.AnswerTime, a.AnswerDueDate, a.AnswerOnTime)
			}
		case domain.StateForwarded:
			if a.ForwardedTo == "" || a.ForwardTime.IsZero() || !a.AnswerTime.IsZero() {
				t.Fatalf("%s: forwarded badly", a.RegistrationNumber)
			}
		case domain.StateLeftWithoutAnswer:
			if a.LeaveReason == 0 || a.ClosingReason == "" || a.Anonymous != (a.LeaveReason == domain.LeaveReasonAnonymous) {
				t.Fatalf("%s: left without answer, reason %d anonymous %v", a.RegistrationNumber, a.LeaveReason, a.Anonymous)
			}
		case domain.StateCorrespondenceEnded:
			if !a.Repeated {
				t.Fatalf("%s: correspondence ended on a first appeal", a.RegistrationNumber)
			}
		case domain.StateInProgress:
			if a.OverdueNotified.IsZero() {
				t.Fatalf("%s: open long after its deadline without the overdue mark", a.RegistrationNumber)
			}
		}
		if a.Repeated {
			if len(a.PreviousAppeal) == 0 {
				t.Fatalf("%s: repeated without previous appeals", a.RegistrationNumber)
			}
			for _, id := range a.PreviousAppeal {
				p := index[id]
				if p == nil || p.Applicant != a.Applicant || p.ClassifierCodes[0] != a.ClassifierCodes[0] ||
					!p.RegisterTime.Before(a.RegisterTime) || a.RegisterTime.Sub(p.RegisterTime) > 366*24*time.Hour {
					t.Fatalf("%s: previous appeal %s does not match", a.RegistrationNumber, id)
				}
			}
		}
	}
}

// Cut off in the middle of the year: nothing registered later, nothing that happens later.
func TestGenerateStopsAtAsOf(t *testing.T) {
	asOf := time.Date(2017, 6, 15, 3, 0, 0, 0, time.UTC) // 13:00 in Khabarovsk
	appeals := Generate(2017, asOf)
	full := Generate(2017, later)
	if len(appeals) == 0 || len(appeals) >= len(full)/2+2000 || len(appeals) < len(full)/3 {
		t.Fatalf("%d of %d appeals by mid-June", len(appeals), len(full))
	}
	open := 0
	for i, a := range appeals {
		if a.ID != full[i].ID {
			t.Fatalf("appeal %d differs from the full year's", i)
		}
		if a.RegisterTime.After(asOf) || a.UpdateTime.After(asOf) || a.AnswerTime.After(asOf) {
			t.Fatalf("%s: something happens after the cut-off", a.RegistrationNumber)
		}
		if a.Open() {
			open++
		}
	}
	if open < 1000 {
		t.Fatalf("only %d appeals in work at mid-June", open)
	}
}

func classifier(t *testing.T) map[string]bool {
	f, err := db.Seed.Open("seed/classifier.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, r := range rows[1:] {
		if strings.Count(r[0], ".") >= 3 {
			codes[r[0]] = true
		}
	}
	return codes
}
