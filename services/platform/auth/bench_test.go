package auth_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
)

// BenchmarkVerify is the auth check every call pays: a signed token from the dev issuer,
// verified with the issuer's cached keys (signature, issuer, audience, expiry, claims).
// Compare runs with benchstat:
//
//	go test -run '^$' -bench Verify -benchmem -count 6 ./services/platform/auth > new.txt
func BenchmarkVerify(b *testing.B) {
	srv := httptest.NewUnstartedServer(nil)
	iss, err := devissuer.New(devissuer.Config{IssuerURL: "http://" + srv.Listener.Addr().String()})
	if err != nil {
		b.Fatal(err)
	}
	srv.Config.Handler = iss.Handler()
	srv.Start()
	b.Cleanup(srv.Close)
	v := auth.NewVerifier(auth.Config{Issuer: iss.URL()})
	tok, err := iss.MintClaims("clerk.zhd", nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil { // fetches the keys once
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
