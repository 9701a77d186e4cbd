package outreach_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/adapters/postgres"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/app"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
)

// Residents read the schedule without signing in: approved and unscheduled meetings only,
// with public fields only; the calendar feeds are valid iCalendar with the right events.
func TestPublicScheduleAndCalendars(t *testing.T) {
	h := start(t)
	planName, at := h.nextMonth(8)
	approved := h.propose(t, "clerk.zhd", meeting(planName, at, "ZHD"))
	cancelled := h.propose(t, "clerk.zhd", meeting(planName, at.AddDate(0, 0, 1), "ZHD"))
	h.approve(t, planName)
	cancelled = h.get(t, cancelled.GetName())
	if _, err := h.client.CancelMeeting(h.As(t, "clerk.zhd"), &outreachv1.CancelMeetingRequest{Name: cancelled.GetName(), Etag: cancelled.GetEtag(), Reason: "Карантин"}); err != nil {
		t.Fatal(err)
	}
	draftPlan := "meetingPlans/" + at.AddDate(0, 1, 0).In(domain.CityZone).Format("2006-01")
	draft := h.propose(t, "clerk.zhd", meeting(draftPlan, at.AddDate(0, 1, 0), "ZHD"))
	unscheduledReq := meeting("", at.Add(-24*time.Hour), "IND")
	unscheduledReq.Speakers = []string{viceMayor, deputy}
	unscheduled := h.propose(t, "clerk.ind", unscheduledReq)

	anonymous := context.Background() // no token at all
	list, err := h.client.ListPublicMeetings(anonymous, &outreachv1.ListPublicMeetingsRequest{
		StartDate: &date.Date{Year: int32(at.Year()) - 1, Month: 1, Day: 1}, EndDate: &date.Date{Year: int32(at.Year()) + 1, Month: 12, Day: 31}})
	if err != nil {
		t.Fatalf("public schedule without a token: %v", err)
	}
	var names []string
	for _, m := range list.GetMeetings() {
		names = append(names, m.GetName())
	}
	want := []string{unscheduled.GetName(), approved.GetName(), cancelled.GetName()}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("public schedule = %v, want %v (the draft %s hidden)", names, want, draft.GetName())
	}
	if list.GetMeetings()[2].GetState() != outreachv1.MeetingState_MEETING_STATE_CANCELLED ||
		list.GetMeetings()[0].GetSpeakers()[1].GetFullName() != "Васильев Андрей Игоревич" ||
		list.GetMeetings()[1].GetDistrictDisplayName() != "Железнодорожный" {
		t.Fatalf("public meetings = %v", list.GetMeetings())
	}
	// As the gateway renders it: no internal field, even empty.
	raw, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Meetings []map[string]any `json:"meetings"`
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, m := range decoded.Meetings {
		for _, key := range []string{"organiser", "organiserName", "report", "questions", "plan", "planState", "etag",
			"department", "stateReason", "reportOverdue", "createTime", "updateTime"} {
			if _, ok := m[key]; ok {
				t.Errorf("public meeting shows %q: %v", key, m)
			}
		}
		if m["topic"] == "" || m["venue"] == "" || m["startTime"] == nil {
			t.Errorf("public meeting lacks its public fields: %v", m)
		}
	}
	// The default window starts today: yesterday's unscheduled meeting is gone.
	upcoming, err := h.client.ListPublicMeetings(anonymous, &outreachv1.ListPublicMeetingsRequest{District: "ZHD", PageSize: 1})
	if err != nil || len(upcoming.GetMeetings()) != 1 || upcoming.GetMeetings()[0].GetName() != approved.GetName() || upcoming.GetNextPageToken() == "" {
		t.Fatalf("upcoming in ZHD, page 1: %v, %v", upcoming, err)
	}
	page2, err := h.client.ListPublicMeetings(anonymous, &outreachv1.ListPublicMeetingsRequest{District: "ZHD", PageSize: 1, PageToken: upcoming.GetNextPageToken()})
	if err != nil || len(page2.GetMeetings()) != 1 || page2.GetMeetings()[0].GetName() != cancelled.GetName() {
		t.Fatalf("upcoming in ZHD, page 2: %v, %v", page2, err)
	}
	// Everything else still needs a token.
	_, err = h.client.ListMeetings(anonymous, &outreachv1.ListMeetingsRequest{})
	expect(t, err, codes.Unauthenticated, "")

	// The department's feed: two events, the cancelled one marked so; parsed by another library.
	var header metadata.MD
	body, err := h.client.GetDepartmentCalendar(anonymous, &outreachv1.GetDepartmentCalendarRequest{Department: "departments/KUR-ZHD"}, grpc.Header(&header))
	if err != nil {
		t.Fatalf("department calendar without a token: %v", err)
	}
	if body.GetContentType() != "text/calendar; charset=utf-8" || !strings.Contains(strings.Join(header.Get("content-disposition"), ""), ".ics") {
		t.Fatalf("content type %q, disposition %v", body.GetContentType(), header.Get("content-disposition"))
	}
	events := parseICS(t, body.GetData())
	if len(events) != 2 {
		t.Fatalf("KUR-ZHD feed has %d events, want 2 (the draft plan's meeting is not public)", len(events))
	}
	first := events[0]
	uid, _ := first.Props.Text(ical.PropUID)
	summary, _ := first.Props.Text(ical.PropSummary)
	location, _ := first.Props.Text(ical.PropLocation)
	description, _ := first.Props.Text(ical.PropDescription)
	startAt, errStart := first.DateTimeStart(time.UTC)
	endAt, errEnd := first.DateTimeEnd(time.UTC)
	if uid != idOf(approved.GetName())+"@outreach.cityhall.khv" || summary != "О подготовке к отопительному сезону" ||
		location != "МБОУ СОШ № 5, актовый зал" || !startAt.Equal(at) || !endAt.Equal(at.Add(90*time.Minute)) || errStart != nil || errEnd != nil ||
		!strings.Contains(description, "Васильев Андрей Игоревич") || strings.Contains(description, "clerk.zhd") {
		t.Fatalf("first event: uid %q summary %q location %q start %v (%v) end %v description %q", uid, summary, location, startAt, errStart, endAt, description)
	}
	if st, _ := events[1].Status(); st != ical.EventCancelled {
		t.Fatalf("cancelled meeting's status = %q", st)
	}

	// The speaker's feed has the unscheduled meeting (the vice-mayor speaks there only).
	body, err = h.client.GetSpeakerCalendar(anonymous, &outreachv1.GetSpeakerCalendarRequest{Speaker: viceMayor})
	if err != nil {
		t.Fatal(err)
	}
	if events = parseICS(t, body.GetData()); len(events) != 1 {
		t.Fatalf("vice-mayor's feed has %d events, want 1", len(events))
	}
	body, err = h.client.GetPublicCalendar(anonymous, &outreachv1.GetPublicCalendarRequest{})
	if err != nil || len(parseICS(t, body.GetData())) != 3 {
		t.Fatalf("public feed: %v", err)
	}
	_, err = h.client.GetDepartmentCalendar(anonymous, &outreachv1.GetDepartmentCalendarRequest{Department: "departments/NOPE"})
	expect(t, err, codes.NotFound, "NOT_FOUND")
}

