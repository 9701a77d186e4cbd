/**
 * The registry's filters: parsed from and written to the URL query (so a clerk can bookmark
 * and share a view), and turned into the API's filter and order_by.
 *
 *   ?number=2026-000123&state=REGISTERED&channel=LETTER&code=0005.0005.0000.0000&district=ZHD
 *    &dept=KUR-ZHD&from=2026-01-01&to=2026-01-31&deadline=ontime|soon|overdue|closed&repeated=1
 *    &mine=1&sort=reg_desc&size=50&page=TOKEN
 *
 * The deadline filters use the API's `deadline_state` (ON_TIME: more than 5 days left;
 * DUE_SOON: at most 5; OVERDUE: the answer deadline passed without an answer; CLOSED: no
 * deadline runs), which the service computes in city time and which follows an extended
 * deadline. "mine" is `executor = "<the signed-in login>"`.
 */
import { addDays, compareDates, isoDate, parseIsoDate } from '../../lib/time';
import { CHANNELS, OPEN_STATES, STATES, shortChannel, shortState } from './model';
import { classifierFilterValue } from '../../reference/classifier';

export type DeadlineFilter = '' | 'ontime' | 'soon' | 'overdue' | 'closed';
export const DEADLINE_FILTERS: DeadlineFilter[] = ['ontime', 'soon', 'overdue', 'closed'];
const DEADLINE_STATE: Record<Exclude<DeadlineFilter, ''>, string> = { ontime: 'ON_TIME', soon: 'DUE_SOON', overdue: 'OVERDUE', closed: 'CLOSED' };
export type SortKey = 'reg_desc' | 'reg_asc' | 'due_asc' | 'due_desc';

export interface RegistryFilters {
  number: string; // registration number, exact: 2026-000123
  state: string; // short: REGISTERED
  channel: string; // short: LETTER
  code: string; // a full classifier code; its subtree is selected
  district: string;
  dept: string;
  from: string; // YYYY-MM-DD, registration date (city), inclusive
  to: string; // inclusive
  deadline: DeadlineFilter;
  repeated: '' | '1';
  /** The signed-in user is the executor. */
  mine: '' | '1';
}

export interface RegistryQuery extends RegistryFilters {
  sort: SortKey;
  size: number;
  page: string; // page token
}

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_SIZE = 50;
export const SORTS: SortKey[] = ['reg_desc', 'reg_asc', 'due_asc', 'due_desc'];

export const ORDER_BY: Record<SortKey, string> = {
  reg_desc: 'register_time desc',
  reg_asc: 'register_time',
  due_asc: 'answer_due_date',
  due_desc: 'answer_due_date desc',
};

export const emptyFilters: RegistryFilters = {
  number: '',
  state: '',
  channel: '',
  code: '',
  district: '',
  dept: '',
  from: '',
  to: '',
  deadline: '',
  repeated: '',
  mine: '',
};

const STATE_SHORT: string[] = STATES.map(shortState);
const CHANNEL_SHORT: string[] = CHANNELS.map(shortChannel);
const CODE_RE = /^\d{4}(\.\d{4}){3,4}$/;
const DEPT_RE = /^[A-Z0-9-]{1,32}$/;
const NUMBER_RE = /^[0-9A-Za-z-]{1,32}$/;

/**
 * What the clerk typed into the number search, as the service writes numbers: "2026-000123";
 * a bare "123" means this year's appeal 123.
 */
export function normaliseNumber(s: string, year: number): string {
  const v = s.trim().replace(/^№\s*/, '');
  if (/^\d{1,6}$/.test(v)) return `${year}-${v.padStart(6, '0')}`;
  const m = /^(\d{4})-(\d{1,6})$/.exec(v);
  if (m) return `${m[1]}-${m[2].padStart(6, '0')}`;
  return v;
}

