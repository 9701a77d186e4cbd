package outreach_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/demoyear"
)

// The demo year loads once and gives the dashboard its year: about 1,000 meetings held and
// over 22,000 people reached, by month, district, department and speaker.
func TestDemoYearGivesTheYearsTotals(t *testing.T) {
	h := start(t)
	repo := postgres.New(h.Pool)
	speakers, err := repo.ActiveOfficials(context.Background())
	if err != nil || len(speakers) != 3 {
		t.Fatalf("speakers: %v, %v", speakers, err)
	}
	y := demoyear.Generate(2017, speakers, time.Now())
	n, err := repo.LoadDemoYear(context.Background(), y)
	if err != nil || n != demoyear.MeetingsPerYear {
		t.Fatalf("load: %d, %v", n, err)
	}
	if again, err := repo.LoadDemoYear(context.Background(), y); err != nil || again != 0 {
		t.Fatalf("second load: %d, %v", again, err)
	}
	st, err := h.client.GetOutreachStatistics(h.As(t, "mayor"), &outreachv1.GetOutreachStatisticsRequest{
		StartDate: &date.Date{Year: 2017, Month: 1, Day: 1}, EndDate: &date.Date{Year: 2017, Month: 12, Day: 31}})
	if err != nil {
		t.Fatal(err)
	}
	if st.GetYearMeetingsHeld() < 950 || st.GetYearPeopleReached() < 22000 || st.GetMeetingsHeld() != st.GetYearMeetingsHeld() ||
		len(st.GetByMonth()) != 12 || len(st.GetByDistrict()) != 5 || len(st.GetBySpeaker()) != 3 || st.GetBySpeaker()[0].GetDisplayName() == "" {
		t.Fatalf("the 2017 year: held %d, people %d, months %d, districts %d, speakers %v",
			st.GetYearMeetingsHeld(), st.GetYearPeopleReached(), len(st.GetByMonth()), len(st.GetByDistrict()), st.GetBySpeaker())
	}
	plans, err := h.client.ListMeetingPlans(h.As(t, "mayor"), &outreachv1.ListMeetingPlansRequest{Filter: "year = 2017 AND state = APPROVED", PageSize: 5})
	if err != nil || len(plans.GetMeetingPlans()) != 5 || plans.GetNextPageToken() == "" || plans.GetMeetingPlans()[0].GetName() != "meetingPlans/2017-12" {
		t.Fatalf("plans of 2017: %v, %v", plans, err)
	}
	next, err := h.client.ListMeetingPlans(h.As(t, "mayor"), &outreachv1.ListMeetingPlansRequest{Filter: "year = 2017 AND state = APPROVED", PageSize: 10, PageToken: plans.GetNextPageToken()})
	if err != nil || len(next.GetMeetingPlans()) != 7 || next.GetNextPageToken() != "" {
		t.Fatalf("second page: %v, %v", next, err)
	}
}
