package appeals_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// The durable consumer of outreach's QuestionReferred (services/appeals/internal/service).
const questionsConsumer = "appeals-outreach-questions"

// referred is a follow-up question of a meeting held two hours ago, as outreach publishes it.
func referred(department string) *outreachv1.QuestionReferred {
	meeting := "meetings/" + uuid.NewString()
	return &outreachv1.QuestionReferred{
		Question: meeting + "/questions/" + uuid.NewString(), Meeting: meeting, Department: department, District: "ZHD",
		ClassifierCode: "0005.0005.0056.1149",
		RaiseTime:      timestamppb.New(time.Now().Add(-2 * time.Hour).Truncate(time.Minute)),
	}
}

// publishQuestion publishes e on the OUTREACH stream under eventID, as outreach's relay would,
// and waits until the appeals consumer has acknowledged it. A repeated event id inside the
// stream's duplicate window is dropped by JetStream itself; the test shortens the window and
// republishes until the broker stores it, so that the consumer's inbox is what drops it.
func (h *harness) publishQuestion(t *testing.T, eventID string, e *outreachv1.QuestionReferred) {
	t.Helper()
	ctx := context.Background()
	conn := h.NATS.Connect(t)
	data, err := proto.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var ack *jetstream.PubAck
	for range 200 {
		msg := nats.NewMsg(natsx.Subject("outreach", "question_referred"))
		msg.Data = data
		msg.Header.Set(nats.MsgIdHdr, eventID)
		if ack, err = conn.JS.PublishMsg(ctx, msg); err != nil {
			t.Fatal(err)
		}
		if !ack.Duplicate {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if ack.Duplicate {
		t.Fatalf("event %s still a duplicate for JetStream", eventID)
	}
	cons, err := conn.JS.Consumer(ctx, "OUTREACH", questionsConsumer)
	waitUntil(t, "the question consumed", func() bool {
		if err != nil {
			cons, err = conn.JS.Consumer(ctx, "OUTREACH", questionsConsumer)
			return false
		}
		info, ierr := cons.Info(ctx)
		return ierr == nil && info.AckFloor.Stream >= ack.Sequence
	})
}

// shortenDuplicateWindow lets the test store an event id again soon (see publishQuestion).
func (h *harness) shortenDuplicateWindow(t *testing.T) {
	t.Helper()
	cfg := natsx.StreamFor("outreach")
	cfg.Duplicates = 200 * time.Millisecond
	if _, err := h.NATS.Connect(t).JS.UpdateStream(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
}

// bySource lists the appeals of a source as login.
func (h *harness) bySource(t *testing.T, login, source string) []*appealsv1.Appeal {
	t.Helper()
	resp := must[*appealsv1.ListAppealsResponse](t)(h.client.ListAppeals(h.as(t, login),
		&appealsv1.ListAppealsRequest{Filter: `source = "` + source + `"`, PageSize: 10}))
	return resp.GetAppeals()
}

func (h *harness) historyEntries(t *testing.T, a *appealsv1.Appeal) []*appealsv1.AppealHistoryEntry {
	t.Helper()
	return must[*appealsv1.ListAppealHistoryResponse](t)(h.client.ListAppealHistory(h.as(t, "admin"),
		&appealsv1.ListAppealHistoryRequest{Parent: a.GetName(), PageSize: 100})).GetEntries()
}

func TestMeetingQuestionBecomesOneAppealAndItsAnswerCarriesTheSource(t *testing.T) {
	t.Parallel()
	h := start(t)
	h.shortenDuplicateWindow(t)
	q := referred("KUR-ZHD")
	first := uuid.NewString()
	h.publishQuestion(t, first, q)

	list := h.bySource(t, "clerk.zhd", q.GetQuestion())
	if len(list) != 1 {
		t.Fatalf("%d appeals of the question, want 1", len(list))
	}
	a := list[0]
	if a.GetChannel() != appealsv1.Channel_CHANNEL_OUTREACH_MEETING || a.GetSource() != q.GetQuestion() ||
		a.GetDepartment() != "KUR-ZHD" || a.GetDepartmentDisplayName() == "" || a.GetDistrict() != "ZHD" ||
		!slices.Equal(a.GetClassifierCodes(), []string{"0005.0005.0056.1149"}) ||
		!a.GetReceiveTime().AsTime().Equal(q.GetRaiseTime().AsTime()) ||
		a.GetState() != appealsv1.AppealState_APPEAL_STATE_REGISTERED || a.GetAnonymous() {
		t.Fatalf("registered %v", a)
	}
	held := q.GetRaiseTime().AsTime().In(time.FixedZone("Хабаровск", 10*3600)).Format("02.01.2006 в 15:04")
	for _, want := range []string{"Вопрос жителей", "информационной встрече", held,
		"«Оплата жилищно-коммунальных услуг (ЖКХ), взносов в Фонд капитального ремонта»", "в карточке встречи", q.GetQuestion()} {
		if !strings.Contains(a.GetText(), want) {
			t.Errorf("text %q lacks %q", a.GetText(), want)
		}
	}
	if entries := h.historyEntries(t, a); len(entries) != 1 || entries[0].GetActor() != "outreach" || entries[0].GetAction() != "registered" {
		t.Errorf("history %v", entries)
	}
	// Integrators find it by channel too; no applicant record exists for it.
	byChannel := must[*appealsv1.ListAppealsResponse](t)(h.client.ListAppeals(h.as(t, "integrator"),
		&appealsv1.ListAppealsRequest{Filter: "channel = OUTREACH_MEETING", PageSize: 10}))
	if len(byChannel.GetAppeals()) != 1 || byChannel.GetAppeals()[0].GetName() != a.GetName() {
		t.Errorf("channel filter: %v", byChannel.GetAppeals())
	}
	_, err := h.client.GetApplicant(h.as(t, "clerk.zhd"), &appealsv1.GetApplicantRequest{Name: a.GetName() + "/applicant", Purpose: "ответ"})
	expect(t, err, codes.NotFound, "NOT_FOUND")

	// The same event redelivered or republished, and the same question under a new event id.
	h.publishQuestion(t, first, q)
	h.publishQuestion(t, uuid.NewString(), q)
	if n := h.count(t); n != 1 {
		t.Fatalf("%d appeals after the repeats, want 1", n)
	}
	if n := h.Count(t, "SELECT count(*) FROM inbox WHERE consumer = $1", questionsConsumer); n != 2 {
		t.Errorf("%d events in the inbox, want the 2 distinct ids", n)
	}

	// Answered on substance: the answer goes back to the meeting.
	a = h.assignAndStart(t, a)
	a = must[*appealsv1.Appeal](t)(h.client.AnswerAppeal(h.as(t, "clerk.zhd"), answerReq(a)))
	if a.GetState() != appealsv1.AppealState_APPEAL_STATE_ANSWERED {
		t.Fatalf("answered: %v", a.GetState())
	}
	var registered, answered int
	for _, e := range h.events(t) {
		switch {
		case strings.HasSuffix(e.Subject, "appeal_registered"):
			r := decode(t, e.Data, &appealsv1.AppealRegistered{})
			if r.GetAppeal() == a.GetName() {
				registered++
				if r.GetSource() != q.GetQuestion() || r.GetChannel() != appealsv1.Channel_CHANNEL_OUTREACH_MEETING {
					t.Errorf("AppealRegistered %v", r)
				}
			}
		case strings.HasSuffix(e.Subject, "appeal_answered"):
			r := decode(t, e.Data, &appealsv1.AppealAnswered{})
			if r.GetAppeal() == a.GetName() {
				answered++
				if r.GetSource() != q.GetQuestion() || r.GetAnswerTime() == nil {
					t.Errorf("AppealAnswered %v", r)
				}
			}
		}
		// Ids and codes only: neither the appeal's text nor the answer travels.
		for _, text := range []string{"Вопрос жителей", "карточке встречи", answerReq(a).GetText()} {
			if bytes.Contains(e.Data, []byte(text)) {
				t.Errorf("%s carries text %q", e.Subject, text)
			}
		}
	}
	if registered != 1 || answered != 1 {
		t.Errorf("%d AppealRegistered and %d AppealAnswered for the appeal, want 1 and 1", registered, answered)
	}
}

// A department the directory copy does not know, or has deactivated, cannot take the question:
// the citizens' appeals department (OOG) gets it, and the history says why. A question a clerk
// already registered by hand is not registered again.
func TestMeetingQuestionOfADepartmentThatCannotTakeItGoesToCitizensAppeals(t *testing.T) {
	t.Parallel()
	h := start(t)
	conn := h.NATS.Connect(t)
	ut := directorytest.Departments[slices.IndexFunc(directorytest.Departments, func(d directory.Department) bool { return d.Code == "UT" })]
	ut.Active = false
	directorytest.PublishDepartment(t, conn, ut, 2)
	waitUntil(t, "UT deactivated in the copy", func() bool {
		d, known, err := directory.LookupDepartment(context.Background(), h.Pool, "UT")
		return err == nil && known && !d.Active
	})

	for dept, why := range map[string]string{"NO-SUCH": "is not in the organisation directory", "UT": "is deactivated", "": "named no department"} {
		q := referred(dept)
		h.publishQuestion(t, uuid.NewString(), q)
		list := h.bySource(t, "clerk.oog", q.GetQuestion())
		if len(list) != 1 || list[0].GetDepartment() != "OOG" {
			t.Fatalf("department %q: %v", dept, list)
		}
		entries := h.historyEntries(t, list[0])
		if len(entries) != 1 || !strings.Contains(entries[0].GetNote(), why) || !strings.Contains(entries[0].GetNote(), "OOG") {
			t.Errorf("department %q: history %v", dept, entries)
		}
		// The citizens' appeals clerks route it to whoever is to answer.
		a := must[*appealsv1.Appeal](t)(h.client.AssignAppeal(h.as(t, "clerk.oog"), &appealsv1.AssignAppealRequest{
			Name: list[0].GetName(), Etag: list[0].GetEtag(), Department: "KUR-ZHD"}))
		if a.GetDepartment() != "KUR-ZHD" {
			t.Errorf("routed to %s", a.GetDepartment())
		}
	}

	// A clerk registered the question by hand first: the event finds it and adds nothing; a
	// second registration by hand is refused.
	q := referred("KUR-ZHD")
	byHand := func() (*appealsv1.Appeal, error) {
		return h.client.CreateAppeal(h.as(t, "clerk.zhd"), &appealsv1.CreateAppealRequest{Appeal: &appealsv1.Appeal{
			Channel: appealsv1.Channel_CHANNEL_OUTREACH_MEETING, Text: "Когда отремонтируют крышу дома?",
			ClassifierCodes: []string{"0005.0005.0056.1149"}, District: "ZHD", Source: q.GetQuestion()}})
	}
	a := must[*appealsv1.Appeal](t)(byHand())
	if a.GetAnonymous() {
		t.Error("a meeting question registered by hand without an applicant is not anonymous")
	}
	_, err := byHand()
	expect(t, err, codes.AlreadyExists, "SOURCE_ALREADY_REGISTERED")
	before := h.count(t)
	h.publishQuestion(t, uuid.NewString(), q)
	if n := h.count(t); n != before {
		t.Fatalf("%d appeals, want %d", n, before)
	}
	if list := h.bySource(t, "clerk.zhd", q.GetQuestion()); len(list) != 1 || list[0].GetName() != a.GetName() {
		t.Fatalf("appeals of the question: %v", list)
	}
}
