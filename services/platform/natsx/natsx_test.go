package natsx_test

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

func TestNames(t *testing.T) {
	if got := natsx.Subject("appeals", "appeal_registered"); got != "cityhall.appeals.v1.appeal_registered" {
		t.Errorf("Subject = %q", got)
	}
	s := natsx.StreamFor("appeals")
	if s.Name != "APPEALS" || len(s.Subjects) != 1 || s.Subjects[0] != "cityhall.appeals.v1.>" || s.Duplicates != 2*time.Minute {
		t.Errorf("StreamFor = %+v", s)
	}
}

func TestEmbeddedConnectEnsureStreamClose(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := natsx.Connect(ctx, natsx.Config{Port: -1, Name: "test"}) // temp store
	if err != nil {
		t.Fatal(err)
	}
	store := c.Server().StoreDir()
	cfg := natsx.StreamFor("appeals")
	if err := c.EnsureStream(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.MaxAge = time.Hour
	if err := c.EnsureStream(ctx, cfg); err != nil { // update
		t.Fatal(err)
	}
	if _, err := c.JS.Publish(ctx, natsx.Subject("appeals", "x"), []byte("1")); err != nil {
		t.Fatal(err)
	}
	s, err := c.JS.Stream(ctx, "APPEALS")
	if err != nil {
		t.Fatal(err)
	}
	if info := s.CachedInfo(); info.Config.MaxAge != time.Hour || info.Config.Replicas != 1 {
		t.Errorf("stream config not updated: %+v", info.Config)
	}
	c.Close()
	if _, err := os.Stat(store); !os.IsNotExist(err) {
		t.Errorf("temporary store %s left behind: %v", store, err)
	}
}

func TestFollowStreamKeepsTheOwnersSettings(t *testing.T) {
	ctx := context.Background()
	c := testkit.NATS(t)
	cfg := natsx.StreamFor("outreach")
	if err := c.FollowStream(ctx, cfg); err != nil { // the consumer first: creates it
		t.Fatal(err)
	}
	owner := natsx.StreamFor("outreach")
	owner.Duplicates = 10 * time.Minute
	if err := c.EnsureStream(ctx, owner); err != nil {
		t.Fatal(err)
	}
	if err := c.FollowStream(ctx, cfg); err != nil { // the consumer restarts: changes nothing
		t.Fatal(err)
	}
	s, err := c.JS.Stream(ctx, "OUTREACH")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.CachedInfo().Config.Duplicates; got != 10*time.Minute {
		t.Errorf("duplicate window %v, want the owner's 10m", got)
	}
}

func TestEmbeddedPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = natsx.StartServer(natsx.Config{Port: l.Addr().(*net.TCPAddr).Port, StoreDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("StartServer on a busy port: %v", err)
	}
}

// The client rides out a broker restart on the same port and store.
func TestReconnectAfterRestart(t *testing.T) {
	srv := testkit.NewNATSServer(t)
	c := srv.Connect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := c.EnsureStream(ctx, natsx.StreamFor("appeals")); err != nil {
		t.Fatal(err)
	}
	srv.Restart(t)
	deadline := time.Now().Add(10 * time.Second)
	for {
		pctx, pcancel := context.WithTimeout(ctx, time.Second) // a request sent mid-reconnect may never be answered
		_, err := c.JS.Publish(pctx, natsx.Subject("appeals", "x"), []byte("1"))
		pcancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("publish after restart: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The stream survived in the store.
	if _, err := c.JS.Stream(ctx, "APPEALS"); err != nil {
		t.Fatal(err)
	}
}

func TestNATSHelper(t *testing.T) {
	c := testkit.NATS(t)
	if !c.NC.IsConnected() {
		t.Fatal("not connected")
	}
}
