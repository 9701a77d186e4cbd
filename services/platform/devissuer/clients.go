package devissuer

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Registered public clients.
const (
	SPAClientID = "cityhall-spa"
	CLIClientID = "cityhall-cli"
	// CLIRedirectURI is the CLI's loopback redirect; the port may differ
	// (RFC 8252), and Login never listens on it.
	CLIRedirectURI = "http://127.0.0.1/callback"
)

// spaOrigins are where the SPA runs in development (gateway and Vite).
var spaOrigins = []string{"http://localhost:8080", "http://127.0.0.1:8080", "http://localhost:5173"}

// client implements op.Client and op.HasRedirectGlobs.
type client struct {
	id          string
	appType     op.ApplicationType
	redirects   []string
	globs       []string // doublestar patterns for redirect_uri
	logoutGlobs []string // path.Match patterns for post_logout_redirect_uri
	devMode     bool
	loginURL    func(authRequestID string) string
	grantTypes  []oidc.GrantType
}

var _ op.HasRedirectGlobs = (*client)(nil)

func newClients(issuerURL string) map[string]*client {
	loginURL := func(id string) string { return issuerURL + loginPath + "?authRequestID=" + url.QueryEscape(id) }
	spa := &client{
		id:      SPAClientID,
		appType: op.ApplicationTypeUserAgent,
		// devMode: http redirect URIs and the globs below are dev-only conveniences.
		devMode:    true,
		loginURL:   loginURL,
		grantTypes: []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken},
	}
	for _, o := range withIssuerOrigin(spaOrigins, issuerURL) {
		spa.redirects = append(spa.redirects, o+"/")
		spa.globs = append(spa.globs, o+"/**")
		spa.logoutGlobs = append(spa.logoutGlobs, o+"/*", o+"/*/*")
	}
	cli := &client{
		id:         CLIClientID,
		appType:    op.ApplicationTypeNative,
		redirects:  []string{CLIRedirectURI},
		loginURL:   loginURL,
		grantTypes: []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken},
	}
	return map[string]*client{spa.id: spa, cli.id: cli}
}

func (c *client) GetID() string                        { return c.id }
func (c *client) RedirectURIs() []string               { return c.redirects }
func (c *client) PostLogoutRedirectURIs() []string     { return c.redirects }
func (c *client) RedirectURIGlobs() []string           { return c.globs }
func (c *client) PostLogoutRedirectURIGlobs() []string { return c.logoutGlobs }
func (c *client) ApplicationType() op.ApplicationType  { return c.appType }
func (c *client) AuthMethod() oidc.AuthMethod          { return oidc.AuthMethodNone } // public, PKCE
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType         { return c.grantTypes }
func (c *client) LoginURL(id string) string            { return c.loginURL(id) }
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *client) IDTokenLifetime() time.Duration       { return time.Hour }
func (c *client) DevMode() bool                        { return c.devMode }
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// withIssuerOrigin adds the issuer's own origin (and its localhost/127.0.0.1 twin): in the
// all-in-one command the SPA is served by the same server as the issuer, on whatever port.
func withIssuerOrigin(origins []string, issuerURL string) []string {
	u, err := url.Parse(issuerURL)
	if err != nil || u.Host == "" {
		return origins
	}
	out := slices.Clone(origins)
	for _, host := range []string{u.Host, strings.Replace(u.Host, "localhost", "127.0.0.1", 1), strings.Replace(u.Host, "127.0.0.1", "localhost", 1)} {
		if o := u.Scheme + "://" + host; !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
