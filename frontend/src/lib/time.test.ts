import { describe, expect, it } from 'vitest';
import { addDays, cityDateOf, cityToday, diffDays, formatCalendarDate, formatDateTime, isoDate, parseCityDateTimeLocal, parseIsoDate, toCityDateTimeLocal } from './time';

describe('city time (Asia/Vladivostok, UTC+10)', () => {
  it('takes the date in Khabarovsk, not in UTC or the browser zone', () => {
    // 14:30 UTC on 31 Dec is already 1 January in Khabarovsk.
    expect(cityDateOf(new Date('2025-12-31T14:30:00Z'))).toEqual({ year: 2026, month: 1, day: 1 });
    expect(cityToday(new Date('2026-03-01T13:59:59Z'))).toEqual({ year: 2026, month: 3, day: 1 });
    expect(cityToday(new Date('2026-03-01T14:00:00Z'))).toEqual({ year: 2026, month: 3, day: 2 });
  });

  it('formats timestamps in city time', () => {
    expect(formatDateTime('2026-03-01T01:00:00Z', 'ru')).toBe('01.03.2026, 11:00');
    expect(formatDateTime('2026-03-01T14:05:00Z', 'en')).toBe('02/03/2026, 00:05');
    expect(formatDateTime(undefined, 'ru')).toBe('');
  });

  it('formats calendar dates as they are', () => {
    expect(formatCalendarDate({ year: 2026, month: 3, day: 31 }, 'ru')).toBe('31.03.2026');
    expect(formatCalendarDate({ year: 0, month: 0, day: 0 }, 'ru')).toBe('');
  });

  it('counts calendar days', () => {
    expect(diffDays({ year: 2026, month: 2, day: 27 }, { year: 2026, month: 3, day: 2 })).toBe(3);
    expect(addDays({ year: 2026, month: 1, day: 31 }, 30)).toEqual({ year: 2026, month: 3, day: 2 });
    expect(isoDate(addDays({ year: 2024, month: 2, day: 28 }, 1))).toBe('2024-02-29');
  });

  it('parses dates strictly', () => {
    expect(parseIsoDate('2026-02-30')).toBeNull();
    expect(parseIsoDate('2026-2-3')).toBeNull();
    expect(parseIsoDate('2026-02-03')).toEqual({ year: 2026, month: 2, day: 3 });
  });

  it('reads and writes datetime-local values in city time', () => {
    expect(parseCityDateTimeLocal('2026-03-01T11:00')?.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(parseCityDateTimeLocal('2026-03-01T24:00')).toBeNull();
    expect(toCityDateTimeLocal(new Date('2026-03-01T01:00:00Z'))).toBe('2026-03-01T11:00');
  });
});
