// Package stack starts the whole of Cityhall in one process for local use and tests:
// PostgreSQL (discovered or private), an embedded NATS, the development OIDC issuer, every
// service on its own database and gRPC port, and the REST gateway with the web application.
package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/cityhall-khv/cityhall/gateway"
	"github.com/cityhall-khv/cityhall/services/appeals"
	"github.com/cityhall-khv/cityhall/services/outreach"
	"github.com/cityhall-khv/cityhall/services/planning"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
	"github.com/cityhall-khv/cityhall/services/platform/natsx"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// Options say where things live. Zero values are the `make run` defaults.
type Options struct {
	DataDir        string            // .data: the private PostgreSQL cluster, NATS storage, the issuer's key
	HTTPAddr       string            // gateway (and issuer under /oidc), default localhost:8080
	PublicURL      string            // how browsers reach the gateway, default http://localhost:<port>
	GRPCAddrs      map[string]string // per service, default appeals 127.0.0.1:9090, planning :9091, outreach :9092; "127.0.0.1:0" picks a free port
	DatabaseURL    map[string]string // per service; default a database <DatabasePrefix><service> on the discovered server
	DatabasePrefix string            // default "cityhall_"; another prefix gives a separate set of databases
	NATSURL        string            // default an embedded server storing under DataDir/nats
	StaticDir      string            // the built web application, default frontend/dist
	Logger         *slog.Logger
}

// Stack is the running system.
type Stack struct {
	URL       string // the gateway, e.g. http://localhost:8080
	IssuerURL string
	GRPC      map[string]string // service → gRPC address
	Databases map[string]string // service → its database URL
	Issuer    *devissuer.Issuer

	errc chan error
	stop context.CancelFunc
	done chan struct{}
}

// Services lists the services the stack runs, in start order.
var Services = []string{"planning", "appeals", "outreach"}

var defaultGRPCAddrs = map[string]string{"appeals": "127.0.0.1:9090", "planning": planning.DefaultGRPCAddr, "outreach": outreach.DefaultGRPCAddr}

