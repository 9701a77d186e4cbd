// Package devissuer is the local and test OIDC provider: the certified
// zitadel/oidc "op" package with an in-memory store, users from a file and a
// plain HTML login form. Never use it in production (plain-text passwords).
package devissuer

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/pkg/crypto"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

const (
	loginPath     = "/login"
	loggedOutPath = "/logged-out"
)

// ErrInvalidCredentials is returned for a wrong login or password.
var ErrInvalidCredentials = errors.New("devissuer: invalid login or password")

// Config configures an Issuer.
type Config struct {
	// IssuerURL is the single source of truth for where the issuer lives,
	// e.g. "http://localhost:8080/oidc" or "http://127.0.0.1:9096". A trailing
	// slash is dropped. Handler serves the requests under its path.
	IssuerURL      string
	Users          []User        // default: DefaultUsers()
	Audience       string        // added to every token's aud; default "cityhall"
	AccessTokenTTL time.Duration // default 8h (a working day)
	// KeyFile, if set, persists the RSA signing key (PEM) so tokens survive a
	// restart; it is created on first start. Empty: a fresh key in memory.
	KeyFile string
}

// Issuer is a running development OIDC provider.
type Issuer struct {
	url      string
	st       *storage
	provider *op.Provider
	handler  http.Handler
}

// New builds the provider. It does not listen: serve Handler() yourself.
func New(cfg Config) (*Issuer, error) {
	issuer := strings.TrimSuffix(cfg.IssuerURL, "/")
	u, err := url.Parse(issuer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("devissuer: IssuerURL %q must be an absolute http(s) URL without query", cfg.IssuerURL)
	}
	if cfg.Users == nil {
		cfg.Users = DefaultUsers()
	} else if err := validateUsers(cfg.Users); err != nil {
		return nil, fmt.Errorf("devissuer: %w", err)
	}
	if cfg.Audience == "" {
		cfg.Audience = auth.DefaultAudience
	}
	if cfg.AccessTokenTTL == 0 {
		cfg.AccessTokenTTL = 8 * time.Hour
	}
	key, err := loadOrCreateKey(cfg.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("devissuer: signing key: %w", err)
	}
	st := &storage{
		users: map[string]*User{}, subjects: map[string]*User{}, clients: newClients(issuer),
		key: key, audience: cfg.Audience, ttl: cfg.AccessTokenTTL,
		requests: map[string]*authRequest{}, codes: map[string]string{}, refresh: map[string]*refreshToken{},
	}
	for _, u := range cfg.Users {
		st.users[u.Login], st.subjects[u.subject()] = &u, &u
	}

	opCfg := &op.Config{
		DefaultLogoutRedirectURI: issuer + loggedOutPath,
		CodeMethodS256:           true,
		GrantTypeRefreshToken:    true,
		SupportedUILocales:       []language.Tag{language.Russian, language.English},
		SupportedClaims:          append(slices.Clone(op.DefaultSupportedClaims), "roles", "department", "official"),
	}
	// The AES key only protects opaque tokens and codes; ours live for one run.
	if _, err := rand.Read(opCfg.CryptoKey[:]); err != nil {
		return nil, err
	}
	provider, err := op.NewProvider(opCfg, st, op.StaticIssuer(issuer), op.WithAllowInsecure())
	if err != nil {
		return nil, fmt.Errorf("devissuer: %w", err)
	}

	i := &Issuer{url: issuer, st: st, provider: provider}
	r := chi.NewRouter()
	r.Get(loginPath, i.loginForm)
	// The interceptor puts the issuer into the context for op.AuthCallbackURL.
	r.Post(loginPath, op.NewIssuerInterceptor(provider.IssuerFromRequest).HandlerFunc(i.loginSubmit))
	r.Get(loggedOutPath, loggedOut)
	r.Mount("/", provider)
	i.handler = r
	if prefix := strings.TrimSuffix(u.Path, "/"); prefix != "" {
		i.handler = http.StripPrefix(prefix, r)
	}
	return i, nil
}

// URL is the issuer identifier (the tokens' iss).
func (i *Issuer) URL() string { return i.url }

// Handler serves the whole provider (discovery, /keys, /authorize, /login,
// /oauth/token, /userinfo, /end_session, ...) at the IssuerURL's path: mount
// it at that path (e.g. mux.Handle("/oidc/", h)) or at the root of its own port.
func (i *Issuer) Handler() http.Handler { return i.handler }

// Mint signs an access token for a user directly, with the same claims and
// key as the login flow (client "cityhall-cli"). For tests and tools.
func (i *Issuer) Mint(login string) (string, error) { return i.MintClaims(login, nil) }

// MintClaims is Mint with claims replaced by overrides (a nil value removes
// the claim), for tests of rejected tokens: expired, wrong aud, ...
func (i *Issuer) MintClaims(login string, overrides map[string]any) (string, error) {
	u := i.st.users[login]
	if u == nil {
		return "", fmt.Errorf("devissuer: unknown user %q", login)
	}
	c := oidc.NewAccessTokenClaims(i.url, u.subject(), []string{CLIClientID, i.st.audience},
		time.Now().Add(i.st.ttl), uuid.NewString(), CLIClientID, 0)
	c.Claims = userClaims(u)
	data, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return "", err
	}
	for k, v := range overrides {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	signer, err := op.SignerFromKey(i.st.key)
	if err != nil {
		return "", err
	}
	return crypto.Sign(m, signer)
}
