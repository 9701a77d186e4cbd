package auth

import "context"

// VerifyUncached is the full check Verify does when the token is not cached.
func (v *Verifier) VerifyUncached(ctx context.Context, raw string) (Principal, error) {
	p, _, err := v.verify(ctx, raw)
	return p, err
}

// Cached reports whether Verify would answer raw from the token cache now.
func (v *Verifier) Cached(raw string) bool {
	_, ok := v.cache.get(tokenKey(raw), v.cfg.Now(), v.keys.generation())
	return ok
}
