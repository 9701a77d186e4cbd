package devissuer

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	authRequestTTL  = 10 * time.Minute // login form + code exchange must finish within it
	refreshTokenTTL = 7 * 24 * time.Hour
)

var errNotFound = errors.New("not found")

// storage is the in-memory op.Storage behind the provider.
type storage struct {
	users    map[string]*User // by login
	subjects map[string]*User // by sub
	clients  map[string]*client
	key      *signingKey
	audience string
	ttl      time.Duration

	mu       sync.Mutex
	requests map[string]*authRequest
	codes    map[string]string // code -> auth request id
	refresh  map[string]*refreshToken
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

// checkLogin completes auth request id for the user if the password matches.
func (s *storage) checkLogin(id, login, password string) error {
	u := s.users[login]
	if u == nil || subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) != 1 {
		return ErrInvalidCredentials
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return errNotFound
	}
	r.Subject, r.AuthTime, r.done = u.subject(), time.Now(), true
	return nil
}

// --- op.AuthStorage ---

func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired() // there is no SSO session to reuse
	}
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method=S256 is required")
	}
	r := &authRequest{
		ID: uuid.NewString(), Created: time.Now(), ClientID: req.ClientID, RedirectURI: req.RedirectURI,
		State: req.State, Nonce: req.Nonce, Scopes: req.Scopes, ResponseType: req.ResponseType,
		ResponseMode: req.ResponseMode, UILocales: req.UILocales,
		Challenge: &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod},
		audience:  []string{req.ClientID, s.audience},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune()
	s.requests[r.ID] = r
	return r.copy(), nil
}

// prune drops abandoned auth requests and expired refresh tokens so a
// long-running dev issuer does not grow without bound. Caller holds mu.
func (s *storage) prune() {
	now := time.Now()
	for id, r := range s.requests {
		if now.Sub(r.Created) > authRequestTTL {
			delete(s.requests, id)
		}
	}
	for code, id := range s.codes {
		if _, ok := s.requests[id]; !ok {
			delete(s.codes, code)
		}
	}
	for t, rt := range s.refresh {
		if now.After(rt.Expires) {
			delete(s.refresh, t)
		}
	}
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || time.Since(r.Created) > authRequestTTL {
		return nil, errors.New("auth request not found or expired")
	}
	return r.copy(), nil
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errors.New("code invalid or expired")
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// CreateAccessToken only issues an id and expiry: access tokens are
// self-contained JWTs, nothing is stored.
func (s *storage) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	return uuid.NewString(), time.Now().Add(s.ttl), nil
}

func (s *storage) CreateAccessAndRefreshTokens(_ context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	rt := &refreshToken{
		Token: uuid.NewString() + uuid.NewString(), Subject: req.GetSubject(),
		Audience: req.GetAudience(), Scopes: req.GetScopes(), Expires: time.Now().Add(refreshTokenTTL),
	}
	switch r := req.(type) {
	case *authRequest:
		rt.ClientID, rt.AuthTime, rt.AMR = r.ClientID, r.AuthTime, r.GetAMR()
	case *refreshToken:
		rt.ClientID, rt.AuthTime, rt.AMR = r.ClientID, r.AuthTime, r.AMR
	default:
		return "", "", time.Time{}, errors.New("unsupported token request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if current != "" { // rotation: the old refresh token is single-use
		if _, ok := s.refresh[current]; !ok {
			return "", "", time.Time{}, op.ErrInvalidRefreshToken
		}
		delete(s.refresh, current)
	}
	s.prune()
	s.refresh[rt.Token] = rt
	return uuid.NewString(), rt.Token, time.Now().Add(s.ttl), nil
}

func (s *storage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[token]
	if !ok || time.Now().After(rt.Expires) {
		return nil, op.ErrInvalidRefreshToken
	}
	cp := *rt
	cp.Scopes = slices.Clone(rt.Scopes)
	return &cp, nil
}

func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, rt := range s.refresh {
		if rt.Subject == userID && rt.ClientID == clientID {
			delete(s.refresh, t)
		}
	}
	return nil
}

// RevokeToken revokes refresh tokens; JWT access tokens simply expire.
func (s *storage) RevokeToken(_ context.Context, token, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt, ok := s.refresh[token]; ok {
		if rt.ClientID != clientID {
			return oidc.ErrInvalidClient().WithDescription("token was not issued for this client")
		}
		delete(s.refresh, token)
	}
	return nil
}

