package outreach_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/domain"
	"github.com/cityhall-khv/cityhall/services/outreach/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/svc/svctest"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// Speakers of the tests: the directory's demo officials.
var (
	viceMayor = "officials/" + directorytest.Officials[1].ID
	deputy    = "officials/" + directorytest.Officials[2].ID
)

// harness is one outreach service with its directory copy filled as planning would fill it
// and a clock the test moves. The reminder job runs at start only; tests run it themselves.
type harness struct {
	*svctest.Service
	client outreachv1.OutreachServiceClient
	clock  *testkit.Clock
}

func start(t *testing.T) *harness {
	t.Helper()
	clk := &testkit.Clock{}
	spec := service.NewSpec(service.Options{Now: clk.Now, Settings: service.Settings{ReminderInterval: time.Hour}})
	s := svctest.StartService(t, spec, func(ns *testkit.NATSServer) {
		conn := ns.Connect(t)
		directorytest.SeedDirectory(t, conn)
		directorytest.SeedOfficials(t, conn)
	})
	for _, d := range directorytest.Departments {
		directorytest.WaitDepartment(t, s.Pool, d.Code, d.Name)
	}
	testkit.Eventually(t, 10*time.Second, func() bool {
		return s.Count(t, "SELECT count(*) FROM directory_officials") == len(directorytest.Officials)
	})
	return &harness{Service: s, client: outreachv1.NewOutreachServiceClient(s.Conn), clock: clk}
}

// nextMonth is the plan of the month after the clock's, and a day in it at 15:00 city time.
func (h *harness) nextMonth(day int) (plan string, at time.Time) {
	now := h.clock.Now().In(domain.CityZone)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.CityZone).AddDate(0, 1, 0)
	return "meetingPlans/" + first.Format("2006-01"), first.AddDate(0, 0, day-1).Add(15 * time.Hour)
}

func meeting(plan string, at time.Time, district string) *outreachv1.Meeting {
	return &outreachv1.Meeting{
		Plan: plan, Topic: "О подготовке к отопительному сезону", Speakers: []string{deputy},
		Audience: "жители микрорайона", District: district, Venue: "МБОУ СОШ № 5, актовый зал",
		StartTime: timestamppb.New(at), EndTime: timestamppb.New(at.Add(90 * time.Minute)),
	}
}

func (h *harness) propose(t *testing.T, login string, m *outreachv1.Meeting) *outreachv1.Meeting {
	t.Helper()
	out, err := h.client.CreateMeeting(h.As(t, login), &outreachv1.CreateMeetingRequest{Meeting: m})
	if err != nil {
		t.Fatalf("propose as %s: %v", login, err)
	}
	return out
}

func (h *harness) plan(t *testing.T, name string) *outreachv1.MeetingPlan {
	t.Helper()
	p, err := h.client.GetMeetingPlan(h.As(t, "admin"), &outreachv1.GetMeetingPlanRequest{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (h *harness) get(t *testing.T, name string) *outreachv1.Meeting {
	t.Helper()
	m, err := h.client.GetMeeting(h.As(t, "admin"), &outreachv1.GetMeetingRequest{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// approve submits (as head.zhd) and approves (as the vice-mayor) plan name.
func (h *harness) approve(t *testing.T, name string) *outreachv1.MeetingPlan {
	t.Helper()
	p, err := h.client.SubmitMeetingPlan(h.As(t, "head.zhd"), &outreachv1.SubmitMeetingPlanRequest{Name: name, Etag: h.plan(t, name).GetEtag()})
	if err != nil {
		t.Fatal(err)
	}
	p, err = h.client.ApproveMeetingPlan(h.As(t, "vicemayor"), &outreachv1.ApproveMeetingPlanRequest{Name: name, Etag: p.GetEtag()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// expect fails unless err has the code and the ErrorInfo reason.
func expect(t *testing.T, err error, code codes.Code, reason string) {
	t.Helper()
	if status.Code(err) != code || testkit.Reason(err) != reason {
		t.Fatalf("want %v %s, got %v (reason %q)", code, reason, err, testkit.Reason(err))
	}
}

// events reads every message published on stream so far (after the outbox drained).
func (h *harness) events(t *testing.T, stream string) []*jetstream.RawStreamMsg {
	t.Helper()
	h.WaitPublished(t)
	return testkit.StoredMsgs(t, h.NATS.Connect(t).JS, stream)
}

// outreachEvents decodes the OUTREACH events named event (e.g. "question_referred") into new(M).
func outreachEvents[M proto.Message](t *testing.T, h *harness, name string, newM func() M) []M {
	t.Helper()
	var out []M
	for _, e := range h.events(t, "OUTREACH") {
		if e.Subject != natsx.Subject("outreach", name) {
			continue
		}
		m := newM()
		if err := proto.Unmarshal(e.Data, m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// publishAppeals publishes an appeals event as the appeals service would, under a new event id.
func (h *harness) publishAppeals(t *testing.T, name string, m proto.Message) {
	t.Helper()
	conn := h.NATS.Connect(t)
	data, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	msg := nats.NewMsg(natsx.Subject("appeals", name))
	msg.Data = data
	msg.Header.Set(nats.MsgIdHdr, uuid.NewString())
	if _, err := conn.JS.PublishMsg(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
}

// waitConsumed waits until the outreach-appeals consumer has handled everything on APPEALS.
func (h *harness) waitConsumed(t *testing.T) {
	t.Helper()
	conn := h.NATS.Connect(t)
	testkit.Eventually(t, 20*time.Second, func() bool {
		c, err := conn.JS.Consumer(context.Background(), "APPEALS", "outreach-appeals")
		if err != nil {
			return false
		}
		info, err := c.Info(context.Background())
		return err == nil && info.NumPending == 0 && info.NumAckPending == 0 && info.AckFloor.Stream == info.Delivered.Stream
	})
}

func idOf(name string) string { return name[strings.LastIndex(name, "/")+1:] }
