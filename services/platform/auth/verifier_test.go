package auth_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
	"github.com/cityhall-khv/cityhall/services/platform/testkit"
)

// issuer serves a devissuer on an httptest server that the test may close
// early. It answers 503 until up is set, like an issuer still starting.
func issuer(t *testing.T) (*devissuer.Issuer, *httptest.Server, *atomic.Bool) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	iss, err := devissuer.New(devissuer.Config{IssuerURL: "http://" + srv.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	up := new(atomic.Bool)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		iss.Handler().ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(srv.Close)
	return iss, srv, up
}

// upIssuer is issuer, already up.
func upIssuer(t *testing.T) (*devissuer.Issuer, *httptest.Server) {
	iss, srv, up := issuer(t)
	up.Store(true)
	return iss, srv
}

func mint(t *testing.T, iss *devissuer.Issuer, login string, overrides map[string]any) string {
	t.Helper()
	tok, err := iss.MintClaims(login, overrides)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyAcceptsValidToken(t *testing.T) {
	iss, _ := upIssuer(t)
	v := auth.NewVerifier(auth.Config{Issuer: iss.URL()})
	p, err := v.Verify(context.Background(), mint(t, iss, "head.zhd", map[string]any{"roles": []string{"head", "superuser", "head"}}))
	if err != nil {
		t.Fatal(err)
	}
	// Unknown and repeated roles are dropped.
	if p.Login != "head.zhd" || p.Department != "KUR-ZHD" || !slices.Equal(p.Roles, []auth.Role{auth.RoleHead}) {
		t.Fatalf("principal = %+v", p)
	}
	if !p.Has(auth.RoleHead) || p.Has(auth.RoleMayor) {
		t.Fatal("Has is wrong")
	}
}

func TestVerifyRejects(t *testing.T) {
	iss, _ := upIssuer(t)
	// Another issuer at the same URL: same claims, a different key.
	other, err := devissuer.New(devissuer.Config{IssuerURL: iss.URL()})
	if err != nil {
		t.Fatal(err)
	}
	otherTok, err := other.Mint("clerk.zhd")
	if err != nil {
		t.Fatal(err)
	}
	good := mint(t, iss, "clerk.zhd", nil)
	parts := strings.Split(good, ".")
	// Tampered: a mayor's claims with the clerk's signature.
	mayorClaims := strings.Split(mint(t, iss, "mayor", nil), ".")[1]
	tampered := parts[0] + "." + mayorClaims + "." + parts[2]
	// HS256 signed with the public JWKS-like secret: algorithm confusion.
	hsHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	mac := hmac.New(sha256.New, []byte("secret"))
	mac.Write([]byte(hsHeader + "." + parts[1]))
	hs := hsHeader + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."

	past := time.Now().Add(-time.Hour).Unix()
	cases := map[string]struct{ tok, want string }{
		"expired":         {mint(t, iss, "clerk.zhd", map[string]any{"exp": past, "iat": past - 60, "nbf": past - 60}), "expired"},
		"no exp":          {mint(t, iss, "clerk.zhd", map[string]any{"exp": nil}), "no exp"},
		"not yet valid":   {mint(t, iss, "clerk.zhd", map[string]any{"nbf": time.Now().Add(time.Hour).Unix()}), "nbf"},
		"wrong audience":  {mint(t, iss, "clerk.zhd", map[string]any{"aud": []string{"cityhall-cli", "other"}}), "audience"},
		"wrong issuer":    {mint(t, iss, "clerk.zhd", map[string]any{"iss": "http://evil.example"}), "issued by a different provider"},
		"tampered":        {tampered, "signature"},
		"other key":       {otherTok, "signature"},
		"hs256":           {hs, "malformed"},
		"alg none":        {none, "malformed"},
		"garbage":         {"not-a-jwt", "malformed"},
		"empty":           {"", "empty"},
		"id token":        {mint(t, iss, "clerk.zhd", map[string]any{"at_hash": "x"}), "ID token"},
		"no subject":      {mint(t, iss, "clerk.zhd", map[string]any{"sub": nil}), "subject"},
		"roles not array": {mint(t, iss, "clerk.zhd", map[string]any{"roles": "admin"}), "claims"},
	}
	v := auth.NewVerifier(auth.Config{Issuer: iss.URL()})
	if _, err := v.Verify(context.Background(), good); err != nil {
		t.Fatalf("control token rejected: %v", err)
	}
	for name, c := range cases {
		_, err := v.Verify(context.Background(), c.tok)
		if !errors.Is(err, auth.ErrInvalidToken) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want ErrInvalidToken mentioning %q", name, err, c.want)
		}
	}
}

// TestVerifyWorksOnCachedKeysWhileIssuerIsDown: once the keys are fetched,
// the issuer may go away; a token with an unknown key is still rejected.
func TestVerifyWorksOnCachedKeysWhileIssuerIsDown(t *testing.T) {
	iss, srv, up := issuer(t)
	v := auth.NewVerifier(auth.Config{Issuer: iss.URL()}) // issuer not up yet: fine
	ctx := context.Background()
	if _, err := v.Verify(ctx, mint(t, iss, "admin", nil)); !errors.Is(err, auth.ErrIssuerUnavailable) {
		t.Fatalf("issuer down before first use: err = %v, want ErrIssuerUnavailable", err)
	}
	up.Store(true)
	if _, err := v.Verify(ctx, mint(t, iss, "admin", nil)); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	p, err := v.Verify(ctx, mint(t, iss, "auditor", nil))
	if err != nil || !p.Has(auth.RoleAuditor) {
		t.Fatalf("after issuer shutdown: %+v, %v", p, err)
	}
	other, err := devissuer.New(devissuer.Config{IssuerURL: iss.URL()})
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := other.Mint("admin")
	if _, err := v.Verify(ctx, foreign); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("unknown key while issuer is down: err = %v", err)
	}
}

