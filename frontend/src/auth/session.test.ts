import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from 'oidc-client-ts';
import { SessionExpiredError } from '../api/errors';
import { Session } from './session';
import { principalFromClaims, decodeJwtPayload } from './principal';

const b64 = (o: unknown) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (claims: unknown) => `${b64({ alg: 'RS256' })}.${b64(claims)}.sig`;
const user = (token: string, refresh = 'r1') => ({ access_token: token, refresh_token: refresh, expired: false, profile: {}, state: undefined }) as unknown as User;

function session() {
  const s = new Session({ issuer: 'http://issuer.test/oidc', clientId: 'cityhall-spa', apiBaseUrl: 'http://api.test' }, 'http://app.test');
  (s as unknown as { set(u: User | null): void }).set(user('t1'));
  const signIn = vi.spyOn(s, 'signIn').mockResolvedValue();
  vi.spyOn(s.mgr, 'removeUser').mockResolvedValue();
  return { s, signIn };
}

afterEach(() => vi.unstubAllGlobals());

describe('session', () => {
  it('reads the principal from the access token (UTF-8 names)', () => {
    const claims = decodeJwtPayload(jwt({ preferred_username: 'clerk.zhd', name: 'Иванова Мария', roles: ['clerk'], department: 'KUR-ZHD' }))!;
    expect(principalFromClaims(claims)).toEqual({ login: 'clerk.zhd', name: 'Иванова Мария', roles: ['clerk'], department: 'KUR-ZHD' });
  });

  it('adds the bearer token; on 401 renews once and retries the same request', async () => {
    const { s } = session();
    vi.spyOn(s.mgr, 'signinSilent').mockResolvedValue(user('t2', 'r2'));
    const seen: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        seen.push(`${req.headers.get('Authorization')} ${await req.text()}`);
        return new Response('{}', { status: seen.length === 1 ? 401 : 200 });
      }),
    );
    const res = await s.fetch(new Request('http://api.test/v1/appeals?requestId=x', { method: 'POST', body: '{"text":"a"}' }));
    expect(res.status).toBe(200);
    expect(seen).toEqual(['Bearer t1 {"text":"a"}', 'Bearer t2 {"text":"a"}']);
    expect(s.expired).toBe(false);
  });

  it('when renewal fails, expires the session and signs in again, returning to the page', async () => {
    const { s, signIn } = session();
    vi.spyOn(s.mgr, 'signinSilent').mockRejectedValue(new Error('invalid_grant'));
    vi.spyOn(s.mgr, 'getUser').mockResolvedValue(null);
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 401 })));
    window.history.replaceState(null, '', '/appeals/new?x=1');
    await expect(s.fetch(new Request('http://api.test/v1/appeals'))).rejects.toBeInstanceOf(SessionExpiredError);
    expect(s.expired).toBe(true);
    await vi.waitFor(() => expect(signIn).toHaveBeenCalledWith('/appeals/new?x=1'));
    expect(sessionStorage.getItem('cityhall:reauth')).toBe('1');
  });
});
