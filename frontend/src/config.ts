/**
 * Runtime configuration, read from /config.json next to index.html so that one build runs
 * anywhere: operators edit that file (or mount their own) instead of rebuilding.
 *   issuer      OIDC issuer URL; empty: this origin + "/oidc" (the all-in-one dev issuer)
 *   clientId    OIDC public client id; default "cityhall-spa"
 *   apiBaseUrl  where /v1 lives; empty: this origin (the gateway serves both)
 */
export interface RuntimeConfig {
  issuer: string;
  clientId: string;
  apiBaseUrl: string;
}

export function resolveConfig(raw: unknown, origin: string, devIssuer = ''): RuntimeConfig {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const trim = (u: string) => u.replace(/\/+$/, '');
  return {
    issuer: trim(str(r.issuer) || devIssuer || `${origin}/oidc`),
    clientId: str(r.clientId) || 'cityhall-spa',
    apiBaseUrl: trim(str(r.apiBaseUrl) || origin),
  };
}

export async function loadConfig(): Promise<RuntimeConfig> {
  let raw: unknown = null;
  try {
    const res = await fetch('/config.json', { cache: 'no-store', headers: { Accept: 'application/json' } });
    // Without the file the gateway answers index.html; anything but JSON means "defaults".
    if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) raw = await res.json();
  } catch {
    /* defaults */
  }
  return resolveConfig(raw, window.location.origin, __DEV_ISSUER__);
}
