package devissuer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Login signs a user in the way a browser would, as client "cityhall-cli":
// authorization code flow with PKCE S256 against the issuer's real endpoints.
// It fetches the login form, posts the credentials, follows the redirects up
// to the (never listened on) loopback redirect URI, takes the code from it and
// exchanges it. It returns the access token. Wrong credentials give an error
// wrapping ErrInvalidCredentials.
func Login(ctx context.Context, issuerURL, login, password string) (string, error) {
	tok, err := codeFlow(ctx, issuerURL, CLIClientID, CLIRedirectURI, []string{"openid", "profile"}, login, password)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// codeFlow drives the flow for any registered client; tests use it for the SPA.
func codeFlow(ctx context.Context, issuerURL, clientID, redirectURI string, scopes []string, login, password string) (*oauth2.Token, error) {
	issuerURL = strings.TrimSuffix(issuerURL, "/")
	hc := &http.Client{
		Timeout: 30 * time.Second,
		// Each hop is inspected: the last one goes to a URI nobody serves.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	var disc struct {
		Issuer   string `json:"issuer"`
		AuthURL  string `json:"authorization_endpoint"`
		TokenURL string `json:"token_endpoint"`
	}
	if err := getJSON(ctx, hc, issuerURL+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, fmt.Errorf("devissuer: discovery: %w", err)
	}
	if disc.Issuer != issuerURL {
		return nil, fmt.Errorf("devissuer: discovery: issuer is %q, want %q", disc.Issuer, issuerURL)
	}
	conf := oauth2.Config{
		ClientID:    clientID,
		Endpoint:    oauth2.Endpoint{AuthURL: disc.AuthURL, TokenURL: disc.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: redirectURI,
		Scopes:      scopes,
	}
	verifier, state := oauth2.GenerateVerifier(), oauth2.GenerateVerifier()

	// 1. /authorize redirects to the login form.
	resp, err := send(ctx, hc, http.MethodGet, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), nil)
	if err != nil {
		return nil, err
	}
	formURL, err := redirectTarget(resp)
	if err != nil {
		return nil, fmt.Errorf("devissuer: authorize: %w", err)
	}
	// 2. The form.
	if resp, err = send(ctx, hc, http.MethodGet, formURL.String(), nil); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("devissuer: login form: %s", resp.Status)
	}
	// 3. The credentials; the auth request id travels in the form's URL.
	form := url.Values{"id": {formURL.Query().Get("authRequestID")}, "login": {login}, "password": {password}}
	if resp, err = send(ctx, hc, http.MethodPost, formURL.String(), form); err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return nil, fmt.Errorf("%w (user %q)", ErrInvalidCredentials, login)
	}
	// 4. Follow the provider's redirects until it points at our redirect URI.
	var next *url.URL
	for hop := 0; ; hop++ {
		if next, err = redirectTarget(resp); err != nil {
			return nil, fmt.Errorf("devissuer: login: %w", err)
		}
		if strings.HasPrefix(next.String(), redirectURI) || hop == 5 {
			break
		}
		if resp, err = send(ctx, hc, http.MethodGet, next.String(), nil); err != nil {
			return nil, err
		}
	}
	q := next.Query()
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("devissuer: authorization failed: %s: %s", e, q.Get("error_description"))
	}
	if !strings.HasPrefix(next.String(), redirectURI) || q.Get("code") == "" {
		return nil, fmt.Errorf("devissuer: login did not end at %s (got %s)", redirectURI, next.Redacted())
	}
	if q.Get("state") != state {
		return nil, fmt.Errorf("devissuer: state mismatch in the redirect")
	}
	// 5. Exchange the code (with the PKCE verifier) for tokens.
	tok, err := conf.Exchange(context.WithValue(ctx, oauth2.HTTPClient, hc), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("devissuer: token exchange: %w", err)
	}
	return tok, nil
}

// send performs one request and closes the body after reading (a little of) it.
func send(ctx context.Context, hc *http.Client, method, target string, form url.Values) (*http.Response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("devissuer: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp, nil
}

// redirectTarget returns the absolute Location of a redirect response.
func redirectTarget(resp *http.Response) (*url.URL, error) {
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return nil, fmt.Errorf("expected a redirect from %s, got %s", resp.Request.URL.Redacted(), resp.Status)
	}
	return resp.Location()
}

func getJSON(ctx context.Context, hc *http.Client, target string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", target, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
