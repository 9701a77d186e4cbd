/**
 * The API's error body (AIP-193), typed here: the OpenAPI document describes it only loosely.
 *   {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"...","details":[
 *     {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"...","domain":"..."},
 *     {"@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"appeal.text","description":"..."}]}]}}
 */
export interface ErrorInfo {
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo';
  reason?: string;
  domain?: string;
  metadata?: Record<string, string>;
}
export interface FieldViolation {
  field: string;
  description: string;
  reason?: string;
  localizedMessage?: { locale?: string; message?: string };
}
export interface BadRequest {
  '@type': 'type.googleapis.com/google.rpc.BadRequest';
  fieldViolations?: FieldViolation[];
}
export interface ApiErrorBody {
  error: {
    code: number;
    status: string;
    message: string;
    details?: ({ '@type': string } & Record<string, unknown>)[];
  };
}

export class ApiError extends Error {
  readonly httpStatus: number;
  readonly status: string;
  readonly reason: string;
  readonly violations: FieldViolation[];

  constructor(httpStatus: number, body: unknown) {
    const e = isErrorBody(body) ? body.error : null;
    super(e?.message || `HTTP ${httpStatus}`);
    this.name = 'ApiError';
    this.httpStatus = httpStatus;
    this.status = e?.status ?? '';
    const details = e?.details ?? [];
    const info = details.find((d) => d['@type'].endsWith('google.rpc.ErrorInfo')) as ErrorInfo | undefined;
    this.reason = info?.reason ?? '';
    this.violations = details
      .filter((d) => d['@type'].endsWith('google.rpc.BadRequest'))
      .flatMap((d) => (d as unknown as BadRequest).fieldViolations ?? [])
      .filter((v) => typeof v?.field === 'string');
  }
}

/** The session ended and could not be renewed; the app is on its way to the sign-in page. */
export class SessionExpiredError extends Error {
  constructor() {
    super('session expired');
    this.name = 'SessionExpiredError';
  }
}

/** The server could not be reached at all. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('network error', { cause });
    this.name = 'NetworkError';
  }
}

function isErrorBody(b: unknown): b is ApiErrorBody {
  return !!b && typeof b === 'object' && 'error' in b && !!(b as ApiErrorBody).error && typeof (b as ApiErrorBody).error === 'object';
}

/** A field violation located on a form field: "appeal.classifier_codes[1]" → classifierCodes, 1. */
export interface LocatedViolation {
  field: string; // camelCase form field, or "" for the form as a whole
  index: number | null;
  path: string;
  description: string;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Paths under one of `prefixes` name a field of the form ("appeal.receive_time" → receiveTime);
 * a path equal to a prefix without its dot names that part as a whole ("applicant").
 */
export function locateViolation(v: FieldViolation, prefixes: string[] = ['appeal.']): LocatedViolation {
  const path = v.field;
  const whole = prefixes.find((p) => path === p.replace(/\.$/, ''));
  if (whole) return { field: camel(path), index: null, path, description: v.description };
  const prefix = prefixes.find((p) => path.startsWith(p));
  if (!prefix) return { field: '', index: null, path, description: v.description };
  const m = /^([a-z0-9_]+)(?:\[(\d+)\])?/.exec(path.slice(prefix.length));
  return {
    field: m ? camel(m[1]) : '',
    index: m?.[2] !== undefined ? Number(m[2]) : null,
    path,
    description: v.description,
  };
}
