package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
)

// The short form (make test) runs by default; FAULTS_LONG=1 (make faults) runs the long form.
var long = os.Getenv("FAULTS_LONG") == "1"

func pick[T any](short, long_ T) T {
	if long {
		return long_
	}
	return short
}

func TestMain(m *testing.M) {
	code := m.Run()
	RemoveBinaries()
	if matrix := Matrix(); matrix != "" {
		fmt.Print("\n" + matrix)
		if p := os.Getenv("FAULTS_REPORT"); p != "" {
			if err := os.WriteFile(p, []byte(matrix), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				code = 1
			}
		}
	}
	os.Exit(code)
}

// setup skips in -short mode and returns a random source; FAULTS_SEED repeats a run.
func setup(t *testing.T) *rand.Rand {
	if testing.Short() {
		t.Skip("fault tests start real processes")
	}
	seed, err := strconv.ParseUint(os.Getenv("FAULTS_SEED"), 10, 64)
	if err != nil {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("FAULTS_SEED=%d", seed)
	return rand.New(rand.NewPCG(seed, 0))
}

// pace is the pause between one load worker's creates: the short form runs beside other tests.
var pace = pick(20*time.Millisecond, 0)

func between(rng *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(rng.Int64N(int64(hi-lo)+1))
}

// F1: kill -9 the API process every few seconds under create load; the clients retry with the
// same request_id. Every acknowledged appeal exists once, and a retry answers the same appeal.
func TestF1KillAPI(t *testing.T) {
	rng := setup(t)
	kills := pick(3, 20)
	e := Start(t, Options{})
	load := StartLoad("F1", e.GRPC("clerk.zhd"), "clerk.zhd", pick(4, 6), pace)
	var recovery time.Duration
	for range kills {
		time.Sleep(between(rng, pick(time.Second, 2*time.Second), pick(2*time.Second, 4*time.Second)))
		killed := time.Now()
		e.API.Kill()
		e.API.Start(t)
		d, ok := load.SuccessAfter(killed, 30*time.Second)
		if !ok {
			t.Fatalf("nothing acknowledged within 30s of a kill:\n%s", e.API.LogTail())
		}
		recovery = max(recovery, d)
	}
	time.Sleep(500 * time.Millisecond)
	load.Stop()
	drain := e.Drain(time.Now(), time.Minute)
	r := e.Tally("F1", load.Ops(), e.GRPC)
	r.Scenario = "F1 kill -9 the API process"
	r.Drain = drain
	e.Events(&r)
	r.Recovery = recovery
	e.note(&r, fmt.Sprintf("%d kills of the API process; %s", kills, load.Failures()))
	Record(t, r)
}

// F2: the relay dies after JetStream acknowledged a batch and before marking it sent (the
// faultinject hook exits with 137 there), many times under load. The batch is published again
// with the same Nats-Msg-Id: no duplicate on the stream, none in the statistics.
func TestF2RelayDiesAfterAck(t *testing.T) {
	rng := setup(t)
	exits := pick(3, 15)
	e := Start(t, Options{})
	load := StartLoad("F2", e.GRPC("clerk.zhd"), "clerk.zhd", pick(3, 4), pace)
	e.Relay.Stop()
	for range exits {
		e.Relay.Start(t, fmt.Sprintf("APPEALS_FAULT_RELAY_EXIT_AFTER_ACK=%d", 1+rng.IntN(3)))
		expectFaultExit(t, e.Relay)
	}
	e.Relay.Start(t)
	restarted := time.Now()
	recovery, ok := e.SentBefore(restarted, time.Minute)
	if !ok {
		t.Fatalf("outbox rows from before the restart not sent within a minute:\n%s", e.Relay.LogTail())
	}
	time.Sleep(500 * time.Millisecond)
	load.Stop()
	drain := e.Drain(time.Now(), time.Minute)
	r := e.Tally("F2", load.Ops(), e.GRPC)
	r.Scenario = "F2 relay dies after the ack, before marking sent"
	r.Drain = drain
	e.Events(&r)
	r.Recovery = recovery
	r.Duplicated += max(e.streamRegistered()-e.Count("SELECT count(*) FROM appeals"), 0) // the window drops republished ids
	e.note(&r, fmt.Sprintf("%d relay exits after an acked batch", exits))
	Record(t, r)
}

// F3: a consumer dies after committing an event and before acking it (the faultinject hook
// exits with 137 there), many times under load. JetStream redelivers; the inbox drops it.
func TestF3ConsumerDiesBeforeAck(t *testing.T) {
	rng := setup(t)
	exits := pick(3, 15)
	e := Start(t, Options{})
	load := StartLoad("F3", e.GRPC("clerk.zhd"), "clerk.zhd", pick(3, 4), pace)
	e.Consumers.Stop()
	for range exits {
		e.Consumers.Start(t, fmt.Sprintf("APPEALS_FAULT_CONSUMER_EXIT_BEFORE_ACK=%d", 1+rng.IntN(5)))
		expectFaultExit(t, e.Consumers)
	}
	e.Consumers.Start(t)
	restarted := time.Now()
	recovery, ok := e.CaughtUp(restarted, time.Minute)
	if !ok {
		t.Fatalf("events from before the restart not consumed within a minute:\n%s", e.Consumers.LogTail())
	}
	time.Sleep(500 * time.Millisecond)
	load.Stop()
	drain := e.Drain(time.Now(), time.Minute)
	r := e.Tally("F3", load.Ops(), e.GRPC)
	r.Scenario = "F3 consumer dies after the commit, before the ack"
	r.Drain = drain
	e.Events(&r)
	r.Recovery = recovery
	e.note(&r, fmt.Sprintf("%d consumer exits after a commit (redelivered after the %s ack wait)", exits, ConsumerAckWait))
	Record(t, r)
}

// expectFaultExit waits for the fault-injection exit (status 137) of p.
func expectFaultExit(t *testing.T, p *Proc) {
	t.Helper()
	code, err := p.WaitExit(30 * time.Second)
	if err != nil || code != 137 {
		t.Fatalf("%s: exit %d, %v; want the fault-injection exit 137:\n%s", p.Name, code, err, p.LogTail())
	}
}

// F4: nats-server stops for longer than the duplicate window under load, then starts. The
// API keeps accepting (the outbox holds the events); every event reaches the consumer once.
// Recovery: from the broker's start until the relay publishes again; drain: until the backlog
// of the outage has reached the consumer (the worst outage of the run).
func TestF4BrokerOutage(t *testing.T) {
	setup(t)
	window, outage, outages := pick(time.Second, 2*time.Second), pick(3*time.Second, 8*time.Second), pick(1, 3)
	e := Start(t, Options{DuplicateWindow: window})
	load := StartLoad("F4", e.GRPC("clerk.zhd"), "clerk.zhd", pick(3, 4), pace)
	var recovery, drain time.Duration
	duringOutage := 0
	for range outages {
		time.Sleep(time.Second)
		e.Broker.Stop()
		down := time.Now()
		time.Sleep(outage)
		e.Broker.Start(t)
		up := time.Now()
		duringOutage += load.AckedBetween(down, up)
		back, ok := until(time.Minute, func() bool { return e.Count("SELECT count(*) FROM outbox WHERE sent_at >= $1", up) > 0 })
		caughtUp, ok2 := e.CaughtUp(up, time.Minute)
		if !ok || !ok2 {
			t.Fatalf("the events of the outage were not consumed within a minute:\n%s", e.Relay.LogTail())
		}
		recovery, drain = max(recovery, back), max(drain, caughtUp)
	}
	load.Stop()
	e.Drain(time.Now(), time.Minute)
	r := e.Tally("F4", load.Ops(), e.GRPC)
	r.Scenario = "F4 nats-server down longer than the duplicate window"
	r.Drain = drain
	e.Events(&r)
	r.Recovery = recovery
	// The API does not need the broker: no call may be refused (a slow one under CPU contention
	// is not a refusal), and creates went on during the outage.
	r.Violations += load.TotalFailures() - load.FailureCount(codes.DeadlineExceeded.String())
	if duringOutage == 0 {
		r.Violations++
	}
	e.note(&r, fmt.Sprintf("%d outages of %s (duplicate window %s); %d creates acknowledged while the broker was down; %s",
		outages, outage, window, duringOutage, load.Failures()))
	Record(t, r)
}

// F5: PostgreSQL (a private cluster) restarts under load through the gateway: calls fail fast
// with 503 UNAVAILABLE, no process crashes, the service resumes by itself, nothing is lost.
func TestF5DatabaseRestart(t *testing.T) {
	setup(t)
	down, restarts := pick(2*time.Second, 5*time.Second), pick(1, 4)
	e := Start(t, Options{PrivatePostgres: true, Gateway: true})
	load := StartLoad("F5", e.REST("clerk.zhd"), "clerk.zhd", pick(3, 4), pace)
	var recovery time.Duration
	for range restarts {
		time.Sleep(1500 * time.Millisecond)
		e.StopPostgres()
		time.Sleep(down)
		e.StartPostgres()
		up := time.Now()
		d, ok := load.SuccessAfter(up, time.Minute)
		if !ok {
			t.Fatalf("nothing acknowledged within a minute of the database start:\n%s", e.API.LogTail())
		}
		recovery = max(recovery, d)
	}
	time.Sleep(time.Second)
	load.Stop()
	drain := e.Drain(time.Now(), time.Minute)
	r := e.Tally("F5", load.Ops(), e.REST)
	r.Scenario = "F5 PostgreSQL restarts"
	r.Drain = drain
	e.Events(&r)
	r.Recovery = recovery
	crashed := 0
	for _, p := range []*Proc{e.API, e.Relay, e.Consumers, e.Gateway} {
		if !p.Running() || p.Starts() != 1 {
			crashed++
			t.Errorf("%s crashed:\n%s", p.Name, p.LogTail())
		}
	}
	// Every answer during the outage is 503: any other HTTP status is a violation.
	r.Violations += crashed + load.httpFailures() - load.FailureCount("HTTP 503")
	e.note(&r, fmt.Sprintf("%d restarts, down %s each; %s", restarts, down, load.Failures()))
	Record(t, r)
}

// F6: ten concurrent creates with one request_id make one appeal and all answer it; the same
// request_id with another body is rejected (409 ALREADY_EXISTS) and stores nothing.
func TestF6ConcurrentRequestID(t *testing.T) {
	setup(t)
	rounds := pick(3, 50)
	e := Start(t, Options{})
	create := e.GRPC("clerk.zhd")
	var ops []*Op
	acked, violations := 0, 0
	for n := range rounds {
		op := NewOp("F6", n+1, "clerk.zhd")
		ops = append(ops, op)
		names, errs := make([]string, 10), make([]error, 10)
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Go(func() { names[i], errs[i] = call(create, op.Req) })
		}
		wg.Wait()
		for i := range 10 {
			switch {
			case errs[i] != nil:
				op.Last = errs[i]
				violations++
				t.Logf("round %d call %d: %v", n+1, i, errs[i])
			case op.Acked == "":
				op.Acked, op.AckedAt = names[i], time.Now()
				acked++
			default:
				acked++ // a different name shows in the database as a duplicate
			}
		}
		other := proto.Clone(op.Req).(*appealsv1.CreateAppealRequest)
		other.Appeal.Text = Marker("F6-other", n+1)
		if _, err := call(create, other); status.Code(err) != codes.AlreadyExists {
			violations++
			t.Logf("round %d: the same request_id with another body answered %v, want AlreadyExists", n+1, err)
		}
	}
	drain := e.Drain(time.Now(), time.Minute)
	r := e.Tally("F6", ops, e.GRPC)
	r.Scenario = "F6 ten concurrent creates, one request_id"
	r.Attempted, r.Acked = 11*rounds, acked // ten with the body, one with another body
	r.Drain = drain
	e.Events(&r) // one appeal, one event
	r.Violations += violations + e.Count("SELECT count(*) FROM appeals WHERE text LIKE $1", "%F6-other%")
	e.note(&r, fmt.Sprintf("%d rounds: 10 concurrent calls with one body (one appeal, one name), 1 with another body (rejected)", rounds))
	Record(t, r)
}