/** Reads the query; anything unknown or malformed is dropped rather than sent to the API. */
export function parseQuery(params: URLSearchParams): RegistryQuery {
  const get = (k: string) => params.get(k)?.trim() ?? '';
  const state = get('state').toUpperCase();
  const channel = get('channel').toUpperCase();
  const deadline = get('deadline');
  const sort = get('sort') as SortKey;
  const size = Number(get('size'));
  return {
    number: NUMBER_RE.test(get('number')) ? get('number') : '',
    state: STATE_SHORT.includes(state) ? state : '',
    channel: CHANNEL_SHORT.includes(channel) ? channel : '',
    code: CODE_RE.test(get('code')) ? get('code') : '',
    district: /^[A-Z]{3}$/.test(get('district')) ? get('district') : '',
    dept: DEPT_RE.test(get('dept')) ? get('dept') : '',
    from: parseIsoDate(get('from')) ? get('from') : '',
    to: parseIsoDate(get('to')) ? get('to') : '',
    deadline: (DEADLINE_FILTERS as string[]).includes(deadline) ? (deadline as DeadlineFilter) : '',
    repeated: get('repeated') === '1' || get('repeated') === 'true' ? '1' : '',
    mine: get('mine') === '1' || get('mine') === 'true' ? '1' : '',
    sort: SORTS.includes(sort) ? sort : 'reg_desc',
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
    page: get('page').slice(0, 512),
  };
}

/** Writes the query back; defaults are left out so URLs stay short. */
export function toSearchParams(q: Partial<RegistryQuery>): URLSearchParams {
  const p = new URLSearchParams();
  const keys: (keyof RegistryFilters)[] = ['number', 'state', 'channel', 'code', 'district', 'dept', 'from', 'to', 'deadline', 'repeated', 'mine'];
  for (const k of keys) if (q[k]) p.set(k, String(q[k]));
  if (q.sort && q.sort !== 'reg_desc') p.set('sort', q.sort);
  if (q.size && q.size !== DEFAULT_SIZE) p.set('size', String(q.size));
  if (q.page) p.set('page', q.page);
  return p;
}

export function activeFilterCount(f: RegistryFilters): number {
  return (Object.keys(emptyFilters) as (keyof RegistryFilters)[]).filter((k) => f[k] !== '').length;
}

export interface ApiListQuery {
  filter: string;
  orderBy: string;
  /** True when the conditions cannot match anything (e.g. an empty date range). */
  empty: boolean;
}

const quote = (s: string) => `"${s.replace(/"/g, '')}"`;

/** The API's filter and order_by for the registry's state; `login` is the signed-in user ("mine"). */
export function toApiQuery(q: RegistryFilters & { sort: SortKey }, login = ''): ApiListQuery {
  const conds: string[] = [];
  let empty = false;
  if (q.number) conds.push(`registration_number = ${quote(q.number)}`);
  if (q.state) conds.push(`state = ${q.state}`);
  if (q.channel) conds.push(`channel = ${q.channel}`);
  if (q.dept) conds.push(`department = ${quote(q.dept)}`);
  if (q.district) conds.push(`district = ${quote(q.district)}`);
  if (q.code) conds.push(`classifier_code = ${quote(classifierFilterValue(q.code))}`);
  // Registration dates, city time (a bare date is midnight there): [from, to + 1 day).
  const from = parseIsoDate(q.from);
  const to = parseIsoDate(q.to);
  if (from) conds.push(`register_time >= ${quote(isoDate(from))}`);
  if (to) conds.push(`register_time < ${quote(isoDate(addDays(to, 1)))}`);
  if (from && to && compareDates(from, to) > 0) empty = true;
  if (q.deadline) {
    conds.push(`deadline_state = ${DEADLINE_STATE[q.deadline]}`);
    // A closed appeal has no running deadline; an open one always has.
    const open = OPEN_STATES.includes(`APPEAL_STATE_${q.state}` as never);
    if (q.state && (q.deadline === 'closed' ? open : !open)) empty = true;
  }
  if (q.repeated) conds.push('repeated = true');
  if (q.mine && login) conds.push(`executor = ${quote(login)}`);
  return { filter: conds.join(' AND '), orderBy: ORDER_BY[q.sort], empty };
}
