package devissuer_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
	"github.com/cityhall-khv/cityhall/services/platform/devissuer"
)

// serve starts an issuer at prefix ("" or e.g. "/oidc") of an httptest server.
func serve(t *testing.T, prefix string, cfg devissuer.Config) *devissuer.Issuer {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	cfg.IssuerURL = "http://" + srv.Listener.Addr().String() + prefix
	iss, err := devissuer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", iss.Handler())
	mux.HandleFunc("/other", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("not the issuer")) })
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return iss
}

func TestLoginFlowGivesVerifiableToken(t *testing.T) {
	for _, prefix := range []string{"", "/oidc"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			iss := serve(t, prefix, devissuer.Config{})
			ctx := context.Background()
			tok, err := devissuer.Login(ctx, iss.URL(), "clerk.zhd", "demo")
			if err != nil {
				t.Fatal(err)
			}
			p, err := auth.NewVerifier(auth.Config{Issuer: iss.URL()}).Verify(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			if p.Login != "clerk.zhd" || p.Department != "KUR-ZHD" || p.Name != "Иванова Мария Петровна" ||
				!slices.Equal(p.Roles, []auth.Role{auth.RoleClerk}) || p.Subject == "" || p.Subject == p.Login {
				t.Fatalf("principal = %+v", p)
			}
			// Mint gives the same principal as the flow.
			minted, err := iss.Mint("clerk.zhd")
			if err != nil {
				t.Fatal(err)
			}
			p2, err := auth.NewVerifier(auth.Config{Issuer: iss.URL()}).Verify(ctx, minted)
			if err != nil {
				t.Fatal(err)
			}
			if !equalPrincipal(p, p2) {
				t.Fatalf("minted %+v, flow %+v", p2, p)
			}
		})
	}
}

func equalPrincipal(a, b auth.Principal) bool {
	return a.Subject == b.Subject && a.Login == b.Login && a.Name == b.Name &&
		a.Department == b.Department && a.Official == b.Official && slices.Equal(a.Roles, b.Roles)
}

func TestCuratorTokenNamesTheOfficial(t *testing.T) {
	iss := serve(t, "", devissuer.Config{})
	ctx := context.Background()
	tok, err := devissuer.Login(ctx, iss.URL(), "curator", "demo")
	if err != nil {
		t.Fatal(err)
	}
	p, err := auth.NewVerifier(auth.Config{Issuer: iss.URL()}).Verify(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	// The id planning seeds the demo official «Васильев Андрей Игоревич» with.
	if p.Official != "4e064058-f01e-5cb7-acc2-82a71eb6a2d4" {
		t.Fatalf("official = %q", p.Official)
	}
}

func TestLoginRejectsWrongCredentials(t *testing.T) {
	iss := serve(t, "", devissuer.Config{})
	for _, c := range [][2]string{{"clerk.zhd", "wrong"}, {"nobody", "demo"}, {"clerk.zhd", ""}} {
		_, err := devissuer.Login(context.Background(), iss.URL(), c[0], c[1])
		if !errors.Is(err, devissuer.ErrInvalidCredentials) {
			t.Errorf("Login(%q, %q) err = %v, want ErrInvalidCredentials", c[0], c[1], err)
		}
	}
}

func TestLoginFormIsRussian(t *testing.T) {
	iss := serve(t, "/oidc", devissuer.Config{})
	resp, err := http.Get(iss.URL() + "/login?authRequestID=x")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, s := range []string{"Логин", "Пароль", "Войти"} {
		if !strings.Contains(string(body), s) {
			t.Errorf("login form lacks %q", s)
		}
	}
}

func TestDiscoveryAndUserinfo(t *testing.T) {
	iss := serve(t, "/oidc", devissuer.Config{})
	var disc map[string]any
	getJSON(t, iss.URL()+"/.well-known/openid-configuration", "", &disc)
	if disc["issuer"] != iss.URL() || disc["jwks_uri"] != iss.URL()+"/keys" ||
		!strings.HasPrefix(disc["authorization_endpoint"].(string), iss.URL()+"/") {
		t.Fatalf("discovery = %v", disc)
	}
	var keys struct{ Keys []map[string]any }
	getJSON(t, iss.URL()+"/keys", "", &keys)
	if len(keys.Keys) != 1 || keys.Keys[0]["kty"] != "RSA" || keys.Keys[0]["d"] != nil {
		t.Fatalf("jwks = %v", keys)
	}
	tok, err := iss.Mint("head.zhd")
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	getJSON(t, disc["userinfo_endpoint"].(string), tok, &info)
	if info["preferred_username"] != "head.zhd" || info["department"] != "KUR-ZHD" {
		t.Fatalf("userinfo = %v", info)
	}
}

func getJSON(t *testing.T, target, bearer string, v any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", target, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestRedirectURIs checks the SPA's prefix registrations and that a foreign
// redirect never reaches the login form.
func TestRedirectURIs(t *testing.T) {
	iss := serve(t, "", devissuer.Config{})
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for redirect, ok := range map[string]bool{
		"http://localhost:5173/":                  true,
		"http://localhost:8080/auth/callback?x=1": true,
		"http://127.0.0.1:8080/callback":          true,
		"http://evil.example/callback":            false,
		"http://localhost:9999/callback":          false,
		"http://localhost:8080.evil.example/x":    false,
	} {
		q := url.Values{
			"client_id": {devissuer.SPAClientID}, "redirect_uri": {redirect}, "response_type": {"code"},
			"scope": {"openid"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
			"code_challenge_method": {"S256"},
		}
		resp, err := hc.Get(iss.URL() + "/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		toLogin := resp.StatusCode == http.StatusFound && strings.Contains(resp.Header.Get("Location"), "/login?")
		if toLogin != ok {
			t.Errorf("redirect_uri %s: status %s location %q, want accepted=%v", redirect, resp.Status, resp.Header.Get("Location"), ok)
		}
	}
}

func TestKeyFilePersistsSigningKey(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "issuer-key.pem")
	first := serve(t, "", devissuer.Config{KeyFile: keyFile})
	tok, err := first.Mint("mayor")
	if err != nil {
		t.Fatal(err)
	}
	// A restart on the same URL: the same key must still verify old tokens.
	second, err := devissuer.New(devissuer.Config{IssuerURL: first.URL(), KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(second.Handler())
	defer srv.Close()
	v := auth.NewVerifier(auth.Config{Issuer: first.URL(), JWKSURL: srv.URL + "/keys"})
	if _, err := v.Verify(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
}

func TestUsers(t *testing.T) {
	users := devissuer.DefaultUsers()
	want := []string{"clerk.zhd", "clerk.ind", "clerk.oog", "head.zhd", "curator", "vicemayor", "mayor", "admin", "integrator", "auditor"}
	for _, login := range want {
		if !slices.ContainsFunc(users, func(u devissuer.User) bool { return u.Login == login && u.Password == "demo" && u.Name != "" }) {
			t.Errorf("default user %q missing", login)
		}
	}
	path := filepath.Join(t.TempDir(), "users.json")
	if err := os.WriteFile(path, []byte(`[{"login":"x","password":"p","roles":["vice-mayor"]}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := devissuer.LoadUsers(path); err == nil || !strings.Contains(err.Error(), "unknown role") {
		t.Fatalf("LoadUsers with a misspelt role: err = %v", err)
	}
}