// parseICS checks the RFC 5545 framing (CRLF line ends, lines folded at 75 octets) and
// parses the feed with github.com/emersion/go-ical, a different library than the one that wrote it.
func parseICS(t *testing.T, data []byte) []ical.Event {
	t.Helper()
	text := string(data)
	if !strings.HasSuffix(text, "\r\n") {
		t.Fatalf("the feed does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if strings.Contains(line, "\n") {
			t.Fatalf("line %d ends with a bare LF", i+1)
		}
		if len(line) > 75 {
			t.Fatalf("line %d is %d octets long (unfolded): %q", i+1, len(line), line)
		}
	}
	cal, err := ical.NewDecoder(strings.NewReader(text)).Decode()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	if v, _ := cal.Props.Text(ical.PropVersion); v != "2.0" {
		t.Fatalf("VERSION = %q", v)
	}
	return cal.Events()
}

// A meeting past its time without a report is reminded to its organiser once a city day,
// however many replicas run the job at once.
func TestReportReminderOncePerDay(t *testing.T) {
	h := start(t)
	planName, at := h.nextMonth(5)
	late := h.propose(t, "clerk.zhd", meeting(planName, at, "ZHD"))
	reported := h.propose(t, "clerk.zhd", meeting(planName, at.Add(time.Hour), "ZHD"))
	h.propose(t, "clerk.zhd", meeting(planName, at.AddDate(0, 0, 3), "ZHD")) // still ahead
	h.approve(t, planName)
	h.clock.AdvanceTo(at.Add(4 * time.Hour))
	reported = h.get(t, reported.GetName())
	if _, err := h.client.ReportMeeting(h.As(t, "clerk.zhd"), &outreachv1.ReportMeetingRequest{Name: reported.GetName(), Etag: reported.GetEtag(),
		Report: &outreachv1.MeetingReport{Attendance: proto.Int32(15)}}); err != nil {
		t.Fatal(err)
	}
	if m := h.get(t, late.GetName()); !m.GetReportOverdue() {
		t.Fatalf("late meeting not shown as overdue: %v", m)
	}

	// Two replicas of the job, several rounds at once.
	replicas := []*app.Service{app.New(postgres.New(h.Pool), h.clock.Now), app.New(postgres.New(h.Pool), h.clock.Now)}
	runAll := func() int {
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for i := range 6 {
			wg.Go(func() {
				n, err := replicas[i%2].RemindReports(context.Background())
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			})
		}
		wg.Wait()
		return total
	}
	if n := runAll(); n != 1 {
		t.Fatalf("first day: %d reminders, want 1", n)
	}
	if n := runAll(); n != 0 {
		t.Fatalf("the same day again: %d reminders, want 0", n)
	}
	due := outreachEvents(t, h, "meeting_report_due", func() *outreachv1.MeetingReportDue { return &outreachv1.MeetingReportDue{} })
	if len(due) != 1 || due[0].GetMeeting() != late.GetName() || due[0].GetOrganiser() != "clerk.zhd" ||
		due[0].GetDepartment() != "KUR-ZHD" || due[0].GetReminderDay() != domain.CityDay(h.clock.Now()) {
		t.Fatalf("MeetingReportDue = %v", due)
	}
	h.clock.AdvanceTo(h.clock.Now().Add(24 * time.Hour))
	if n := runAll(); n != 1 {
		t.Fatalf("next day: %d reminders, want 1", n)
	}
	if n := len(outreachEvents(t, h, "meeting_report_due", func() *outreachv1.MeetingReportDue { return &outreachv1.MeetingReportDue{} })); n != 2 {
		t.Fatalf("%d reminders published over two days, want 2", n)
	}
}

