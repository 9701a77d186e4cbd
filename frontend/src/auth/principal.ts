/** Who is signed in, from the access token's claims (for display and for hiding what a role cannot do). */
export interface Principal {
  login: string;
  name: string;
  roles: string[];
  department: string;
}

export const ROLES = ['clerk', 'head', 'curator', 'vice_mayor', 'mayor', 'admin', 'integrator', 'auditor'] as const;

/** Decodes a JWT's payload (no verification: the API verifies; this is for display only). */
export function decodeJwtPayload(jwt: string): Record<string, unknown> | null {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function principalFromClaims(c: Record<string, unknown>, fallback: Record<string, unknown> = {}): Principal {
  const s = (k: string) => {
    const v = c[k] ?? fallback[k];
    return typeof v === 'string' ? v : '';
  };
  const roles = c.roles ?? fallback.roles;
  return {
    login: s('preferred_username') || s('sub'),
    name: s('name') || s('preferred_username'),
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
    department: s('department'),
  };
}

/** Registers appeals: a clerk or head for her department, admin and integrator for any. */
export const canRegister = (p: Principal) => p.roles.some((r) => ['clerk', 'head', 'admin', 'integrator'].includes(r));
/** Registers on behalf of the city, naming the department. */
export const registersForCity = (p: Principal) => p.roles.some((r) => r === 'admin' || r === 'integrator') && !p.roles.some((r) => r === 'clerk' || r === 'head');
/** Sees every department's appeals. */
export const seesAllDepartments = (p: Principal) => p.roles.some((r) => !['clerk', 'head'].includes(r)) || !p.department;
/** The role shown in the header: the most senior one held. */
export function mainRole(p: Principal): string {
  const order = ['mayor', 'vice_mayor', 'curator', 'head', 'clerk', 'admin', 'auditor', 'integrator'];
  return order.find((r) => p.roles.includes(r)) ?? '';
}

const has = (p: Principal, ...roles: string[]) => p.roles.some((r) => roles.includes(r));
/** Reads appeals at all (every role but an unknown one). */
export const readsAppeals = (p: Principal) => has(p, 'clerk', 'head', 'curator', 'vice_mayor', 'mayor', 'admin', 'integrator', 'auditor');
/** Reads the analytics of the appeals it may see (the same visibility as the registry). */
export const readsAnalytics = readsAppeals;
/** Reads the audit log of personal data reads (auditors only). */
export const readsAuditLog = (p: Principal) => has(p, 'auditor');
/** A clerk or head of a department. */
export const departmental = (p: Principal) => has(p, 'clerk', 'head') && !!p.department;
/** The head of a department: extends deadlines and ends correspondence (the admin is no head). */
export const isHead = (p: Principal) => has(p, 'head') && !!p.department;

/** Reads the information meetings with residents (plans, calendar, cards, statistics): staff, not machines. */
export const readsOutreach = (p: Principal) => has(p, 'clerk', 'head', 'curator', 'vice_mayor', 'mayor', 'admin', 'auditor');
/** Proposes and runs meetings: a clerk or head for her department, the admin for any. */
export const proposesMeetings = (p: Principal) => departmental(p) || has(p, 'admin');
/** Submits a month's consolidated plan to the vice-mayor: a head of a department (and the admin). */
export const submitsPlans = (p: Principal) => isHead(p) || has(p, 'admin');
/** Approves or returns the monthly plans of meetings: the vice-mayor (and the admin). */
export const approvesPlans = (p: Principal) => has(p, 'vice_mayor', 'admin');
