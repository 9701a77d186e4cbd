// Package gateway is the REST edge of Cityhall: it turns the services' gRPC APIs into REST
// (grpc-gateway), serves the OpenAPI document and the web application, and enforces the
// edge limits (body size, timeouts, CORS).
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/rs/cors"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/cityhall-khv/cityhall/gateway/open311"
	appealsv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/appeals/v1"
	outreachv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/outreach/v1"
	planningv1 "github.com/cityhall-khv/cityhall/proto/gen/go/cityhall/planning/v1"
	"github.com/cityhall-khv/cityhall/proto/gen/go/openapi"
	"github.com/cityhall-khv/cityhall/services/platform/config"
)

// EnvPrefix starts every environment variable of the gateway.
const EnvPrefix = "GATEWAY_"

// Config is the gateway's settings, read from GATEWAY_* variables.
type Config struct {
	Addr           string        `env:"ADDR" default:":8080" desc:"HTTP listen address"`
	AppealsAddr    string        `env:"APPEALS_ADDR" default:"127.0.0.1:9090" desc:"gRPC address of the appeals service"`
	PlanningAddr   string        `env:"PLANNING_ADDR" default:"127.0.0.1:9091" desc:"gRPC address of the planning service (organisation directory)"`
	OutreachAddr   string        `env:"OUTREACH_ADDR" default:"127.0.0.1:9092" desc:"gRPC address of the outreach service (meetings with residents)"`
	MaxBodyBytes   int64         `env:"MAX_BODY_BYTES" default:"1048576" desc:"largest request body accepted"`
	MaxUploadBytes int64         `env:"MAX_UPLOAD_BYTES" default:"15000000" desc:"largest body of an attachment upload (the file travels base64-encoded: 10 MB of file is 13.4 MB)"`
	RequestTimeout time.Duration `env:"REQUEST_TIMEOUT" default:"30s" desc:"deadline of every proxied call"`
	CORSOrigins    []string      `env:"CORS_ORIGINS" desc:"comma-separated origins allowed to call the API from a browser"`
	StaticDir      string        `env:"STATIC_DIR" default:"frontend/dist" desc:"the built web application, served at / when present"`

	Listener net.Listener `json:"-"` // set by tests and the all-in-one command
	Logger   *slog.Logger `json:"-"`
}

// LoadConfig reads the settings from the environment over the given defaults.
func LoadConfig(cfg *Config) error { return config.Load(cfg, EnvPrefix) }

// backend is one gRPC service behind the gateway.
type backend struct {
	name     string
	addr     string
	register func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error
}

func backends(cfg Config) []backend {
	return []backend{
		{"appeals", cfg.AppealsAddr, appealsv1.RegisterAppealServiceHandler},
		{"planning", cfg.PlanningAddr, planningv1.RegisterDirectoryServiceHandler},
		// The public schedule and calendar feeds pass without a token: the service declares
		// those methods public, and the gateway forwards a request with or without one.
		{"outreach", cfg.OutreachAddr, outreachv1.RegisterOutreachServiceHandler},
	}
}

// Handler builds the gateway's HTTP handler; close releases the backend connections.
func Handler(ctx context.Context, cfg Config) (h http.Handler, closeFn func(), err error) {
	mux := runtime.NewServeMux(
		runtime.WithErrorHandler(errorHandler),
		runtime.WithRoutingErrorHandler(routingErrorHandler),
		// HttpBody responses (file downloads, exports) go out as the raw file.
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.HTTPBodyMarshaler{Marshaler: &runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}}),
		runtime.WithOutgoingHeaderMatcher(outgoingHeader),
	)
	var conns []*grpc.ClientConn
	closeFn = func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}
	ready := map[string]*grpc.ClientConn{}
	for _, b := range backends(cfg) {
		conn, err := grpc.NewClient(b.addr,
			grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithStatsHandler(otelgrpc.NewClientHandler()),
			// Downloads of attachments and exports are larger than gRPC's 4 MB default.
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(32<<20)),
		)
		if err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("%s backend %s: %w", b.name, b.addr, err)
		}
		conns = append(conns, conn)
		ready[b.name] = conn
		if err := b.register(ctx, mux, conn); err != nil {
			closeFn()
			return nil, nil, err
		}
	}

	root := http.NewServeMux()
	api := withTimeout(cfg.RequestTimeout, mux)
	root.Handle("/v1/", limitBody(cfg.MaxBodyBytes, api))
	// Attachments carry files: a larger limit on their one upload route.
	root.Handle("POST /v1/appeals/{appeal}/attachments", limitBody(max(cfg.MaxUploadBytes, cfg.MaxBodyBytes), api))
	// Open311 GeoReport v2 for regional integrators: an adapter over the appeals gRPC API.
	root.Handle(open311.Prefix, withTimeout(cfg.RequestTimeout, open311.Handler(
		appealsv1.NewAppealServiceClient(ready["appeals"]), open311.Options{MaxBodyBytes: cfg.MaxBodyBytes, Logger: cfg.Logger})))
	root.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openapi.JSON)
	})
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	root.Handle("GET /readyz", readiness(ready))
	root.Handle("/", spa(cfg.StaticDir))

	var handler http.Handler = root
	if len(cfg.CORSOrigins) > 0 {
		handler = cors.New(cors.Options{
			AllowedOrigins:   cfg.CORSOrigins,
			AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete},
			AllowedHeaders:   []string{"Authorization", "Content-Type"},
			AllowCredentials: false,
			MaxAge:           600,
		}).Handler(handler)
	}
	return otelhttp.NewHandler(handler, "gateway"), closeFn, nil
}

// Run serves the gateway until ctx is done, then drains in-flight requests.
func Run(ctx context.Context, cfg Config) error {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	h, closeFn, err := Handler(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeFn()
	lis := cfg.Listener
	if lis == nil {
		if lis, err = net.Listen("tcp", cfg.Addr); err != nil {
			return err
		}
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	log.Info("gateway listening", "addr", lis.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(lis) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
