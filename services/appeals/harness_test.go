package appeals_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/services/appeals/internal/service"
	"github.com/cityhall-khv/cityhall/services/platform/directory"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/svc/svctest"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

const oneDay = 24 * time.Hour

// harness is one appeals service with its directory copy filled as planning would fill it,
// a clock the test moves, and the jobs running every 50 ms.
type harness struct {
	*svctest.Service
	client appealsv1.AppealServiceClient
	clock  *testkit.Clock
}

// curatorOfficial is the id the dev issuer's "curator" account names (planning's seed gives
// the demo official this id); in these tests it curates KUR-ZHD and UDVB.
const curatorOfficial = "4e064058-f01e-5cb7-acc2-82a71eb6a2d4"

func start(t *testing.T) *harness { return startWith(t, service.Settings{}) }

func startWith(t *testing.T, settings service.Settings) *harness {
	t.Helper()
	clk := &testkit.Clock{}
	if settings.DeadlineInterval == 0 {
		settings.DeadlineInterval = 50 * time.Millisecond
	}
	if settings.RetentionInterval == 0 {
		settings.RetentionInterval = 50 * time.Millisecond
	}
	if settings.NumberingInterval == 0 {
		settings.NumberingInterval = 50 * time.Millisecond
	}
	spec := service.NewSpec(service.Options{Now: clk.Now, Settings: settings})
	s := svctest.StartService(t, spec, func(ns *testkit.NATSServer) {
		conn := ns.Connect(t)
		directorytest.SeedDirectory(t, conn)
		publishOfficial(t, conn, curatorOfficial, "Васильев Андрей Игоревич", []string{"KUR-ZHD", "UDVB"})
	})
	for _, d := range directorytest.Departments {
		directorytest.WaitDepartment(t, s.Pool, d.Code, d.Name)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Count(t, "SELECT count(*) FROM directory_officials") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the official did not reach the directory copy")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return &harness{Service: s, client: appealsv1.NewAppealServiceClient(s.Conn), clock: clk}
}

// publishOfficial publishes an OfficialChanged event as planning would.
func publishOfficial(t *testing.T, conn *natsx.Conn, id, name string, curated []string) {
	t.Helper()
	ctx := context.Background()
	if err := conn.EnsureStream(ctx, directory.Stream()); err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(&planningv1.OfficialChanged{Version: 1, Official: &planningv1.Official{
		Name: "officials/" + id, FullName: name, Position: "Заместитель мэра", CuratedDepartments: curated, Active: true,
	}})
	if err != nil {
		t.Fatal(err)
	}
	msg := nats.NewMsg(directory.OfficialSubject(id))
	msg.Data = data
	msg.Header.Set(nats.MsgIdHdr, uuid.NewString())
	if _, err := conn.JS.PublishMsg(ctx, msg); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) as(t *testing.T, login string) context.Context { return h.As(t, login) }

func (h *harness) count(t *testing.T) int { return h.Count(t, "SELECT count(*) FROM appeals") }

// register registers an appeal as login: newAppeal and applicant() unless edit changes them.
func (h *harness) register(t *testing.T, login string, edit func(*appealsv1.CreateAppealRequest)) *appealsv1.Appeal {
	t.Helper()
	req := &appealsv1.CreateAppealRequest{Appeal: newAppeal(), Applicant: applicant()}
	if login != "clerk.zhd" && login != "head.zhd" {
		req.Appeal.Department = "KUR-ZHD"
	}
	if edit != nil {
		edit(req)
	}
	a, err := h.client.CreateAppeal(h.as(t, login), req)
	if err != nil {
		t.Fatalf("register as %s: %v", login, err)
	}
	return a
}

// get reads the appeal again (as the admin: every appeal, no personal data).
func (h *harness) get(t *testing.T, a *appealsv1.Appeal) *appealsv1.Appeal {
	t.Helper()
	got, err := h.client.GetAppeal(h.as(t, "admin"), &appealsv1.GetAppealRequest{Name: a.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// history is the actions of the appeal's history, oldest first.
func (h *harness) history(t *testing.T, login string, a *appealsv1.Appeal) []string {
	t.Helper()
	resp, err := h.client.ListAppealHistory(h.as(t, login), &appealsv1.ListAppealHistoryRequest{Parent: a.GetName(), PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range resp.GetEntries() {
		out = append(out, e.GetAction())
	}
	return out
}

// expect fails unless err has the code and the ErrorInfo reason.
func expect(t *testing.T, err error, code codes.Code, reason string) {
	t.Helper()
	if status.Code(err) != code || testkit.Reason(err) != reason {
		t.Fatalf("want %v %s, got %v (reason %q)", code, reason, err, testkit.Reason(err))
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// events reads every message published on the APPEALS stream so far (after the outbox drained).
func (h *harness) events(t *testing.T) []*jetstream.RawStreamMsg {
	t.Helper()
	h.WaitPublished(t)
	return testkit.StoredMsgs(t, h.NATS.Connect(t).JS, "APPEALS")
}

// eventsOf counts the events on subjects ending with suffix that concern appeal name.
func (h *harness) eventsOf(t *testing.T, suffix, name string) int {
	t.Helper()
	n := 0
	for _, e := range h.events(t) {
		if !strings.HasSuffix(e.Subject, suffix) {
			continue
		}
		var m interface{ GetAppeal() string }
		switch suffix {
		case "appeal_due_soon":
			m = decode[*appealsv1.AppealDueSoon](t, e.Data, &appealsv1.AppealDueSoon{})
		case "appeal_overdue":
			m = decode[*appealsv1.AppealOverdue](t, e.Data, &appealsv1.AppealOverdue{})
		case "appeal_answered":
			m = decode[*appealsv1.AppealAnswered](t, e.Data, &appealsv1.AppealAnswered{})
		case "appeal_state_changed":
			m = decode[*appealsv1.AppealStateChanged](t, e.Data, &appealsv1.AppealStateChanged{})
		default:
			m = decode[*appealsv1.AppealRegistered](t, e.Data, &appealsv1.AppealRegistered{})
		}
		if m.GetAppeal() == name {
			n++
		}
	}
	return n
}

func decode[M proto.Message](t *testing.T, data []byte, m M) M {
	t.Helper()
	if err := proto.Unmarshal(data, m); err != nil {
		t.Fatal(err)
	}
	return m
}

// waitUntil polls ok for up to 10 s.
func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 10 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// civil is a proto date as a time at UTC midnight, for date arithmetic in tests.
func civil(d *date.Date) time.Time {
	return time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, time.UTC)
}

// uuidOf is the id in an appeal's name.
func uuidOf(t *testing.T, a *appealsv1.Appeal) uuid.UUID {
	t.Helper()
	return uuid.MustParse(strings.TrimPrefix(a.GetName(), "appeals/"))
}

type httpBody = httpbody.HttpBody