// call is one create with a 10 s limit.
func call(create Creator, req *appealsv1.CreateAppealRequest) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return create(ctx, req)
}

// F7: two clerks of one department correct the same appeal with the same etag at once over
// REST: one wins (200), the other gets 409, and the appeal holds the winner's text.
func TestF7SameEtag(t *testing.T) {
	setup(t)
	rounds := pick(5, 100)
	e := Start(t, Options{Gateway: true})
	hc := &http.Client{Timeout: 10 * time.Second}
	clerks := []string{"clerk.zhd", "head.zhd"}
	for _, login := range clerks {
		e.Token(login) // signed in here: the PATCHes run on other goroutines
	}
	r := Row{Scenario: "F7 two clerks, one etag", Recovery: NA, Drain: NA}
	for n := range rounds {
		op := NewOp("F7", n+1, "clerk.zhd")
		a, err := e.Client.CreateAppeal(e.As("clerk.zhd"), op.Req)
		must(t, err)
		texts, answers := make([]string, 2), make([]int, 2)
		var wg sync.WaitGroup
		for i, login := range clerks {
			texts[i] = fmt.Sprintf("%s (исправлено: %s)", Marker("F7", n+1), login)
			body := fmt.Appendf(nil, `{"etag":%q,"text":%q}`, a.GetEtag(), texts[i])
			wg.Go(func() {
				answers[i], _ = e.do(context.Background(), hc, http.MethodPatch, "/v1/"+a.GetName()+"?updateMask=text", login, body, nil)
			})
		}
		wg.Wait()
		r.Attempted += 2
		winner := -1
		for i, c := range answers {
			if c == http.StatusOK {
				r.Acked++
				winner = i
			}
		}
		if oneEach := answers[0] == 200 && answers[1] == 409 || answers[0] == 409 && answers[1] == 200; !oneEach {
			r.Violations++
			t.Logf("round %d: answers %v, want one 200 and one 409", n+1, answers)
		}
		if answers[0] == 200 && answers[1] == 200 {
			r.Lost++ // a lost update
		}
		got, err := e.Client.GetAppeal(e.As("admin"), &appealsv1.GetAppealRequest{Name: a.GetName()})
		must(t, err)
		if winner >= 0 && got.GetText() == texts[winner] {
			r.Found++
		} else {
			r.Lost++
			t.Logf("round %d: the appeal says %q after the answers %v", n+1, got.GetText(), answers)
		}
	}
	e.note(&r, fmt.Sprintf("%d rounds of two concurrent PATCH with one etag (clerk.zhd, head.zhd); found = the winner's text stored", rounds))
	Record(t, r)
}

