// Package svctest runs a whole service in-process for component tests.
package svctest

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cityhall-khv/cityhall/services/platform/logging"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
	"github.com/cityhall-khv/cityhall/services/platform/svc"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// Service is one service under test: its own fresh database, an embedded NATS and the test
// issuer, started in-process and reached over real gRPC.
type Service struct {
	Conn   *grpc.ClientConn
	Pool   *pgxpool.Pool // the service's database, for assertions on what is stored
	NATS   *testkit.NATSServer
	Issuer *testkit.TestIssuer
}

// StartService runs spec and returns once its health check says SERVING. before, if set,
// runs after NATS is up and before the service starts (e.g. to publish what it consumes).
func StartService(t *testing.T, spec svc.Spec, before func(*testkit.NATSServer)) *Service {
	t.Helper()
	dbURL := testkit.PostgresURL(t, nil)
	ns := testkit.NewNATSServer(t)
	if before != nil {
		before(ns)
	}
	issuer := testkit.StartIssuer(t)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	auth := issuer.AuthConfig()
	go func() {
		done <- spec.Run(ctx, svc.Config{
			DatabaseURL: dbURL, NATSURL: ns.URL, OIDCIssuer: auth.Issuer, OIDCAudience: auth.Audience,
			OIDCJWKSURL: auth.JWKSURL, ShutdownTimeout: 5 * time.Second, Listener: lis,
			Logger: logging.New(spec.Name, "warn"),
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("%s stopped with %v", spec.Name, err)
		}
	})
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	waitServing(t, spec.Name, conn, done)
	pool, err := pgdb.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return &Service{Conn: conn, Pool: pool, NATS: ns, Issuer: issuer}
}

func waitServing(t *testing.T, name string, conn *grpc.ClientConn, done chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("%s exited at start: %v", name, err)
		default:
		}
		resp, err := healthpb.NewHealthClient(conn).Check(context.Background(), &healthpb.HealthCheckRequest{})
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not become ready in 30s", name)
}

// As returns a context carrying login's bearer token.
func (s *Service) As(t testing.TB, login string) context.Context {
	return testkit.WithToken(s.Issuer.Token(t, login))
}

// Count runs a count query on the service's database.
func (s *Service) Count(t testing.TB, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := s.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// WaitPublished waits until the outbox relay has sent every event.
func (s *Service) WaitPublished(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for s.Count(t, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("events still in the outbox after 20s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
