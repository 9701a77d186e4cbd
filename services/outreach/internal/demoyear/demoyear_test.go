package demoyear

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
)

var speakers = []uuid.UUID{uuid.MustParse("3d3be973-11e6-5297-ad4b-f989fb1d2641"), uuid.MustParse("4e064058-f01e-5cb7-acc2-82a71eb6a2d4")}

// A whole year has the 2017 shape: about 1,000 meetings reaching over 22,000 people, quiet
// months quieter, every held meeting reported within its plan's month.
func TestYearShapedLike2017(t *testing.T) {
	y := Generate(2017, speakers, time.Now())
	if len(y.Plans) != 12 || len(y.Meetings) != MeetingsPerYear {
		t.Fatalf("%d plans, %d meetings", len(y.Plans), len(y.Meetings))
	}
	held, people := 0, 0
	perMonth := map[time.Month]int{}
	for _, m := range y.Meetings {
		if !m.Plan.Contains(m.Start) || len(m.Speakers) == 0 || len(m.Check()) > 0 {
			t.Fatalf("meeting %v breaks the rules: %v", m, m.Check())
		}
		perMonth[m.Start.In(domain.CityZone).Month()]++
		if m.State == domain.MeetingHeld {
			held++
			people += m.Report.Attendance
		}
	}
	if held < 950 || people < 22000 {
		t.Fatalf("held %d meetings reaching %d people; want about 1,000 and over 22,000", held, people)
	}
	if perMonth[time.July] >= perMonth[time.October] || perMonth[time.January] >= perMonth[time.April] {
		t.Fatalf("no seasonality: %v", perMonth)
	}
	again := Generate(2017, speakers, time.Now())
	if again.Meetings[500].ID != y.Meetings[500].ID || again.Meetings[500].Report.Attendance != y.Meetings[500].Report.Attendance {
		t.Fatal("the same year is generated differently")
	}
}

// A running year stops where the live plans begin.
func TestRunningYearStopsAtUntil(t *testing.T) {
	until := time.Date(2026, time.May, 1, 0, 0, 0, 0, domain.CityZone)
	y := Generate(2026, speakers, until)
	if len(y.Plans) != 4 {
		t.Fatalf("%d plans before May, want 4", len(y.Plans))
	}
	for _, m := range y.Meetings {
		if !m.Start.Before(until) {
			t.Fatalf("meeting at %v after %v", m.Start, until)
		}
	}
}
