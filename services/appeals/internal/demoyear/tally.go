package demoyear

import (
	"slices"

	"github.com/cityhall-khv/cityhall/services/appeals/internal/domain"
)

// Counts are the figures of one row of the statistics.
type Counts struct {
	Appeals, Answered, AnsweredOnTime int
}

// Tally is the generator's own count of a period, for checking the analytics against it.
// Keys: classifier codes (section, topic, theme and question level, e.g. 0005.0000.0000.0000,
// 0005.0005.0000.0000, 0005.0005.0056.0000, 0005.0005.0056.1156), district and department codes, channels.
type Tally struct {
	Counts
	Repeated     int
	Overdue      int // open, and the (extended) answer deadline has passed by today
	DaysToAnswer int // sum over the answered appeals, calendar days in city time

	BySection, ByTopic, ByTheme, ByQuestion, ByDistrict, ByDepartment map[string]Counts
	ByChannel                                                         map[domain.Channel]Counts
}

// Count tallies the appeals registered from from to to (inclusive, city days) as they stand on
// today: those a caller whose scope is the given departments sees (nil: every one; otherwise
// led or co-executed by one of them) and, of these, those led by one of departments (nil: all).
func Count(appeals []Appeal, from, to, today domain.Date, scope, departments []string) Tally {
	t := Tally{
		BySection: map[string]Counts{}, ByTopic: map[string]Counts{}, ByTheme: map[string]Counts{}, ByQuestion: map[string]Counts{},
		ByDistrict: map[string]Counts{}, ByDepartment: map[string]Counts{}, ByChannel: map[domain.Channel]Counts{},
	}
	start, end := from.Time(), to.AddDays(1).Time()
	for i := range appeals {
		a := &appeals[i]
		if a.RegisterTime.Before(start) || !a.RegisterTime.Before(end) {
			continue
		}
		if scope != nil && !slices.Contains(scope, a.Department) &&
			!slices.ContainsFunc(a.CoExecutors, func(d string) bool { return slices.Contains(scope, d) }) {
			continue
		}
		if departments != nil && !slices.Contains(departments, a.Department) {
			continue
		}
		c := Counts{Appeals: 1}
		if !a.AnswerTime.IsZero() {
			c.Answered = 1
			t.DaysToAnswer += days(domain.DateOf(a.RegisterTime), domain.DateOf(a.AnswerTime))
			if a.AnswerOnTime {
				c.AnsweredOnTime = 1
			}
		}
		t.Counts = add(t.Counts, c)
		if a.Repeated {
			t.Repeated++
		}
		if a.Open() && a.AnswerDueDate.Time().Before(today.Time()) {
			t.Overdue++
		}
		t.ByDistrict[a.District] = add(t.ByDistrict[a.District], c)
		t.ByDepartment[a.Department] = add(t.ByDepartment[a.Department], c)
		t.ByChannel[a.Channel] = add(t.ByChannel[a.Channel], c)
		// An appeal counts once under each section, topic and question it raises.
		seen := map[string]bool{}
		for _, code := range a.ClassifierCodes {
			for _, k := range []struct {
				m   map[string]Counts
				key string
			}{
				{t.BySection, code[:4] + ".0000.0000.0000"},
				{t.ByTopic, code[:9] + ".0000.0000"},
				{t.ByTheme, code[:14] + ".0000"},
				{t.ByQuestion, code[:19]},
			} {
				if seen[k.key] {
					continue
				}
				seen[k.key] = true
				k.m[k.key] = add(k.m[k.key], c)
			}
		}
	}
	return t
}

func add(a, b Counts) Counts {
	return Counts{a.Appeals + b.Appeals, a.Answered + b.Answered, a.AnsweredOnTime + b.AnsweredOnTime}
}

func days(from, to domain.Date) int {
	return int(to.Time().Sub(from.Time()).Hours()+12) / 24
}
