package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// DefaultAudience is the "aud" value every Cityhall access token must carry.
const DefaultAudience = "cityhall"

var (
	// ErrInvalidToken wraps every rejection of the token itself.
	ErrInvalidToken = errors.New("invalid token")
	// ErrIssuerUnavailable means the token could not be checked because the
	// issuer's discovery document was unreachable; the caller may retry.
	ErrIssuerUnavailable = errors.New("OIDC issuer unavailable")
)

// Config says which tokens a Verifier accepts.
type Config struct {
	Issuer   string // OIDC issuer URL; tokens' iss must equal it exactly
	Audience string // required aud; default "cityhall"
	JWKSURL  string // optional; default: discovered from Issuer, lazily on first use
	// Now is the clock for exp/nbf and the verified-token cache; default time.Now (tests move it).
	Now func() time.Time
}

// Verifier checks bearer JWTs against the issuer's JWKS. Keys are cached and
// refetched only when a token names an unknown kid, so tokens signed with a
// cached key keep verifying while the issuer is down. Verified tokens are
// remembered (see tokenCache), so a client's repeated calls with the same token
// skip the signature check.
type Verifier struct {
	cfg    Config
	client *http.Client
	keys   *keyFetches
	cache  *tokenCache

	mu sync.Mutex
	v  *oidc.IDTokenVerifier // nil until the first successful discovery
}

// Asymmetric algorithms only: an HMAC or "none" token is never accepted.
var signingAlgs = []string{
	oidc.RS256, oidc.RS384, oidc.RS512, oidc.PS256, oidc.PS384, oidc.PS512,
	oidc.ES256, oidc.ES384, oidc.ES512, oidc.EdDSA,
}

// NewVerifier returns a Verifier; it does not contact the issuer.
func NewVerifier(cfg Config) *Verifier {
	if cfg.Audience == "" {
		cfg.Audience = DefaultAudience
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	keys := &keyFetches{next: http.DefaultTransport}
	v := &Verifier{
		cfg:    cfg,
		client: &http.Client{Timeout: 10 * time.Second, Transport: keys},
		keys:   keys,
		cache:  newTokenCache(tokenCacheSize),
	}
	if cfg.JWKSURL != "" {
		v.v = oidc.NewVerifier(cfg.Issuer, oidc.NewRemoteKeySet(v.clientContext(), cfg.JWKSURL), v.oidcConfig())
	}
	return v
}

// clientContext carries the HTTP client (with a timeout, so a hung issuer
// cannot wedge key refreshes) into go-oidc, which configures itself via context.
func (v *Verifier) clientContext() context.Context {
	return oidc.ClientContext(context.Background(), v.client)
}

func (v *Verifier) oidcConfig() *oidc.Config {
	return &oidc.Config{ClientID: v.cfg.Audience, SupportedSigningAlgs: signingAlgs, Now: v.cfg.Now}
}

// verifier discovers the JWKS URL on first use; a failure is not cached, so
// the next call tries again. ctx bounds only the discovery request.
func (v *Verifier) verifier(ctx context.Context) (*oidc.IDTokenVerifier, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.v != nil {
		return v.v, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, v.client), v.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: %w: %v", ErrIssuerUnavailable, err)
	}
	v.v = p.VerifierContext(v.clientContext(), v.oidcConfig())
	return v.v, nil
}

// claims are the access-token claims Cityhall reads.
type claims struct {
	Subject    string   `json:"sub"`
	Login      string   `json:"preferred_username"`
	Name       string   `json:"name"`
	Department string   `json:"department"`
	Official   string   `json:"official"`
	Roles      []string `json:"roles"`
	AtHash     string   `json:"at_hash"` // only ID tokens carry it
	Typ        string   `json:"typ"`     // Keycloak: "Bearer" or "ID"
}

// Verify checks the signature (JWKS), iss, aud, exp and nbf of raw and returns
// the caller. Errors wrap ErrInvalidToken or ErrIssuerUnavailable.
func (v *Verifier) Verify(ctx context.Context, raw string) (Principal, error) {
	if raw == "" {
		return Principal{}, fmt.Errorf("auth: %w: empty token", ErrInvalidToken)
	}
	key := tokenKey(raw)
	now := v.cfg.Now()
	gen := v.keys.generation()
	if p, ok := v.cache.get(key, now, gen); ok {
		return p, nil
	}
	p, exp, err := v.verify(ctx, raw)
	if err != nil {
		return Principal{}, err
	}
	if v.keys.generation() != gen {
		// The key set was fetched while this token was checked: the verdict may rest on a key
		// that is gone now, so it is not remembered.
		return p, nil
	}
	v.cache.put(key, p, now, exp, gen)
	return p, nil
}

// verify is the full check: signature, claims, the token's exp.
func (v *Verifier) verify(ctx context.Context, raw string) (Principal, time.Time, error) {
	iv, err := v.verifier(ctx)
	if err != nil {
		return Principal{}, time.Time{}, err
	}
	tok, err := iv.Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) && expired.Expiry.IsZero() {
			return Principal{}, time.Time{}, fmt.Errorf("auth: %w: token has no exp (expiry)", ErrInvalidToken)
		}
		if errors.As(err, &expired) {
			return Principal{}, time.Time{}, fmt.Errorf("auth: %w: token expired at %s", ErrInvalidToken, expired.Expiry.UTC().Format(time.RFC3339))
		}
		return Principal{}, time.Time{}, fmt.Errorf("auth: %w: %v", ErrInvalidToken, err)
	}
	var c claims
	if err := tok.Claims(&c); err != nil {
		return Principal{}, time.Time{}, fmt.Errorf("auth: %w: claims: %v", ErrInvalidToken, err)
	}
	// An ID token may share the audience, but it is proof of login for the
	// client, not an API credential.
	if c.AtHash != "" || c.Typ == "ID" {
		return Principal{}, time.Time{}, fmt.Errorf("auth: %w: an ID token is not an access token", ErrInvalidToken)
	}
	if c.Subject == "" {
		return Principal{}, time.Time{}, fmt.Errorf("auth: %w: no subject", ErrInvalidToken)
	}
	p := Principal{Subject: c.Subject, Login: c.Login, Name: c.Name, Department: c.Department, Official: c.Official}
	for _, r := range c.Roles {
		if role := Role(r); role.Known() && !p.Has(role) {
			p.Roles = append(p.Roles, role)
		}
	}
	return p, tok.Expiry, nil
}