// Start brings everything up and returns once every service answers its health check.
func Start(ctx context.Context, o Options) (*Stack, error) {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	if o.DataDir == "" {
		o.DataDir = ".data"
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, err
	}
	dataDir, err := filepath.Abs(o.DataDir)
	if err != nil {
		return nil, err
	}
	if o.HTTPAddr == "" {
		o.HTTPAddr = "localhost:8080"
	}
	if o.StaticDir == "" {
		o.StaticDir = "frontend/dist"
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Stack{GRPC: map[string]string{}, Databases: map[string]string{}, errc: make(chan error, 1), stop: cancel, done: make(chan struct{})}
	cleanup := []func(){}
	fail := func(err error) (*Stack, error) {
		cancel()
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
		return nil, err
	}

	// PostgreSQL: one database per service.
	dbURLs := s.Databases
	var pg *pgdb.Server
	for _, svc := range Services {
		if u := o.DatabaseURL[svc]; u != "" {
			dbURLs[svc] = u
			continue
		}
		if pg == nil {
			if pg, err = pgdb.Discover(ctx, dataDir); err != nil {
				return fail(fmt.Errorf("postgres: %w", err))
			}
			srv := pg
			cleanup = append(cleanup, func() { _ = srv.Close(context.Background()) })
		}
		prefix := o.DatabasePrefix
		if prefix == "" {
			prefix = "cityhall_"
		}
		if dbURLs[svc], err = pg.EnsureDatabase(ctx, prefix+svc); err != nil {
			return fail(err)
		}
	}

	// NATS with JetStream, embedded unless a server is named.
	natsURL := o.NATSURL
	if natsURL == "" {
		ns, err := natsx.StartServer(natsx.Config{StoreDir: filepath.Join(dataDir, "nats"), Port: -1})
		if err != nil {
			return fail(err)
		}
		cleanup = append(cleanup, func() { ns.Shutdown(); ns.WaitForShutdown() })
		natsURL = ns.ClientURL()
	}

	// The gateway's listener comes first: the issuer's URL contains its port.
	httpLis, err := net.Listen("tcp", o.HTTPAddr)
	if err != nil {
		return fail(fmt.Errorf("gateway: %w", err))
	}
	cleanup = append(cleanup, func() { httpLis.Close() })
	public := o.PublicURL
	if public == "" {
		_, port, _ := net.SplitHostPort(httpLis.Addr().String())
		public = "http://localhost:" + port
	}
	s.URL = strings.TrimSuffix(public, "/")
	s.IssuerURL = s.URL + "/oidc"
	if s.Issuer, err = devissuer.New(devissuer.Config{IssuerURL: s.IssuerURL, KeyFile: filepath.Join(dataDir, "issuer-key.pem")}); err != nil {
		return fail(err)
	}

	g, gctx := errgroup.WithContext(ctx)
	listeners := map[string]net.Listener{}
	for _, svc := range Services {
		addr := o.GRPCAddrs[svc]
		if addr == "" {
			addr = defaultGRPCAddrs[svc]
		}
		lis, err := net.Listen("tcp", addr)
		if err != nil {
			return fail(fmt.Errorf("%s gRPC: %w", svc, err))
		}
		listeners[svc] = lis
		s.GRPC[svc] = lis.Addr().String()
	}
	g.Go(func() error {
		return planning.Run(gctx, planning.Config{
			DatabaseURL: dbURLs["planning"], NATSURL: natsURL, OIDCIssuer: s.IssuerURL, OIDCAudience: "cityhall",
			LogLevel: "info", ShutdownTimeout: 10 * time.Second, Listener: listeners["planning"],
			Logger: log.With("service", "planning"),
		})
	})
	g.Go(func() error {
		return appeals.Run(gctx, appeals.Config{
			DatabaseURL: dbURLs["appeals"], NATSURL: natsURL, OIDCIssuer: s.IssuerURL, OIDCAudience: "cityhall",
			LogLevel: "info", ShutdownTimeout: 10 * time.Second, Listener: listeners["appeals"],
			Logger: log.With("service", "appeals"),
		})
	})
	g.Go(func() error {
		return outreach.Run(gctx, outreach.Config{
			DatabaseURL: dbURLs["outreach"], NATSURL: natsURL, OIDCIssuer: s.IssuerURL, OIDCAudience: "cityhall",
			LogLevel: "info", ShutdownTimeout: 10 * time.Second, Listener: listeners["outreach"],
			Logger: log.With("service", "outreach"),
		})
	})

	gw, closeGW, err := gateway.Handler(gctx, gateway.Config{
		AppealsAddr: s.GRPC["appeals"], PlanningAddr: s.GRPC["planning"], OutreachAddr: s.GRPC["outreach"], MaxBodyBytes: 1 << 20, MaxUploadBytes: 15_000_000, RequestTimeout: 30 * time.Second,
		StaticDir: o.StaticDir, Logger: log.With("service", "gateway"),
	})
	if err != nil {
		return fail(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/oidc/", s.Issuer.Handler())
	mux.Handle("/", gw)
	httpSrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	g.Go(func() error {
		if err := httpSrv.Serve(httpLis); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		shutdownCtx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		return httpSrv.Shutdown(shutdownCtx)
	})

	go func() {
		err := g.Wait()
		closeGW()
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		s.errc <- err
		close(s.done)
	}()

	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop() // the readiness error says more than the shutdown's
		return nil, err
	}
	log.Info("cityhall is up", "url", s.URL, "issuer", s.IssuerURL, "nats", natsURL)
	return s, nil
}

// waitReady polls the gateway's /readyz, which checks every service's gRPC health.
func (s *Stack) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.errc:
			s.errc <- err
			return fmt.Errorf("cityhall stopped while starting: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("cityhall was not ready within 60s")
}

// Stop shuts everything down and waits for it.
func (s *Stack) Stop() error {
	s.stop()
	<-s.done
	select {
	case err := <-s.errc:
		return err
	default:
		return nil
	}
}

// Wait blocks until the stack stops by itself (a failure) or ctx is done.
func (s *Stack) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return s.Stop()
	case err := <-s.errc:
		<-s.done
		return err
	}
}