func TestVerifyWithExplicitJWKSURL(t *testing.T) {
	iss, srv := upIssuer(t)
	v := auth.NewVerifier(auth.Config{Issuer: iss.URL(), JWKSURL: srv.URL + "/keys", Audience: "cityhall"})
	if _, err := v.Verify(context.Background(), mint(t, iss, "integrator", nil)); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyCachedTokenStillExpires: a token verified (and remembered) while valid is refused
// once the clock passes its exp, though its signature is not checked again.
func TestVerifyCachedTokenStillExpires(t *testing.T) {
	iss, srv := upIssuer(t)
	clock := new(testkit.Clock)
	v := auth.NewVerifier(auth.Config{Issuer: iss.URL(), Now: clock.Now})
	ctx := context.Background()
	exp := time.Now().Add(10 * time.Minute).Truncate(time.Second)
	tok := mint(t, iss, "clerk.zhd", map[string]any{"exp": exp.Unix()})
	verifyUntilCached(t, v, tok)
	srv.Close() // from here on nothing can be fetched: the cached keys and verdicts only
	if p, err := v.Verify(ctx, tok); err != nil || p.Login != "clerk.zhd" {
		t.Fatalf("before exp: %+v, %v", p, err)
	}
	clock.AdvanceTo(exp.Add(time.Second))
	if v.Cached(tok) {
		t.Fatal("an expired token is still answered from the cache")
	}
	if _, err := v.Verify(ctx, tok); !errors.Is(err, auth.ErrInvalidToken) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("after exp: err = %v, want an expired token refused", err)
	}
}

// TestVerifyForgetsTokensWhenKeysChange: a token verified with a key the issuer has since
// dropped is refused once the verifier has fetched the new key set (a token with an unknown
// kid), even though it was cached.
func TestVerifyForgetsTokensWhenKeysChange(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	url := "http://" + srv.Listener.Addr().String()
	oldKey, err := devissuer.New(devissuer.Config{IssuerURL: url})
	if err != nil {
		t.Fatal(err)
	}
	newKey, err := devissuer.New(devissuer.Config{IssuerURL: url})
	if err != nil {
		t.Fatal(err)
	}
	var current atomic.Pointer[devissuer.Issuer]
	current.Store(oldKey)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		current.Load().Handler().ServeHTTP(w, r)
	})
	srv.Start()
	t.Cleanup(srv.Close)

	v := auth.NewVerifier(auth.Config{Issuer: url})
	ctx := context.Background()
	old := mint(t, oldKey, "clerk.zhd", nil)
	verifyUntilCached(t, v, old)
	current.Store(newKey) // the issuer rotates: the old key is no longer published
	if !v.Cached(old) {
		t.Fatal("the old key's token is not cached")
	}
	if _, err := v.Verify(ctx, old); err != nil {
		t.Fatalf("old key before the verifier has seen the new set: %v (still trusted, as the key cache does)", err)
	}
	if _, err := v.Verify(ctx, mint(t, newKey, "head.zhd", nil)); err != nil {
		t.Fatalf("new key: %v", err)
	}
	if _, err := v.Verify(ctx, old); !errors.Is(err, auth.ErrInvalidToken) {
		t.Fatalf("cached token of a dropped key after the key set was refetched: err = %v, want refused", err)
	}
}

// verifyUntilCached verifies tok until its verdict is remembered: the verdict of a call made
// while the keys are being fetched (the first ones) is not. Bounded.
func verifyUntilCached(t *testing.T, v *auth.Verifier, tok string) {
	t.Helper()
	for i := 0; i < 100 && !v.Cached(tok); i++ {
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !v.Cached(tok) {
		t.Fatal("a verified token is not cached")
	}
}
