/**
 * The month grid of the meetings' calendar: weeks from Monday to Sunday in city dates
 * (Khabarovsk), and meetings grouped by the city day they start on.
 */
import { type CalendarDate, addDays, cityDateOf, isoDate } from '../../lib/time';

export interface MonthRef {
  year: number;
  month: number; // 1-12
}

/** "2026-03" → {2026, 3}; null when malformed. */
export function parseMonth(s: string | null | undefined): MonthRef | null {
  const m = /^(\d{4})-(\d{2})$/.exec(s ?? '');
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : null;
}

export const monthKey = (m: MonthRef) => `${String(m.year).padStart(4, '0')}-${String(m.month).padStart(2, '0')}`;

export function addMonths(m: MonthRef, n: number): MonthRef {
  const i = m.year * 12 + (m.month - 1) + n;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

/** Day of the week, Monday = 0 … Sunday = 6. */
export function weekday(d: CalendarDate): number {
  return (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
}

/** The weeks (Monday first) that cover the month, each with seven days; days outside the month included. */
export function monthWeeks(m: MonthRef): CalendarDate[][] {
  const first: CalendarDate = { year: m.year, month: m.month, day: 1 };
  let d = addDays(first, -weekday(first));
  const weeks: CalendarDate[][] = [];
  // At most six weeks cover any month.
  for (let w = 0; w < 6; w++) {
    const week: CalendarDate[] = [];
    for (let i = 0; i < 7; i++) {
      week.push(d);
      d = addDays(d, 1);
    }
    weeks.push(week);
    if (d.month !== m.month) break;
  }
  return weeks;
}

/** The first and the last day of the month. */
export function monthBounds(m: MonthRef): { from: CalendarDate; to: CalendarDate } {
  const next = addMonths(m, 1);
  return { from: { year: m.year, month: m.month, day: 1 }, to: addDays({ year: next.year, month: next.month, day: 1 }, -1) };
}

/** Items grouped by the city date ("YYYY-MM-DD") of their time, each day's items in time order. */
export function byCityDay<T>(items: T[], time: (x: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  const sorted = [...items].sort((a, b) => (time(a) ?? '').localeCompare(time(b) ?? ''));
  for (const x of sorted) {
    const t = time(x);
    if (!t) continue;
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) continue;
    const key = isoDate(cityDateOf(d));
    const list = out.get(key);
    if (list) list.push(x);
    else out.set(key, [x]);
  }
  return out;
}
