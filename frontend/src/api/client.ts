import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, NetworkError, SessionExpiredError } from './errors';

export type Api = Client<paths>;

let client: Api | null = null;
let base = '';

/** Sets up the client once the runtime config and the session are known (main.tsx, tests). */
export function initApi(baseUrl: string, fetchImpl: (req: Request) => Promise<Response>): Api {
  base = baseUrl;
  client = createClient<paths>({ baseUrl, fetch: fetchImpl });
  return client;
}

/**
 * An absolute URL of the API for a plain link (the public calendar feeds, which need no token):
 * the configured base, else this origin.
 */
export function apiUrl(path: string): string {
  return `${base || window.location.origin}${path}`;
}

export function api(): Api {
  if (!client) throw new Error('api() before initApi()');
  return client;
}

/**
 * Unwraps an openapi-fetch result: the data, or an ApiError carrying the server's status,
 * reason and field violations. Transport failures become NetworkError.
 */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await p;
  } catch (e) {
    if (e instanceof SessionExpiredError || (e instanceof DOMException && e.name === 'AbortError')) throw e;
    throw new NetworkError(e);
  }
  if (!r.response.ok || r.data === undefined) throw new ApiError(r.response.status, r.error);
  return r.data;
}

/** A file from the API (an attachment, an export): its content and the name the server gave it. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/**
 * Unwraps an openapi-fetch result read with `parseAs: 'blob'`: the file and its name from
 * Content-Disposition (the bearer token travels as for every call: no link can carry it).
 */
export async function callFile(p: Promise<{ data?: unknown; error?: unknown; response: Response }>, fallbackName: string): Promise<DownloadedFile> {
  const blob = await call(p as Promise<{ data?: Blob; error?: unknown; response: Response }>);
  const r = await p;
  return { blob, filename: filenameFromDisposition(r.response.headers.get('Content-Disposition'), fallbackName) };
}

/**
 * The file name of a Content-Disposition header: `filename*=utf-8''%D0%BF...` (RFC 6266/5987)
 * first, else `filename="..."`; path separators are dropped.
 */
export function filenameFromDisposition(header: string | null | undefined, fallback: string): string {
  const h = header ?? '';
  let name = '';
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(h);
  if (star) {
    try {
      name = decodeURIComponent(star[2].trim().replace(/^"|"$/g, ''));
    } catch {
      name = '';
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*("((?:\\.|[^"\\])*)"|[^;]+)/i.exec(h);
    if (plain) name = (plain[2] !== undefined ? plain[2].replace(/\\(.)/g, '$1') : plain[1]).trim();
  }
  name = name.replace(/[/\\]/g, '_').trim();
  return name || fallback;
}
