import { describe, expect, it } from 'vitest';
import { isoDate } from '../../lib/time';
import { addMonths, byCityDay, monthWeeks, parseMonth, weekday } from './calendar';

describe('calendar', () => {
  it('covers a month with whole weeks from Monday', () => {
    const weeks = monthWeeks({ year: 2026, month: 3 }); // 1 March 2026 is a Sunday
    expect(weeks.length).toBe(6);
    expect(isoDate(weeks[0][0])).toBe('2026-02-23');
    expect(isoDate(weeks[0][6])).toBe('2026-03-01');
    expect(isoDate(weeks[5][1])).toBe('2026-03-31');
    expect(weeks.every((w) => w.length === 7 && weekday(w[0]) === 0)).toBe(true);
    const feb = monthWeeks({ year: 2027, month: 2 }); // 1 February 2027 is a Monday, 28 days
    expect(feb.length).toBe(4);
  });

  it('groups meetings by the day in Khabarovsk, not in UTC', () => {
    const days = byCityDay(
      [
        { t: '2026-03-11T15:30:00Z' }, // 12 March, 01:30 in Khabarovsk
        { t: '2026-03-12T02:00:00Z' },
        { t: '2026-03-11T13:00:00Z' }, // 11 March, 23:00
      ],
      (x) => x.t,
    );
    expect([...days.keys()]).toEqual(['2026-03-11', '2026-03-12']);
    expect(days.get('2026-03-12')!.map((x) => x.t)).toEqual(['2026-03-11T15:30:00Z', '2026-03-12T02:00:00Z']);
  });

  it('reads and moves months', () => {
    expect(parseMonth('2026-03')).toEqual({ year: 2026, month: 3 });
    expect(parseMonth('2026-00')).toBeNull();
    expect(parseMonth('')).toBeNull();
    expect(addMonths({ year: 2026, month: 12 }, 1)).toEqual({ year: 2027, month: 1 });
    expect(addMonths({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
  });
});
