package auth

import (
	"context"
	"errors"
	"slices"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// public reports whether a method is reachable without a token: probes and
// reflection must work for Kubernetes and grpcurl without credentials, and a service may
// declare some of its own methods public (full names, "/pkg.Service/Method"), e.g. a
// schedule residents read without signing in.
func public(fullMethod string, declared []string) bool {
	return strings.HasPrefix(fullMethod, "/grpc.health.v1.Health/") ||
		strings.HasPrefix(fullMethod, "/grpc.reflection.") ||
		slices.Contains(declared, fullMethod)
}

// authenticate verifies the "authorization: Bearer ..." metadata and returns
// a context carrying the principal.
func authenticate(ctx context.Context, v *Verifier) (context.Context, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	vals := md.Get("authorization")
	if len(vals) == 0 {
		return nil, status.Error(codes.Unauthenticated, `missing "authorization: Bearer <token>" metadata`)
	}
	scheme, raw, ok := strings.Cut(strings.TrimSpace(vals[0]), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, status.Error(codes.Unauthenticated, `authorization metadata must be "Bearer <token>"`)
	}
	p, err := v.Verify(ctx, strings.TrimSpace(raw))
	if err != nil {
		if errors.Is(err, ErrIssuerUnavailable) {
			return nil, status.Error(codes.Unavailable, "cannot verify token: OIDC issuer unavailable")
		}
		return nil, status.Error(codes.Unauthenticated, err.Error())
	}
	return WithPrincipal(ctx, p), nil
}

// UnaryServerInterceptor rejects calls without a valid bearer token
// (codes.Unauthenticated) and puts the Principal into the handler's context. The methods named
// in publicMethods run without a token (and without a principal, even if one is sent).
func UnaryServerInterceptor(v *Verifier, publicMethods ...string) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		if public(info.FullMethod, publicMethods) {
			return handler(ctx, req)
		}
		ctx, err := authenticate(ctx, v)
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
}

// StreamServerInterceptor is the streaming counterpart of UnaryServerInterceptor.
func StreamServerInterceptor(v *Verifier, publicMethods ...string) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		if public(info.FullMethod, publicMethods) {
			return handler(srv, ss)
		}
		ctx, err := authenticate(ss.Context(), v)
		if err != nil {
			return err
		}
		return handler(srv, &principalStream{ServerStream: ss, ctx: ctx})
	}
}

type principalStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *principalStream) Context() context.Context { return s.ctx }
