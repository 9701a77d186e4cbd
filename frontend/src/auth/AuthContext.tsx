import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SessionApi as Session } from './session';
import type { Principal } from './principal';

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <Ctx.Provider value={session}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user, re-rendering when the session changes (renewal, expiry). */
export function usePrincipal(): Principal {
  const s = useSession();
  const p = useSyncExternalStore(
    (l) => s.subscribe(l),
    () => principalKey(s),
  );
  return JSON.parse(p) as Principal;
}

export function useSessionExpired(): boolean {
  const s = useSession();
  return useSyncExternalStore(
    (l) => s.subscribe(l),
    () => s.expired,
  );
}

const principalKey = (s: Session) => JSON.stringify(s.principal ?? { login: '', name: '', roles: [], department: '' });
