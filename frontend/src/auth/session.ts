/**
 * The OIDC session: Authorization Code + PKCE (S256) with oidc-client-ts against the issuer
 * from the runtime config. Tokens live in sessionStorage (this tab, gone when the browser
 * closes). The access token is renewed with the refresh token (offline_access) before it
 * expires and when the API answers 401; when that fails, the user signs in again and comes
 * back to the same page (forms keep their drafts, see lib/drafts.ts).
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { RuntimeConfig } from '../config';
import { clearAllDrafts } from '../lib/drafts';
import { type Principal, decodeJwtPayload, principalFromClaims } from './principal';
import { SessionExpiredError } from '../api/errors';

export const CALLBACK_PATH = '/auth/callback';
const REAUTH_FLAG = 'cityhall:reauth';

/**
 * True when this page load completed a sign-in that an expired session asked for (the forms
 * then say that what they show was restored). Set by Session.start, cleared by clearResumed.
 */
let resumed = false;
export const resumedAfterExpiry = () => resumed;
export const clearResumed = () => {
  resumed = false;
};
/** After a completed sign-in: was it the one an expired session asked for? */
export function noteSignInReason(): void {
  try {
    resumed = window.sessionStorage.getItem(REAUTH_FLAG) === '1';
    window.sessionStorage.removeItem(REAUTH_FLAG);
  } catch {
    resumed = false;
  }
}

export const SIGNED_OUT_PATH = '/signed-out';

interface SignInState {
  returnTo?: string;
}

/** How long one API call may take before the app gives up on it (the gateway allows 30 s). */
export const REQUEST_TIMEOUT_MS = 35_000;

export type SessionListener = () => void;

/** What the interface needs of a session (tests provide a fake). */
export interface SessionApi {
  readonly principal: Principal | null;
  readonly expired: boolean;
  subscribe(l: SessionListener): () => void;
  signIn(returnTo?: string): Promise<void>;
  signOut(): Promise<void>;
}

export class Session implements SessionApi {
  readonly mgr: UserManager;
  private user: User | null = null;
  private renewing: Promise<boolean> | null = null;
  private listeners = new Set<SessionListener>();
  /** Set once the session could not be renewed and a sign-in redirect is under way. */
  expired = false;

  constructor(cfg: RuntimeConfig, origin = window.location.origin) {
    this.mgr = new UserManager({
      authority: cfg.issuer,
      client_id: cfg.clientId,
      redirect_uri: origin + CALLBACK_PATH,
      post_logout_redirect_uri: origin + SIGNED_OUT_PATH,
      response_type: 'code',
      scope: 'openid profile offline_access',
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: true,
      loadUserInfo: false,
      monitorSession: false,
      accessTokenExpiringNotificationTimeInSeconds: 120,
    });
    this.mgr.events.addUserLoaded((u) => this.set(u));
    this.mgr.events.addUserUnloaded(() => this.set(null));
    this.mgr.events.addSilentRenewError(() => {
      /* renew() handles failures when a request needs the token */
    });
  }

  private set(u: User | null) {
    this.user = u;
    this.listeners.forEach((l) => l());
  }

  subscribe(l: SessionListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Loads the stored user; on the callback path completes the sign-in and returns where to go. */
  async start(location: Location = window.location): Promise<{ returnTo: string | null }> {
    if (location.pathname === CALLBACK_PATH) {
      const u = await this.mgr.signinRedirectCallback();
      this.set(u);
      noteSignInReason();
      const returnTo = (u.state as SignInState | undefined)?.returnTo;
      return { returnTo: returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/' };
    }
    const u = await this.mgr.getUser();
    this.set(u);
    if (u?.expired) await this.renew();
    return { returnTo: null };
  }

  get signedIn(): boolean {
    return !!this.user && (!this.user.expired || !!this.user.refresh_token);
  }

  get principal(): Principal | null {
    if (!this.user) return null;
    const claims = decodeJwtPayload(this.user.access_token) ?? {};
    return principalFromClaims(claims, this.user.profile as Record<string, unknown>);
  }

  /** A valid access token, renewing it if it has expired; null without a session. */
  async accessToken(): Promise<string | null> {
    if (!this.user) return null;
    if (this.user.expired && !(await this.renew())) return null;
    return this.user?.access_token ?? null;
  }

  /** Renews the tokens with the refresh token; concurrent callers share one attempt. */
  renew(): Promise<boolean> {
    if (!this.user?.refresh_token) return Promise.resolve(false);
    this.renewing ??= this.mgr
      .signinSilent()
      .then((u) => {
        this.set(u);
        return !!u;
      })
      // Another renewal (the automatic one) may have used the single-use refresh token first.
      .catch(async () => {
        const u = await this.mgr.getUser().catch(() => null);
        if (u && !u.expired) this.set(u);
        return !!u && !u.expired;
      })
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }

  /** Goes to the issuer's sign-in page; afterwards the app returns to returnTo. */
  async signIn(returnTo: string = currentPath()): Promise<void> {
    await this.mgr.signinRedirect({ state: { returnTo } satisfies SignInState });
  }

  /** The session is over (401 that a renewal did not cure): sign in again, keep the page. */
  expire(returnTo: string = currentPath()): void {
    if (this.expired) return;
    this.expired = true;
    try {
      window.sessionStorage.setItem(REAUTH_FLAG, '1');
    } catch {
      /* only the notice is lost */
    }
    this.listeners.forEach((l) => l());
    void this.mgr
      .removeUser()
      .catch(() => undefined)
      .then(() => this.signIn(returnTo));
  }

  async signOut(): Promise<void> {
    clearAllDrafts();
    try {
      await this.mgr.signoutRedirect();
    } catch {
      await this.mgr.removeUser();
      window.location.assign(SIGNED_OUT_PATH);
    }
  }

  /**
   * fetch for the API client: adds the bearer token; on 401 renews once and retries (a POST
   * keeps its request_id, so the retry is safe); if that fails, expires the session.
   */
  fetch = async (req: Request): Promise<Response> => {
    const retry = req.clone();
    const token = await this.accessToken();
    if (!token) {
      this.expire();
      throw new SessionExpiredError();
    }
    req.headers.set('Authorization', `Bearer ${token}`);
    const res = await globalThis.fetch(withTimeout(req));
    if (res.status !== 401) return res;
    if (await this.renew()) {
      retry.headers.set('Authorization', `Bearer ${this.user?.access_token ?? ''}`);
      const again = await globalThis.fetch(withTimeout(retry));
      if (again.status !== 401) return again;
    }
    this.expire();
    throw new SessionExpiredError();
  };
}

function withTimeout(req: Request): Request {
  if (typeof AbortSignal.timeout !== 'function' || typeof AbortSignal.any !== 'function') return req;
  return new Request(req, { signal: AbortSignal.any([req.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
}

export function currentPath(): string {
  return window.location.pathname + window.location.search + window.location.hash;
}
