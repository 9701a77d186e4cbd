package faults

import (
	"context"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
	"github.com/cityhall-khv/cityhall/services/platform/directory/directorytest"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// Options choose what a scenario's environment looks like.
type Options struct {
	// PrivatePostgres puts the database in a private cluster the test may restart (F5);
	// otherwise a fresh database on the test server (testkit).
	PrivatePostgres bool
	Gateway         bool          // start the REST gateway in front of the API process
	DuplicateWindow time.Duration // APPEALS_NATS_DUPLICATE_WINDOW, default 2m

	// The benchmarks (cmd/cityhall/internal/bench) run the same processes as deployed:
	DatabaseURL string   // use this (already created) database instead of a fresh test database
	Dir         string   // logs and the NATS store here instead of $FAULTS_DIR/<test> or a temp dir
	Production  bool     // binaries built without -tags faultinject
	AppealsEnv  []string // more APPEALS_* settings for the three appeals processes
	GatewayEnv  []string // more GATEWAY_* settings
}

// Env is one scenario's system: every component a separate process on loopback.
type Env struct {
	t   testing.TB
	Dir string // logs and the NATS store

	DB   *pgxpool.Pool // the appeals database, for counting
	NATS *natsx.Conn   // a client of the broker (reconnects across restarts), for counting

	Broker, Issuer, API, Relay, Consumers, Gateway *Proc

	GRPCAddr  string // the API process
	HTTPURL   string // the gateway
	IssuerURL string
	Client    appealsv1.AppealServiceClient

	pg     *pgdb.Server // the private cluster, when PrivatePostgres
	pgOpts pgdb.Options

	mu     sync.Mutex
	tokens map[string]string
}

// ConsumerAckWait is the consumers' redelivery delay in the scenarios: a consumer killed
// before its ack has its events redelivered after this (production: 30s).
const ConsumerAckWait = 2 * time.Second

// Start builds (once) and starts a scenario's system and returns when the API answers.
func Start(t testing.TB, o Options) *Env {
	t.Helper()
	began := time.Now()
	build := Build
	if o.Production {
		build = BuildProduction
	}
	b := build(t)
	t.Logf("binaries ready in %.1fs", time.Since(began).Seconds())
	began = time.Now()
	e := &Env{t: t, Dir: o.Dir, tokens: map[string]string{}}
	if e.Dir == "" {
		e.Dir = scenarioDir(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// PostgreSQL.
	dbURL := o.DatabaseURL // the caller's database, when given
	switch {
	case dbURL != "":
	case o.PrivatePostgres:
		dataDir, err := os.MkdirTemp("", "cityhall-faults-pg-")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dataDir, 0o755); err != nil { // the postgres OS user must reach it when we are root
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dataDir) })
		e.pgOpts = pgdb.Options{SkipLocal: true, DataDir: dataDir, Port: freePort(t), Fast: true}
		if e.pg, err = pgdb.DiscoverWith(ctx, e.pgOpts); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.pg.Close(context.Background()) })
		if dbURL, err = e.pg.EnsureDatabase(ctx, "appeals"); err != nil {
			t.Fatal(err)
		}
	default:
		dbURL = testkit.PostgresURL(t, nil)
	}

	// nats-server, with its own store on a fixed port so a restart keeps both.
	natsPort := strconv.Itoa(freePort(t))
	e.Broker = NewProc(t, e.Dir, "nats", b.NATS,
		[]string{"-a", "127.0.0.1", "-p", natsPort, "-js", "-sd", filepath.Join(e.Dir, "nats-store")}, nil)
	e.Broker.Start(t)
	natsURL := "nats://127.0.0.1:" + natsPort
	var err error
	if e.NATS, err = natsx.Connect(ctx, natsx.Config{URL: natsURL, Name: "faults"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.NATS.Close)
	waitFor(t, "JetStream", 20*time.Second, func() bool {
		_, err := e.NATS.JS.AccountInfo(ctx)
		return err == nil
	})
	directorytest.SeedDirectory(t, e.NATS) // what planning publishes: the departments

	// The dev issuer on its own port.
	issuerAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	e.IssuerURL = "http://" + issuerAddr
	e.Issuer = NewProc(t, e.Dir, "issuer", b.Cityhall, []string{"issuer", "--addr", issuerAddr}, nil)
	e.Issuer.Start(t)
	waitFor(t, "the issuer", 20*time.Second, func() bool { return httpOK(e.IssuerURL + "/.well-known/openid-configuration") })

	// The appeals service as three processes of one binary.
	e.GRPCAddr = "127.0.0.1:" + strconv.Itoa(freePort(t))
	window := o.DuplicateWindow
	if window == 0 {
		window = natsx.DuplicateWindow
	}
	common := []string{
		"APPEALS_DATABASE_URL=" + dbURL, "APPEALS_NATS_URL=" + natsURL,
		"APPEALS_OIDC_ISSUER=" + e.IssuerURL, "APPEALS_LOG_LEVEL=warn", "APPEALS_SHUTDOWN_TIMEOUT=5s",
		"APPEALS_NATS_DUPLICATE_WINDOW=" + window.String(), "APPEALS_CONSUMER_ACK_WAIT=" + ConsumerAckWait.String(),
	}
	common = append(common, o.AppealsEnv...)
	role := func(name, roles, addr string) *Proc {
		return NewProc(t, e.Dir, name, b.Appeals, nil, append([]string{"APPEALS_ROLES=" + roles, "APPEALS_GRPC_ADDR=" + addr}, common...))
	}
	e.API = role("api", "api", e.GRPCAddr)
	e.Relay = role("relay", "relay", "127.0.0.1:0")
	e.Consumers = role("consumers", "consumers", "127.0.0.1:0")
	for _, p := range []*Proc{e.API, e.Relay, e.Consumers} {
		p.Start(t)
	}
	conn, err := grpc.NewClient(e.GRPCAddr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		// Reconnect quickly after a kill: the default backoff grows to two minutes.
		grpc.WithConnectParams(grpc.ConnectParams{Backoff: backoff.Config{
			BaseDelay: 50 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: 500 * time.Millisecond,
		}, MinConnectTimeout: 2 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	e.Client = appealsv1.NewAppealServiceClient(conn)
	waitFor(t, "the appeals API (directory copy filled by the consumers process)", 60*time.Second, func() bool {
		if !e.API.Running() || !e.Consumers.Running() {
			t.Fatalf("an appeals process exited at start:\n%s\n%s", e.API.LogTail(), e.Consumers.LogTail())
		}
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		return err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING
	})

	if o.Gateway {
		gwAddr := "127.0.0.1:" + strconv.Itoa(freePort(t))
		e.HTTPURL = "http://" + gwAddr
		e.Gateway = NewProc(t, e.Dir, "gateway", b.Gateway, nil, append([]string{
			"GATEWAY_ADDR=" + gwAddr, "GATEWAY_APPEALS_ADDR=" + e.GRPCAddr, "GATEWAY_PLANNING_ADDR=127.0.0.1:1",
			"GATEWAY_STATIC_DIR=" + filepath.Join(e.Dir, "no-static"), "GATEWAY_REQUEST_TIMEOUT=10s", "GATEWAY_LOG_LEVEL=warn",
		}, o.GatewayEnv...))
		e.Gateway.Start(t)
		waitFor(t, "the gateway", 20*time.Second, func() bool { return httpOK(e.HTTPURL + "/healthz") })
	}

	e.DB, err = pgdb.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.DB.Close)
	t.Logf("environment up in %.1fs (logs in %s)", time.Since(began).Seconds(), e.Dir)
	return e
}

// scenarioDir keeps logs under $FAULTS_DIR/<test> when set (make faults), else in a temp dir.
func scenarioDir(t testing.TB) string {
	if root := os.Getenv("FAULTS_DIR"); root != "" {
		dir := filepath.Join(root, t.Name())
		_ = os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// Token signs login in through the issuer's real code flow (cached per environment).
func (e *Env) Token(login string) string {
	e.t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if tok, ok := e.tokens[login]; ok {
		return tok
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tok, err := devissuer.Login(ctx, e.IssuerURL, login, "demo")
	if err != nil {
		e.t.Fatalf("sign in %s: %v", login, err)
	}
	e.tokens[login] = tok
	return tok
}

// As is a context carrying login's token for gRPC calls.
func (e *Env) As(login string) context.Context { return testkit.WithToken(e.Token(login)) }

// StopPostgres stops the private cluster (fast shutdown: sessions are ended).
func (e *Env) StopPostgres() {
	e.t.Helper()
	if err := e.pg.Close(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// StartPostgres starts the private cluster again from its files.
func (e *Env) StartPostgres() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var err error
	if e.pg, err = pgdb.DiscoverWith(ctx, e.pgOpts); err != nil {
		e.t.Fatal(err)
	}
}

// Count runs a one-number query on the appeals database.
func (e *Env) Count(sql string, args ...any) int {
	e.t.Helper()
	return testkit.Scalar[int](e.t, e.DB, sql, args...)
}

// consumerIdle tells whether the statistics consumer has nothing pending nor unacknowledged.
func (e *Env) consumerIdle() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := e.NATS.JS.Consumer(ctx, "APPEALS", statisticsConsumer)
	if err != nil {
		return false
	}
	info, err := c.Info(ctx)
	return err == nil && info.NumPending == 0 && info.NumAckPending == 0
}

// streamRegistered is how many AppealRegistered messages the APPEALS stream holds.
func (e *Env) streamRegistered() int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := e.NATS.JS.Stream(ctx, "APPEALS")
	if err != nil {
		e.t.Fatal(err)
	}
	info, err := s.Info(ctx, jetstream.WithSubjectFilter(registeredSubject))
	if err != nil {
		e.t.Fatal(err)
	}
	return int(info.State.Subjects[registeredSubject])
}

const (
	statisticsConsumer = "appeals-statistics"
	registeredSubject  = "cityhall.appeals.v1.appeal_registered"
)

// freePort is a free loopback port below Linux's ephemeral range (32768-60999), so that no
// outgoing connection takes it while its server is down for a restart.
func freePort(t testing.TB) int {
	t.Helper()
	for range 100 {
		port := 20000 + rand.IntN(12000)
		if l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port)); err == nil {
			l.Close()
			return port
		}
	}
	t.Fatal("no free port in 20000-31999")
	return 0
}

func httpOK(url string) bool {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// waitFor polls ok every 50 ms for up to timeout, then fails the test.
func waitFor(t testing.TB, what string, timeout time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// until polls ok every 25 ms for up to timeout and returns how long it took, or false.
func until(timeout time.Duration, ok func() bool) (time.Duration, bool) {
	start := time.Now()
	for !ok() {
		if time.Since(start) > timeout {
			return time.Since(start), false
		}
		time.Sleep(25 * time.Millisecond)
	}
	return time.Since(start), true
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
