package testkit

import (
	"net/http/httptest"
	"testing"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
)

// TestIssuer is a development OIDC issuer serving on 127.0.0.1 for a test.
type TestIssuer struct {
	URL    string // issuer URL (tokens' iss)
	Issuer *devissuer.Issuer
}

// StartIssuer starts a devissuer with the default users on an httptest
// server; it is closed when the test ends.
func StartIssuer(t testing.TB) *TestIssuer {
	t.Helper()
	// The issuer URL must be known before the handler is built: the
	// unstarted server already holds its listener.
	srv := httptest.NewUnstartedServer(nil)
	iss, err := devissuer.New(devissuer.Config{IssuerURL: "http://" + srv.Listener.Addr().String()})
	if err != nil {
		srv.Close()
		t.Fatalf("testkit: start issuer: %v", err)
	}
	srv.Config.Handler = iss.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &TestIssuer{URL: iss.URL(), Issuer: iss}
}

// Token returns a signed access token for one of the default users
// (clerk.zhd, head.zhd, curator, mayor, admin, ...).
func (ti *TestIssuer) Token(t testing.TB, login string) string {
	t.Helper()
	tok, err := ti.Issuer.Mint(login)
	if err != nil {
		t.Fatalf("testkit: token for %q: %v", login, err)
	}
	return tok
}

// AuthConfig is the auth.Config a service under test should use.
func (ti *TestIssuer) AuthConfig() auth.Config {
	return auth.Config{Issuer: ti.URL, Audience: auth.DefaultAudience}
}
