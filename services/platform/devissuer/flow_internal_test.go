package devissuer

import (
	"context"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/cityhall-khv/cityhall/services/platform/auth"
)

// TestSPAFlowWithRefresh runs the SPA client's flow (offline_access) and
// refreshes the token, which must rotate the refresh token.
func TestSPAFlowWithRefresh(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	iss, err := New(Config{IssuerURL: "http://" + srv.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = iss.Handler()
	srv.Start()
	defer srv.Close()

	ctx := context.Background()
	tok, err := codeFlow(ctx, iss.URL(), SPAClientID, "http://localhost:5173/auth/callback",
		[]string{"openid", "profile", "offline_access"}, "curator", "demo")
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken == "" || tok.Extra("id_token") == nil {
		t.Fatalf("token response lacks refresh or ID token: %+v", tok)
	}
	v := auth.NewVerifier(auth.Config{Issuer: iss.URL()})
	// The ID token shares the audience but must not pass as an access token.
	if _, err := v.Verify(ctx, tok.Extra("id_token").(string)); err == nil {
		t.Fatal("ID token accepted as an access token")
	}

	conf := oauth2.Config{ClientID: SPAClientID, Endpoint: oauth2.Endpoint{
		TokenURL: iss.URL() + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
	tok.Expiry = tok.Expiry.Add(-24 * 3600e9) // force a refresh
	fresh, err := conf.TokenSource(ctx, tok).Token()
	if err != nil {
		t.Fatal(err)
	}
	if fresh.AccessToken == tok.AccessToken || fresh.RefreshToken == tok.RefreshToken {
		t.Fatal("refresh did not issue new tokens")
	}
	p, err := v.Verify(ctx, fresh.AccessToken)
	if err != nil || p.Login != "curator" || !p.Has(auth.RoleCurator) || p.Department != "" {
		t.Fatalf("refreshed principal = %+v, err = %v", p, err)
	}
	// The old refresh token is spent.
	if _, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err == nil {
		t.Fatal("a rotated refresh token was accepted again")
	}
}
