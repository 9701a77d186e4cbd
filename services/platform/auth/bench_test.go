package auth_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
)

// BenchmarkVerify is the auth check every call pays once a client's token has been seen: the
// verdict from the token cache (hash of the token, expiry and key-set generation checked).
// BenchmarkVerifyUncached is the full check a new token gets: signature against the issuer's
// cached keys, issuer, audience, expiry, claims. Compare runs with benchstat:
//
//	go test -run '^$' -bench Verify -benchmem -count 6 ./services/platform/auth > new.txt
func BenchmarkVerify(b *testing.B) {
	benchVerify(b, (*auth.Verifier).Verify)
}

func BenchmarkVerifyUncached(b *testing.B) {
	benchVerify(b, (*auth.Verifier).VerifyUncached)
}

func benchVerify(b *testing.B, verify func(*auth.Verifier, context.Context, string) (auth.Principal, error)) {
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
	time.Sleep(300 * time.Millisecond) // verdicts reached while keys are fetched are not cached
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := verify(v, ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
