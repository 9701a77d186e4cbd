package testkit

import (
	"context"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/cityhall-khv/cityhall/services/platform/natsx"
)

// NATS starts an embedded JetStream server for this test (random port,
// t.TempDir() store) and returns a connected Conn; both are shut down at
// cleanup.
func NATS(t testing.TB) *natsx.Conn {
	t.Helper()
	return NewNATSServer(t).Connect(t)
}

// NATSServer is an embedded JetStream server that a test can stop and start
// again on the same port and store, to simulate a broker outage.
type NATSServer struct {
	URL string

	mu  sync.Mutex
	cfg natsx.Config
	srv *server.Server
}

// NewNATSServer starts an embedded JetStream server on a random port; it is
// shut down at cleanup.
func NewNATSServer(t testing.TB) *NATSServer {
	t.Helper()
	s := &NATSServer{cfg: natsx.Config{Port: -1, StoreDir: filepath.Join(t.TempDir(), "jetstream")}}
	s.Start(t)
	// Later starts reuse the port the first one got, so clients reconnect.
	s.cfg.Port = s.srv.Addr().(*net.TCPAddr).Port
	s.URL = s.srv.ClientURL()
	t.Cleanup(func() { s.Stop(t) })
	return s
}

// Start starts the server if it is stopped.
func (s *NATSServer) Start(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return
	}
	var err error
	// The port may linger for a moment after a stop.
	for range 3 {
		if s.srv, err = natsx.StartServer(s.cfg); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("start nats: %v", err)
}

// Stop shuts the server down (its store stays).
func (s *NATSServer) Stop(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.srv = nil
}

// Restart stops and starts the server on the same port and store.
func (s *NATSServer) Restart(t testing.TB) {
	t.Helper()
	s.Stop(t)
	s.Start(t)
}

// Connect returns a client connection to this server, closed at cleanup.
// It reconnects by itself across Stop/Start.
func (s *NATSServer) Connect(t testing.TB) *natsx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := natsx.Connect(ctx, natsx.Config{URL: s.URL, Name: t.Name()})
	if err != nil {
		t.Fatalf("connect nats: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}
