import type { Appeal } from '../../api/types';
import { type CalendarDate, cityDateOf } from '../../lib/time';
import { answerDeadline, OPEN_STATES } from '../appeals/model';

export interface MonthBucket {
  year: number;
  month: number;
}

export interface DashboardStats {
  total: number;
  open: number;
  soon: number;
  overdue: number;
  byState: Record<string, number>;
  months: MonthBucket[];
  /** section code (4 digits) → count per month (aligned with months) */
  bySection: Record<string, number[]>;
}

/** The last n months up to and including today's, oldest first. */
export function lastMonths(today: CalendarDate, n: number): MonthBucket[] {
  const out: MonthBucket[] = [];
  let y = today.year;
  let m = today.month;
  for (let i = 0; i < n; i++) {
    out.unshift({ year: y, month: m });
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}

/**
 * Everything the overview shows, from a list of appeals. A multi-section appeal counts once in
 * each of its sections (as the appeals service's own statistics do).
 */
export function computeStats(appeals: Appeal[], today: CalendarDate, monthsBack = 12): DashboardStats {
  const months = lastMonths(today, monthsBack);
  const index = new Map(months.map((m, i) => [`${m.year}-${m.month}`, i]));
  const s: DashboardStats = { total: appeals.length, open: 0, soon: 0, overdue: 0, byState: {}, months, bySection: {} };
  for (const a of appeals) {
    const state = a.state ?? 'APPEAL_STATE_UNSPECIFIED';
    s.byState[state] = (s.byState[state] ?? 0) + 1;
    if (OPEN_STATES.includes(state)) s.open++;
    const d = answerDeadline(a, today);
    if (d.status === 'soon') s.soon++;
    if (d.status === 'overdue') s.overdue++;
    if (!a.registerTime) continue;
    const reg = cityDateOf(new Date(a.registerTime));
    const i = index.get(`${reg.year}-${reg.month}`);
    if (i === undefined) continue;
    for (const section of new Set((a.classifierCodes ?? []).map((c) => c.slice(0, 4)))) {
      (s.bySection[section] ??= months.map(() => 0))[i]++;
    }
  }
  return s;
}

