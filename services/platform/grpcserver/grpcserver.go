// Package grpcserver builds the gRPC server every service runs: recovery, tracing, logging,
// authentication, request validation and error hygiene, plus health and reflection.
package grpcserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"buf.build/go/protovalidate"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/cityhall-khv/cityhall/services/platform/apierr"
	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/pgdb"
)

// Config is the gRPC part of a service's settings.
type Config struct {
	Addr         string `env:"GRPC_ADDR" default:"127.0.0.1:9090" desc:"gRPC listen address"`
	MaxRecvBytes int    `env:"GRPC_MAX_RECV_BYTES" default:"4194304" desc:"largest request message accepted"`
}

// Server is a gRPC server with its health service.
type Server struct {
	*grpc.Server
	Health *health.Server
	log    *slog.Logger
}

// New builds the server. domain is the service's ErrorInfo domain ("appeals.cityhall");
// publicMethods are the full names of the service's methods callable without a token.
func New(cfg Config, domain apierr.Domain, verifier *auth.Verifier, logger *slog.Logger, publicMethods ...string) (*Server, error) {
	validator, err := protovalidate.New()
	if err != nil {
		return nil, fmt.Errorf("protovalidate: %w", err)
	}
	maxRecv := cfg.MaxRecvBytes
	if maxRecv <= 0 {
		maxRecv = 4 << 20
	}
	logOpts := []logging.Option{logging.WithLogOnEvents(logging.FinishCall)}
	recoverOpt := recovery.WithRecoveryHandlerContext(func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic in handler", "panic", p, "stack", string(debug.Stack()))
		return status.Error(codes.Internal, "internal error")
	})
	srv := grpc.NewServer(
		grpc.MaxRecvMsgSize(maxRecv),
		grpc.StatsHandler(otelgrpc.NewServerHandler()),
		grpc.ChainUnaryInterceptor(
			recovery.UnaryServerInterceptor(recoverOpt),
			logging.UnaryServerInterceptor(slogAdapter(logger), logOpts...),
			errorHygiene(domain, logger),
			auth.UnaryServerInterceptor(verifier, publicMethods...),
			validate(domain, validator),
		),
		grpc.ChainStreamInterceptor(
			recovery.StreamServerInterceptor(recoverOpt),
			logging.StreamServerInterceptor(slogAdapter(logger), logOpts...),
			auth.StreamServerInterceptor(verifier, publicMethods...),
		),
	)
	hs := health.NewServer()
	healthpb.RegisterHealthServer(srv, hs)
	reflection.Register(srv)
	return &Server{Server: srv, Health: hs, log: logger}, nil
}

// Serve listens on addr until ctx is done, then stops taking new calls and drains the
// ones in flight for up to drain before cutting them off.
func (s *Server) Serve(ctx context.Context, lis net.Listener, drain time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.Server.Serve(lis) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.Health.Shutdown() // readiness goes NOT_SERVING first so balancers stop sending
	done := make(chan struct{})
	go func() { s.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(drain):
		s.Stop()
	}
	return nil
}

// validate checks every request against its protovalidate rules and answers
// INVALID_ARGUMENT with field violations.
func validate(domain apierr.Domain, v protovalidate.Validator) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		if m, ok := req.(proto.Message); ok {
			if err := v.Validate(m); err != nil {
				if verr := apierr.FromValidation(domain, err); verr != nil {
					return nil, verr
				}
				return nil, status.Error(codes.Internal, "validation rules failed to compile")
			}
		}
		return next(ctx, req)
	}
}

// errorHygiene keeps internals out of answers: an unreachable database becomes UNAVAILABLE,
// any error without a status becomes INTERNAL with a generic message (the details are logged).
func errorHygiene(domain apierr.Domain, logger *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		resp, err := next(ctx, req)
		if err == nil {
			return resp, nil
		}
		if _, ok := status.FromError(err); ok {
			return resp, err
		}
		switch {
		case errors.Is(err, context.Canceled):
			return nil, status.Error(codes.Canceled, "request cancelled")
		case errors.Is(err, context.DeadlineExceeded):
			return nil, status.Error(codes.DeadlineExceeded, "deadline exceeded")
		case pgdb.IsUnavailable(err):
			logger.WarnContext(ctx, "database unavailable", "method", info.FullMethod, "err", err)
			return nil, domain.Unavailable("the database")
		}
		logger.ErrorContext(ctx, "internal error", "method", info.FullMethod, "err", err)
		return nil, status.Error(codes.Internal, "internal error")
	}
}

func slogAdapter(l *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(ctx context.Context, lvl logging.Level, msg string, fields ...any) {
		l.Log(ctx, slog.Level(lvl), msg, fields...)
	})
}