// Statistics count meetings held and people reached by month, district, department and
// speaker, with the year's totals.
func TestStatistics(t *testing.T) {
	h := start(t)
	planName, at := h.nextMonth(6)
	hold := func(login string, m *outreachv1.Meeting, attendance int32, questions int) {
		t.Helper()
		m = h.get(t, m.GetName())
		r := &outreachv1.MeetingReport{Attendance: proto.Int32(attendance)}
		for range questions {
			r.Questions = append(r.Questions, &outreachv1.Question{Text: "Вопрос", ClassifierCode: "0003.0009.0097.0699",
				Resolution: outreachv1.QuestionResolution_QUESTION_RESOLUTION_FOLLOW_UP, Department: "UDVB"})
		}
		if _, err := h.client.ReportMeeting(h.As(t, login), &outreachv1.ReportMeetingRequest{Name: m.GetName(), Etag: m.GetEtag(), Report: r}); err != nil {
			t.Fatal(err)
		}
	}
	a := h.propose(t, "clerk.zhd", meeting(planName, at, "ZHD"))
	b := h.propose(t, "clerk.zhd", meeting(planName, at.Add(2*time.Hour), "ZHD"))
	indReq := meeting(planName, at.Add(4*time.Hour), "IND")
	indReq.Speakers = []string{viceMayor, deputy}
	c := h.propose(t, "clerk.ind", indReq)
	h.propose(t, "clerk.ind", meeting(planName, at.AddDate(0, 0, 1), "IND")) // not held yet
	h.approve(t, planName)
	h.clock.AdvanceTo(at.Add(8 * time.Hour))
	hold("clerk.zhd", a, 30, 2)
	hold("clerk.zhd", b, 20, 0)
	hold("clerk.ind", c, 55, 1)

	day := func(t time.Time) *date.Date {
		t = t.In(domain.CityZone)
		return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
	}
	st, err := h.client.GetOutreachStatistics(h.As(t, "mayor"), &outreachv1.GetOutreachStatisticsRequest{StartDate: day(at), EndDate: day(at.AddDate(0, 0, 1))})
	if err != nil {
		t.Fatal(err)
	}
	if st.GetMeetingsHeld() != 3 || st.GetPeopleReached() != 105 || st.GetMeetingsPlanned() != 4 || st.GetQuestions() != 3 ||
		st.GetQuestionsReferred() != 3 || st.GetYearMeetingsHeld() != 3 || st.GetYearPeopleReached() != 105 || st.GetYear() != int32(at.In(domain.CityZone).Year()) {
		t.Fatalf("totals = %v", st)
	}
	rows := func(rs []*outreachv1.OutreachStatisticsRow) map[string][2]int32 {
		out := map[string][2]int32{}
		for _, r := range rs {
			out[r.GetKey()] = [2]int32{r.GetMeetingsHeld(), r.GetPeopleReached()}
		}
		return out
	}
	if d := rows(st.GetByDistrict()); d["ZHD"] != [2]int32{2, 50} || d["IND"] != [2]int32{1, 55} {
		t.Fatalf("by district = %v", st.GetByDistrict())
	}
	if d := rows(st.GetByDepartment()); d["KUR-ZHD"] != [2]int32{2, 50} || d["KUR-IND"] != [2]int32{1, 55} {
		t.Fatalf("by department = %v", st.GetByDepartment())
	}
	if s := rows(st.GetBySpeaker()); s[deputy] != [2]int32{3, 105} || s[viceMayor] != [2]int32{1, 55} || st.GetBySpeaker()[0].GetDisplayName() == "" {
		t.Fatalf("by speaker = %v", st.GetBySpeaker())
	}
	if len(st.GetByMonth()) != 1 || st.GetByMonth()[0].GetMeetingsHeld() != 3 {
		t.Fatalf("by month = %v", st.GetByMonth())
	}
	only, err := h.client.GetOutreachStatistics(h.As(t, "mayor"), &outreachv1.GetOutreachStatisticsRequest{StartDate: day(at), EndDate: day(at), Departments: []string{"KUR-IND"}})
	if err != nil || only.GetMeetingsHeld() != 1 || only.GetPeopleReached() != 55 {
		t.Fatalf("KUR-IND only: %v, %v", only, err)
	}
	_, err = h.client.GetOutreachStatistics(h.As(t, "mayor"), &outreachv1.GetOutreachStatisticsRequest{StartDate: day(at), EndDate: day(at.AddDate(0, 0, -1))})
	expect(t, err, codes.InvalidArgument, "INVALID_PERIOD")
}
