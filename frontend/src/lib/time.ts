/**
 * Time in the city's zone. The API speaks UTC; people in Khabarovsk read Asia/Vladivostok
 * (UTC+10), whatever the browser's zone is. Deadlines are calendar dates in that zone.
 */
export const CITY_TZ = 'Asia/Vladivostok';

/** A calendar date (google.type.Date). */
export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const partsFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: CITY_TZ,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

/** Wall-clock fields of an instant in city time. */
export function cityParts(t: Date): CalendarDate & { hour: number; minute: number; second: number } {
  const p: Record<string, number> = {};
  for (const { type, value } of partsFormatter.formatToParts(t)) {
    if (type !== 'literal') p[type] = Number(value);
  }
  return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute, second: p.second };
}

/** The city date of an instant. */
export function cityDateOf(t: Date): CalendarDate {
  const { year, month, day } = cityParts(t);
  return { year, month, day };
}

/** Today in Khabarovsk. */
export function cityToday(now: Date = new Date()): CalendarDate {
  return cityDateOf(now);
}

const dayNumber = (d: CalendarDate) => Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);

/** Calendar days from a to b (b - a). */
export function diffDays(a: CalendarDate, b: CalendarDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function addDays(d: CalendarDate, n: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "2026-03-05" */
export function isoDate(d: CalendarDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** Parses "YYYY-MM-DD"; null if it is not a real date. */
export function parseIsoDate(s: string | null | undefined): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isoDate(addDays(d, 0)) === s ? d : null;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return dayNumber(a) - dayNumber(b);
}

/** Offset of city time from UTC at instant t, in minutes (+600 for UTC+10). */
function cityOffsetMinutes(t: Date): number {
  const p = cityParts(t);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(t.getTime() / 1000) * 1000) / 60_000);
}

/** The instant of a city wall-clock time, e.g. from <input type="datetime-local">. */
export function cityLocalToInstant(d: CalendarDate, hour = 0, minute = 0): Date {
  const guess = Date.UTC(d.year, d.month - 1, d.day, hour, minute);
  let t = new Date(guess - cityOffsetMinutes(new Date(guess)) * 60_000);
  // A second pass settles the (historical) offset changes around the guess.
  t = new Date(guess - cityOffsetMinutes(t) * 60_000);
  return t;
}

/** "2026-03-05T14:30" (city time) → instant; null when malformed. */
export function parseCityDateTimeLocal(s: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(s);
  const d = m && parseIsoDate(m[1]);
  if (!m || !d) return null;
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (h > 23 || min > 59) return null;
  return cityLocalToInstant(d, h, min);
}

/** Instant → "2026-03-05T14:30" in city time, for <input type="datetime-local">. */
export function toCityDateTimeLocal(t: Date): string {
  const p = cityParts(t);
  return `${isoDate(p)}T${pad(p.hour)}:${pad(p.minute)}`;
}

export type Lang = 'ru' | 'en';
const locale = (lang: string) => (lang === 'en' ? 'en-GB' : 'ru-RU');

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(lang: string, kind: 'dt' | 'd' | 'month'): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`;
  let f = cache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      kind === 'dt'
        ? { timeZone: CITY_TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }
        : kind === 'd'
          ? { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }
          : { timeZone: 'UTC', month: 'short', year: 'numeric' };
    f = new Intl.DateTimeFormat(locale(lang), opts);
    cache.set(key, f);
  }
  return f;
}

/** An API timestamp in city time: "05.03.2026, 14:30". Empty for missing values. */
export function formatDateTime(iso: string | undefined | null, lang: string): string {
  if (!iso) return '';
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? '' : fmt(lang, 'dt').format(t);
}

/** A calendar date as is (no zone shift): "05.03.2026". */
export function formatCalendarDate(d: Partial<CalendarDate> | undefined | null, lang: string): string {
  if (!d || !d.year || !d.month || !d.day) return '';
  return fmt(lang, 'd').format(new Date(Date.UTC(d.year, d.month - 1, d.day)));
}

/** "мар." / "Mar" for a month. */
export function formatMonthShort(month: number, lang: string): string {
  return new Intl.DateTimeFormat(locale(lang), { timeZone: 'UTC', month: 'short' }).format(new Date(Date.UTC(2000, month - 1, 15)));
}

/** "мар. 2026" / "Mar 2026" for a year and month. */
export function formatMonth(year: number, month: number, lang: string): string {
  return fmt(lang, 'month')
    .format(new Date(Date.UTC(year, month - 1, 15)))
    .replace(/\s*г\.$/, '');
}

export function toCalendarDate(d: Partial<CalendarDate> | undefined | null): CalendarDate | null {
  return d && d.year && d.month && d.day ? { year: d.year, month: d.month, day: d.day } : null;
}