// F8: every clerk asks for every appeal of the other departments by id, over REST and gRPC:
// each answer is 404 NOT_FOUND, word for word the answer for an id that does not exist.
func TestF8OtherDepartments(t *testing.T) {
	setup(t)
	perDepartment := pick(2, 10)
	e := Start(t, Options{Gateway: true})
	clerks := map[string]string{"clerk.zhd": "KUR-ZHD", "clerk.ind": "KUR-IND", "clerk.oog": "OOG"}
	type appeal struct{ name, department string }
	var appeals []appeal
	for _, d := range directorytest.Departments {
		for range perDepartment {
			op := NewOp("F8", len(appeals)+1, "admin")
			op.Req.Appeal.Department = d.Code
			a, err := e.Client.CreateAppeal(e.As("admin"), op.Req)
			must(t, err)
			appeals = append(appeals, appeal{a.GetName(), d.Code})
		}
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	rest := func(login, name string) (int, string) {
		code, err := e.do(context.Background(), hc, http.MethodGet, "/v1/"+name, login, nil, nil)
		return code, strings.ReplaceAll(status.Convert(err).Message(), name, "NAME")
	}
	grpcGet := func(login, name string) (codes.Code, string) {
		_, err := e.Client.GetAppeal(e.As(login), &appealsv1.GetAppealRequest{Name: name})
		return status.Code(err), strings.ReplaceAll(status.Convert(err).Message(), name, "NAME")
	}
	r := Row{Scenario: "F8 other departments' appeals by id", Recovery: NA, Drain: NA}
	own := 0
	for login, dept := range clerks {
		missing := "appeals/" + uuid.NewString()
		_, restMissing := rest(login, missing)
		_, grpcMissing := grpcGet(login, missing)
		for _, a := range appeals {
			if a.department == dept {
				if code, _ := rest(login, a.name); code != http.StatusOK {
					r.Violations++ // the control: her own department's appeal is there
				}
				own++
				continue
			}
			r.Attempted += 2
			if code, body := rest(login, a.name); code == http.StatusNotFound && body == restMissing {
				r.Acked++
			} else {
				r.Violations++
				t.Logf("REST %s as %s: %d %s", a.name, login, code, body)
			}
			if code, msg := grpcGet(login, a.name); code == codes.NotFound && msg == grpcMissing {
				r.Acked++
			} else {
				r.Violations++
				t.Logf("gRPC %s as %s: %v %s", a.name, login, code, msg)
			}
		}
	}
	r.Found = e.Count("SELECT count(*) FROM appeals")
	e.note(&r, fmt.Sprintf("%d appeals in %d departments; acknowledged = answered 404 exactly as a missing id; %d own-department reads answered 200",
		len(appeals), len(directorytest.Departments), own))
	Record(t, r)
}

// F9: the issuer stops; tokens it signed before keep working on the keys the API cached.
func TestF9IssuerDown(t *testing.T) {
	setup(t)
	n := pick(20, 200)
	e := Start(t, Options{Gateway: true})
	logins := []string{"clerk.zhd", "head.zhd", "clerk.ind", "admin"}
	for _, login := range logins { // sign in and use the token once: the API fetches the keys
		_, err := e.Client.ListAppeals(e.As(login), &appealsv1.ListAppealsRequest{PageSize: 1})
		must(t, err)
	}
	e.Issuer.Stop()
	if httpOK(e.IssuerURL + "/.well-known/openid-configuration") {
		t.Fatal("the issuer still answers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	_, signInErr := devissuer.Login(ctx, e.IssuerURL, "clerk.zhd", "demo")
	cancel()

	hc := &http.Client{Timeout: 10 * time.Second}
	var ops []*Op
	r := Row{Scenario: "F9 issuer down", Recovery: NA, Drain: NA}
	for i := range n {
		login := logins[i%len(logins)]
		var err error
		switch i % 3 {
		case 0: // gRPC create, by the clerks of KUR-ZHD
			login = logins[i%2]
			op := NewOp("F9", len(ops)+1, login)
			ops = append(ops, op)
			op.Acked, err = call(e.GRPC(login), op.Req)
		case 1: // REST list through the gateway
			_, err = e.do(context.Background(), hc, http.MethodGet, "/v1/appeals?pageSize=5", login, nil, nil)
		default: // gRPC list
			_, err = e.Client.ListAppeals(e.As(login), &appealsv1.ListAppealsRequest{PageSize: 5})
		}
		r.Attempted++
		if err != nil {
			r.Violations++
			t.Logf("call %d as %s with the issuer down: %v", i, login, err)
			continue
		}
		r.Acked++
	}
	tally := e.Tally("F9", ops, e.GRPC)
	r.Found, r.Lost, r.Duplicated = tally.Found, tally.Lost, tally.Duplicated
	e.note(&r, fmt.Sprintf("%d calls (gRPC create, REST list, gRPC list) as %d users with the issuer stopped; %d creates; a new sign-in fails meanwhile: %v",
		n, len(logins), len(ops), signInErr != nil))
	Record(t, r)
}
