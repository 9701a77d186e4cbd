import type { AppealStatistics } from '../../api/types';
import type { CalendarDate } from '../../lib/time';
import { type Period, monthOf } from '../analytics/period';

export interface MonthBucket {
  year: number;
  month: number;
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

/** The months' periods (the current month up to today) and the whole span. */
export function overviewPeriods(today: CalendarDate, n = 12): { months: Period[]; span: Period } {
  const months = lastMonths(today, n).map((m) => monthOf({ ...m, day: 1 }));
  months[months.length - 1] = { ...months[months.length - 1], to: today };
  return { months, span: { from: months[0].from, to: today } };
}

export interface SectionSeries {
  code: string; // 4 digits
  name: string;
  data: number[];
}

/**
 * Appeals per month by classifier section, from each month's statistics (by_section: an appeal
 * counts once in each of its sections). Missing months count as zero.
 */
export function sectionSeries(months: (AppealStatistics | undefined)[]): SectionSeries[] {
  const series = new Map<string, SectionSeries>();
  months.forEach((s, i) => {
    for (const r of s?.bySection ?? []) {
      const code = (r.key ?? '').slice(0, 4);
      if (!code) continue;
      let x = series.get(code);
      if (!x) {
        x = { code, name: r.displayName || code, data: months.map(() => 0) };
        series.set(code, x);
      }
      x.data[i] += r.appeals ?? 0;
    }
  });
  return [...series.values()].sort((a, b) => a.code.localeCompare(b.code));
}
