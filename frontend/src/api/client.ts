import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, NetworkError, SessionExpiredError } from './errors';

export type Api = Client<paths>;

let client: Api | null = null;

/** Sets up the client once the runtime config and the session are known (main.tsx, tests). */
export function initApi(baseUrl: string, fetchImpl: (req: Request) => Promise<Response>): Api {
  client = createClient<paths>({ baseUrl, fetch: fetchImpl });
  return client;
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
