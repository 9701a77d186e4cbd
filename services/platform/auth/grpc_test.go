package auth_test

import (
	"context"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

const method = "/cityhall.appeals.v1.AppealService/GetAppeal"

func TestUnaryInterceptor(t *testing.T) {
	iss, _ := upIssuer(t)
	icpt := auth.UnaryServerInterceptor(auth.NewVerifier(auth.Config{Issuer: iss.URL()}))
	var seen *auth.Principal
	handler := func(ctx context.Context, _ any) (any, error) {
		if p, ok := auth.FromContext(ctx); ok {
			seen = &p
		}
		return "ok", nil
	}
	call := func(fullMethod string, md metadata.MD) error {
		seen = nil
		ctx := context.Background()
		if md != nil {
			ctx = metadata.NewIncomingContext(ctx, md)
		}
		_, err := icpt(ctx, nil, &grpc.UnaryServerInfo{FullMethod: fullMethod}, handler)
		return err
	}

	for name, md := range map[string]metadata.MD{
		"no metadata":   nil,
		"no header":     metadata.Pairs("x-other", "1"),
		"basic":         metadata.Pairs("authorization", "Basic Zm9vOmJhcg=="),
		"bearer only":   metadata.Pairs("authorization", "Bearer"),
		"invalid token": metadata.Pairs("authorization", "Bearer abc.def.ghi"),
	} {
		if err := call(method, md); status.Code(err) != codes.Unauthenticated || status.Convert(err).Message() == "" {
			t.Errorf("%s: err = %v, want Unauthenticated with a message", name, err)
		}
		if seen != nil {
			t.Errorf("%s: handler ran", name)
		}
	}

	tok := mint(t, iss, "clerk.ind", nil)
	if err := call(method, metadata.Pairs("authorization", "bearer "+tok)); err != nil {
		t.Fatal(err)
	}
	if seen == nil || seen.Login != "clerk.ind" || seen.Department != "KUR-IND" {
		t.Fatalf("principal in handler = %+v", seen)
	}

	for _, m := range []string{"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"} {
		if err := call(m, nil); err != nil {
			t.Errorf("%s without token: %v", m, err)
		}
	}
}

// A service's declared public methods run without a token and without a principal (a sent
// token is ignored); its other methods still need one.
func TestDeclaredPublicMethods(t *testing.T) {
	iss, _ := upIssuer(t)
	const schedule = "/cityhall.outreach.v1.OutreachService/ListPublicMeetings"
	icpt := auth.UnaryServerInterceptor(auth.NewVerifier(auth.Config{Issuer: iss.URL()}), schedule)
	var principal bool
	handler := func(ctx context.Context, _ any) (any, error) {
		_, principal = auth.FromContext(ctx)
		return "ok", nil
	}
	if _, err := icpt(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: schedule}, handler); err != nil {
		t.Fatalf("declared public method without token: %v", err)
	}
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+mint(t, iss, "mayor", nil)))
	if _, err := icpt(ctx, nil, &grpc.UnaryServerInfo{FullMethod: schedule}, handler); err != nil || principal {
		t.Fatalf("declared public method with a token: err = %v, principal set = %v", err, principal)
	}
	if _, err := icpt(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: method}, handler); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("undeclared method without token: err = %v, want Unauthenticated", err)
	}
}

type fakeStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s fakeStream) Context() context.Context { return s.ctx }

func TestStreamInterceptor(t *testing.T) {
	iss, _ := upIssuer(t)
	icpt := auth.StreamServerInterceptor(auth.NewVerifier(auth.Config{Issuer: iss.URL()}))
	var login string
	handler := func(_ any, ss grpc.ServerStream) error {
		p, _ := auth.FromContext(ss.Context())
		login = p.Login
		return nil
	}
	info := &grpc.StreamServerInfo{FullMethod: method}
	if err := icpt(nil, fakeStream{ctx: context.Background()}, info, handler); status.Code(err) != codes.Unauthenticated {
		t.Fatalf("no token: err = %v", err)
	}
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+mint(t, iss, "mayor", nil)))
	if err := icpt(nil, fakeStream{ctx: ctx}, info, handler); err != nil || login != "mayor" {
		t.Fatalf("valid token: err = %v, login = %q", err, login)
	}
}

func TestIssuerDownIsUnavailable(t *testing.T) {
	iss, _, _ := issuer(t) // never up
	icpt := auth.UnaryServerInterceptor(auth.NewVerifier(auth.Config{Issuer: iss.URL()}))
	ctx := metadata.NewIncomingContext(context.Background(), metadata.Pairs("authorization", "Bearer "+mint(t, iss, "mayor", nil)))
	_, err := icpt(ctx, nil, &grpc.UnaryServerInfo{FullMethod: method}, func(context.Context, any) (any, error) { return nil, nil })
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("err = %v, want Unavailable", err)
	}
}
