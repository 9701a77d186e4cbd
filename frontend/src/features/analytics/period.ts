/**
 * The analytics period: calendar days in Khabarovsk, both inclusive, in the URL as
 * ?from=2026-11-01&to=2026-11-30 (the current month when absent).
 */
import { type CalendarDate, addDays, compareDates, diffDays, isoDate, parseIsoDate } from '../../lib/time';

export interface Period {
  from: CalendarDate;
  to: CalendarDate;
}

/** The service counts at most five years at once. */
export const MAX_PERIOD_DAYS = 5 * 366 + 1;

export const monthStart = (d: CalendarDate): CalendarDate => ({ year: d.year, month: d.month, day: 1 });
export const monthEnd = (d: CalendarDate): CalendarDate => addDays({ year: d.month === 12 ? d.year + 1 : d.year, month: d.month === 12 ? 1 : d.month + 1, day: 1 }, -1);
export const monthOf = (d: CalendarDate): Period => ({ from: monthStart(d), to: monthEnd(d) });
export const shiftMonth = (d: CalendarDate, n: number): CalendarDate => {
  const m = d.year * 12 + (d.month - 1) + n;
  return { year: Math.floor(m / 12), month: (m % 12) + 1, day: 1 };
};

/** The period is one whole calendar month. */
export const isWholeMonth = (p: Period) => p.from.day === 1 && p.from.year === p.to.year && p.from.month === p.to.month && isoDate(monthEnd(p.from)) === isoDate(p.to);

export function parsePeriod(params: URLSearchParams, today: CalendarDate): Period {
  const from = parseIsoDate(params.get('from'));
  const to = parseIsoDate(params.get('to'));
  if (from && to) return { from, to };
  const month = /^(\d{4})-(\d{2})$/.exec(params.get('month') ?? '');
  if (month) {
    const m = Number(month[2]);
    if (m >= 1 && m <= 12) return monthOf({ year: Number(month[1]), month: m, day: 1 });
  }
  return monthOf(today);
}

export function periodParams(p: Period): URLSearchParams {
  return new URLSearchParams({ from: isoDate(p.from), to: isoDate(p.to) });
}

/** What is wrong with a period (an i18n key), or null. */
export function checkPeriod(p: Period): string | null {
  if (compareDates(p.from, p.to) > 0) return 'analytics.badRange';
  if (diffDays(p.from, p.to) + 1 > MAX_PERIOD_DAYS) return 'reasons.INVALID_PERIOD';
  return null;
}

/** The previous period of the same length (what growth is measured against). */
export function previousPeriod(p: Period): Period {
  const len = diffDays(p.from, p.to) + 1;
  return { from: addDays(p.from, -len), to: addDays(p.from, -1) };
}

/** The statistics request's query: startDate.year ... endDate.day. */
export function statisticsQuery(p: Period) {
  return {
    'startDate.year': p.from.year,
    'startDate.month': p.from.month,
    'startDate.day': p.from.day,
    'endDate.year': p.to.year,
    'endDate.month': p.to.month,
    'endDate.day': p.to.day,
  };
}

export type Preset = 'thisMonth' | 'lastMonth' | 'thisYear' | 'lastYear';
export const PRESETS: Preset[] = ['thisMonth', 'lastMonth', 'thisYear', 'lastYear'];

export function presetPeriod(p: Preset, today: CalendarDate): Period {
  switch (p) {
    case 'thisMonth':
      return monthOf(today);
    case 'lastMonth':
      return monthOf(shiftMonth(today, -1));
    case 'thisYear':
      return { from: { year: today.year, month: 1, day: 1 }, to: today };
    case 'lastYear':
      return { from: { year: today.year - 1, month: 1, day: 1 }, to: { year: today.year - 1, month: 12, day: 31 } };
  }
}
