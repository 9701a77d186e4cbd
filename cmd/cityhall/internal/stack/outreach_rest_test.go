package stack_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cityhall-khv/cityhall/cmd/cityhall/internal/demo"
)

// The whole flow through the real stack over REST: a department plans a month, the
// vice-mayor approves it, the meeting is held and reported, its follow-up question becomes
// exactly one appeal (outreach → appeals), and the appeal's answer shows on the question
// (appeals → outreach). The public schedule and the calendar feed need no sign-in.
func TestOutreachMeetingToAppealAndBack(t *testing.T) {
	s := start(t)
	officials := s.do("GET", "/v1/officials?filter="+urlq("active = true"), "admin", nil)
	list, _ := officials.Body["officials"].([]any)
	if officials.Status != 200 || len(list) == 0 {
		t.Fatalf("officials: %d %s", officials.Status, officials.Raw)
	}
	speaker := list[0].(map[string]any)["name"].(string)

	// The meeting took place two hours ago, in this month's plan (city time).
	city, _ := time.LoadLocation("Asia/Vladivostok")
	at := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	plan := "meetingPlans/" + at.In(city).Format("2006-01")
	body := fmt.Sprintf(`{"plan":%q,"topic":"О капитальном ремонте домов","speakers":[%q],"audience":"жители микрорайона",
		"district":"ZHD","venue":"Актовый зал школы № 16","startTime":%q}`, plan, speaker, at.Format(time.RFC3339))
	var m response
	waitFor(t, func() bool { // outreach's directory copy fills shortly after start
		m = s.do("POST", "/v1/meetings", "clerk.zhd", []byte(body))
		return m.Status == 200
	}, "a clerk proposes a meeting")
	name := m.Body["name"].(string)
	if m.Body["department"] != "KUR-ZHD" || m.Body["planState"] != "MEETING_PLAN_STATE_DRAFT" {
		t.Fatalf("proposed: %s", m.Raw)
	}

	p := s.do("GET", "/v1/"+plan, "head.zhd", nil)
	p = s.do("POST", "/v1/"+plan+":submit", "head.zhd", fmt.Appendf(nil, `{"etag":%q}`, p.Body["etag"]))
	if p.Status != 200 || p.Body["state"] != "MEETING_PLAN_STATE_SUBMITTED" {
		t.Fatalf("submit: %d %s", p.Status, p.Raw)
	}
	if r := s.do("POST", "/v1/"+plan+":approve", "head.zhd", fmt.Appendf(nil, `{"etag":%q}`, p.Body["etag"])); r.Status != 403 {
		t.Fatalf("a head approved: %d %s", r.Status, r.Raw)
	}
	p = s.do("POST", "/v1/"+plan+":approve", "vicemayor", fmt.Appendf(nil, `{"etag":%q}`, p.Body["etag"]))
	if p.Status != 200 || p.Body["state"] != "MEETING_PLAN_STATE_APPROVED" || p.Body["revision"] != float64(1) {
		t.Fatalf("approve: %d %s", p.Status, p.Raw)
	}

	// Residents: no token, public fields only.
	from := at.In(city).Format("2006-01-02")
	pub := s.do("GET", "/v1/publicMeetings?startDate.year="+from[:4]+"&startDate.month="+strings.TrimLeft(from[5:7], "0")+"&startDate.day="+strings.TrimLeft(from[8:], "0"), "", nil)
	meetings, _ := pub.Body["meetings"].([]any)
	if pub.Status != 200 || len(meetings) != 1 {
		t.Fatalf("public schedule without a token: %d %s", pub.Status, pub.Raw)
	}
	for _, key := range []string{"organiser", "organiserName", "report", "plan", "planState", "etag", "department"} {
		if _, ok := meetings[0].(map[string]any)[key]; ok {
			t.Fatalf("the public schedule shows %q: %s", key, pub.Raw)
		}
	}
	resp, err := http.Get(s.URL + "/v1/departments/KUR-ZHD/meetings.ics")
	if err != nil {
		t.Fatal(err)
	}
	ics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
		!strings.HasPrefix(string(ics), "BEGIN:VCALENDAR\r\n") || !strings.Contains(string(ics), "UID:"+strings.TrimPrefix(name, "meetings/")+"@") {
		t.Fatalf("department feed: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), ics)
	}
	if r := s.do("GET", "/v1/meetings", "", nil); r.Status != 401 {
		t.Fatalf("the internal list without a token: %d", r.Status)
	}

	// The closing report: attendance is required (400 naming it), then filed; a retry is absorbed.
	m = s.do("GET", "/v1/"+name, "clerk.zhd", nil)
	bad := s.do("POST", "/v1/"+name+":report", "clerk.zhd", fmt.Appendf(nil, `{"etag":%q,"report":{"summary":"без числа"}}`, m.Body["etag"]))
	if bad.Status != 400 || !strings.Contains(string(bad.Raw), `"field":"report.attendance"`) {
		t.Fatalf("report without attendance: %d %s", bad.Status, bad.Raw)
	}
	report := fmt.Appendf(nil, `{"etag":%q,"requestId":%q,"report":{"attendance":37,"questions":[
		{"text":"Когда отремонтируют кровлю дома 12?","classifierCode":"0005.0005.0056.1168","resolution":"QUESTION_RESOLUTION_FOLLOW_UP"},
		{"text":"Когда включат отопление?","classifierCode":"0005.0005.0056.1156","resolution":"QUESTION_RESOLUTION_ANSWERED","answer":"С 15 сентября"}]}}`,
		m.Body["etag"], uuid.NewString())
	held := s.do("POST", "/v1/"+name+":report", "clerk.zhd", report)
	if held.Status != 200 || held.Body["state"] != "MEETING_STATE_HELD" {
		t.Fatalf("report: %d %s", held.Status, held.Raw)
	}
	if again := s.do("POST", "/v1/"+name+":report", "clerk.zhd", report); again.Status != 200 || again.Body["etag"] != held.Body["etag"] {
		t.Fatalf("retried report: %d %s", again.Status, again.Raw)
	}
	question := held.Body["report"].(map[string]any)["questions"].([]any)[0].(map[string]any)["name"].(string)

	// Outreach → appeals: exactly one appeal with the question as its source.
	var appeal map[string]any
	waitFor(t, func() bool {
		r := s.do("GET", "/v1/appeals?filter="+urlq(fmt.Sprintf("source = %q", question)), "clerk.zhd", nil)
		list, _ := r.Body["appeals"].([]any)
		if len(list) > 1 {
			t.Fatalf("%d appeals for one question: %s", len(list), r.Raw)
		}
		if len(list) == 1 {
			appeal = list[0].(map[string]any)
		}
		return appeal != nil
	}, "the follow-up question becomes an appeal")
	if appeal["channel"] != "CHANNEL_OUTREACH_MEETING" || appeal["department"] != "KUR-ZHD" {
		t.Fatalf("appeal: %v", appeal)
	}
	waitFor(t, func() bool {
		q := s.do("GET", "/v1/"+question, "clerk.oog", nil)
		return q.Body["state"] == "QUESTION_STATE_APPEAL_REGISTERED" && q.Body["appeal"] == appeal["name"] &&
			q.Body["appealRegistrationNumber"] == appeal["registrationNumber"]
	}, "the question shows its appeal")

	// Appeals answers it; the answer's date and result come back to the question.
	aname := appeal["name"].(string)
	step := func(method, extra string, etag any) response {
		return s.do("POST", "/v1/"+aname+":"+method, "clerk.zhd", fmt.Appendf(nil, `{"etag":%q%s}`, etag, extra))
	}
	r := step("assign", `,"executor":"clerk.zhd"`, appeal["etag"])
	r = step("start", "", r.Body["etag"])
	r = step("answer", `,"text":"Ремонт кровли включён в план на май","result":"ANSWER_RESULT_SUPPORTED","signer":"Попов Д. С."`, r.Body["etag"])
	if r.Status != 200 || r.Body["state"] != "APPEAL_STATE_ANSWERED" {
		t.Fatalf("answer: %d %s", r.Status, r.Raw)
	}
	waitFor(t, func() bool {
		m := s.do("GET", "/v1/"+name, "clerk.zhd", nil)
		q := m.Body["report"].(map[string]any)["questions"].([]any)[0].(map[string]any)
		return q["state"] == "QUESTION_STATE_APPEAL_ANSWERED" && q["appealAnswerResult"] == "ANSWER_RESULT_SUPPORTED" && q["appealAnswerTime"] != nil
	}, "the meeting shows the answer to its question")
	if again := s.do("GET", "/v1/appeals?filter="+urlq(fmt.Sprintf("source = %q", question)), "admin", nil); len(again.Body["appeals"].([]any)) != 1 {
		t.Fatalf("appeals for the question after all: %s", again.Raw)
	}

	st := s.do("GET", "/v1/meetings:statistics?startDate.year="+from[:4]+"&startDate.month=1&startDate.day=1&endDate.year="+from[:4]+"&endDate.month=12&endDate.day=31", "mayor", nil)
	if st.Status != 200 || st.Body["meetingsHeld"] != float64(1) || st.Body["peopleReached"] != float64(37) || st.Body["yearPeopleReached"] != float64(37) {
		t.Fatalf("statistics: %d %s", st.Status, st.Raw)
	}
}

// The demo meetings load once, through the API, with three monthly plans.
func TestOutreachDemoLoadsOnce(t *testing.T) {
	s := start(t)
	officials := s.do("GET", "/v1/officials?filter="+urlq("active = true"), "admin", nil)
	var speakers []string
	for _, o := range officials.Body["officials"].([]any) {
		speakers = append(speakers, o.(map[string]any)["name"].(string))
	}
	conn, err := grpc.NewClient(s.GRPC["outreach"], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	now := time.Now()
	n, err := demo.LoadOutreach(context.Background(), conn, s.Issuer.Mint, demo.SortedSpeakers(speakers), now)
	if err != nil || n < 50 {
		t.Fatalf("first load: %d, %v", n, err)
	}
	if again, err := demo.LoadOutreach(context.Background(), conn, s.Issuer.Mint, demo.SortedSpeakers(speakers), now); err != nil || again != 0 {
		t.Fatalf("second load: %d, %v", again, err)
	}
	plans := s.do("GET", "/v1/meetingPlans", "mayor", nil)
	if list, _ := plans.Body["meetingPlans"].([]any); len(list) != 3 {
		t.Fatalf("plans: %s", plans.Raw)
	}
	lastMonth := now.AddDate(0, -1, -now.Day()+1)
	pub := s.do("GET", fmt.Sprintf("/v1/publicMeetings?startDate.year=%d&startDate.month=%d&startDate.day=1", lastMonth.Year(), lastMonth.Month()), "", nil)
	if list, _ := pub.Body["meetings"].([]any); pub.Status != 200 || len(list) == 0 {
		t.Fatalf("public schedule after the demo: %d %s", pub.Status, pub.Raw)
	}
}