func (s *storage) GetRefreshTokenInfo(_ context.Context, _ string, token string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[token]
	if !ok {
		return "", "", op.ErrInvalidRefreshToken
	}
	return rt.Subject, rt.Token, nil
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{s.key.SignatureAlgorithm()}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

// --- op.OPStorage ---

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if c, ok := s.clients[id]; ok {
		return c, nil
	}
	return nil, errors.New("unknown client")
}

func (s *storage) AuthorizeClientIDSecret(context.Context, string, string) error {
	return errors.New("no confidential clients are registered")
}

// SetUserinfoFromScopes is deprecated in favour of SetUserinfoFromRequest.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	return s.setUserinfo(info, req.GetSubject(), scopes)
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	return s.setUserinfo(info, subject, []string{oidc.ScopeOpenID, oidc.ScopeProfile})
}

func (s *storage) setUserinfo(info *oidc.UserInfo, subject string, scopes []string) error {
	u := s.subjects[subject]
	if u == nil {
		return errors.New("user not found")
	}
	info.Subject = subject
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.PreferredUsername, info.Name = u.Login, u.Name
		info.Locale = oidc.NewLocale(language.Russian)
		for k, v := range userClaims(u) {
			info.AppendClaims(k, v)
		}
	}
	return nil
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("introspection is not supported: access tokens are JWTs")
}

// GetPrivateClaimsFromScopes puts the Cityhall claims into every JWT access
// token: services need them regardless of the scopes asked for.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, userID, _ string, _ []string) (map[string]any, error) {
	u := s.subjects[userID]
	if u == nil {
		return nil, errors.New("user not found")
	}
	return userClaims(u), nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("JWT profile grant is not supported")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("JWT profile grant is not supported")
}

func (s *storage) Health(context.Context) error { return nil }

// userClaims are the Cityhall-specific claims of an access token.
func userClaims(u *User) map[string]any {
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	claims := map[string]any{
		"preferred_username": u.Login,
		"name":               u.Name,
		"department":         u.Department,
		"roles":              roles,
	}
	if u.Official != "" {
		claims["official"] = u.Official
	}
	return claims
}

// authRequest implements op.AuthRequest.
type authRequest struct {
	ID           string
	Created      time.Time
	ClientID     string
	RedirectURI  string
	State        string
	Nonce        string
	Scopes       []string
	ResponseType oidc.ResponseType
	ResponseMode oidc.ResponseMode
	UILocales    []language.Tag
	Challenge    *oidc.CodeChallenge
	Subject      string
	AuthTime     time.Time
	done         bool
	audience     []string
}

// copy lets the op read a request without holding the storage lock.
func (r *authRequest) copy() *authRequest {
	cp := *r
	cp.Scopes = slices.Clone(r.Scopes)
	return &cp
}

func (r *authRequest) GetID() string         { return r.ID }
func (r *authRequest) GetACR() string        { return "" }
func (r *authRequest) GetAudience() []string { return r.audience }
func (r *authRequest) GetAuthTime() time.Time {
	return r.AuthTime
}
func (r *authRequest) GetClientID() string                   { return r.ClientID }
func (r *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return r.Challenge }
func (r *authRequest) GetNonce() string                      { return r.Nonce }
func (r *authRequest) GetRedirectURI() string                { return r.RedirectURI }
func (r *authRequest) GetResponseType() oidc.ResponseType    { return r.ResponseType }
func (r *authRequest) GetResponseMode() oidc.ResponseMode    { return r.ResponseMode }
func (r *authRequest) GetScopes() []string                   { return r.Scopes }
func (r *authRequest) GetState() string                      { return r.State }
func (r *authRequest) GetSubject() string                    { return r.Subject }
func (r *authRequest) Done() bool                            { return r.done }
func (r *authRequest) GetAMR() []string {
	if r.done {
		return []string{"pwd"}
	}
	return nil
}

// refreshToken is both the stored refresh token and its op.RefreshTokenRequest.
type refreshToken struct {
	Token    string
	ClientID string
	Subject  string
	Audience []string
	Scopes   []string
	AuthTime time.Time
	AMR      []string
	Expires  time.Time
}

func (t *refreshToken) GetAMR() []string             { return t.AMR }
func (t *refreshToken) GetAudience() []string        { return t.Audience }
func (t *refreshToken) GetAuthTime() time.Time       { return t.AuthTime }
func (t *refreshToken) GetClientID() string          { return t.ClientID }
func (t *refreshToken) GetScopes() []string          { return t.Scopes }
func (t *refreshToken) GetSubject() string           { return t.Subject }
func (t *refreshToken) SetCurrentScopes(sc []string) { t.Scopes = sc }
