// Package auth verifies OIDC bearer tokens (JWT access tokens) for every
// service and carries the resulting Principal in the request context.
// Authorisation (what a role may do) lives in each service's app layer.
package auth

import (
	"context"
	"slices"
)

// Role is a city-administration role carried in the token's "roles" claim.
type Role string

const (
	RoleClerk      Role = "clerk"
	RoleHead       Role = "head"
	RoleCurator    Role = "curator"
	RoleViceMayor  Role = "vice_mayor"
	RoleMayor      Role = "mayor"
	RoleAdmin      Role = "admin"
	RoleIntegrator Role = "integrator"
	RoleAuditor    Role = "auditor"
)

// KnownRoles lists every role the system understands; others are dropped.
var KnownRoles = []Role{
	RoleClerk, RoleHead, RoleCurator, RoleViceMayor,
	RoleMayor, RoleAdmin, RoleIntegrator, RoleAuditor,
}

// Known reports whether r is one of KnownRoles.
func (r Role) Known() bool { return slices.Contains(KnownRoles, r) }

// Principal is the authenticated caller.
type Principal struct {
	Subject    string // stable user id ("sub")
	Login      string // "preferred_username"
	Name       string // full name, for display and audit
	Department string // subdivision code; empty for city-wide roles
	Official   string // id of the official in the organisation directory ("official" claim); may be empty
	Roles      []Role // known roles only
}

// Has reports whether the principal holds role r.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal stored by WithPrincipal (or the interceptors).
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
