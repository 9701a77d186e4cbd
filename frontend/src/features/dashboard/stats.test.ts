import { describe, expect, it } from 'vitest';
import { lastMonths, overviewPeriods, sectionSeries } from './stats';

describe('overview statistics', () => {
  it('spans the year boundary', () => {
    expect(lastMonths({ year: 2026, month: 2, day: 1 }, 3)).toEqual([
      { year: 2025, month: 12 },
      { year: 2026, month: 1 },
      { year: 2026, month: 2 },
    ]);
  });

  it('asks for whole months, the current one up to today', () => {
    const { months, span } = overviewPeriods({ year: 2026, month: 3, day: 10 }, 3);
    expect(months).toEqual([
      { from: { year: 2026, month: 1, day: 1 }, to: { year: 2026, month: 1, day: 31 } },
      { from: { year: 2026, month: 2, day: 1 }, to: { year: 2026, month: 2, day: 28 } },
      { from: { year: 2026, month: 3, day: 1 }, to: { year: 2026, month: 3, day: 10 } },
    ]);
    expect(span).toEqual({ from: { year: 2026, month: 1, day: 1 }, to: { year: 2026, month: 3, day: 10 } });
  });

  it("turns each month's sections into one series per section", () => {
    const s = sectionSeries([
      { bySection: [{ key: '0005.0000.0000.0000', displayName: 'Жилищно-коммунальная сфера', appeals: 3 }] },
      undefined,
      {
        bySection: [
          { key: '0003.0000.0000.0000', displayName: 'Экономика', appeals: 1 },
          { key: '0005.0000.0000.0000', displayName: 'Жилищно-коммунальная сфера', appeals: 2 },
        ],
      },
    ]);
    expect(s).toEqual([
      { code: '0003', name: 'Экономика', data: [0, 0, 1] },
      { code: '0005', name: 'Жилищно-коммунальная сфера', data: [3, 0, 2] },
    ]);
  });
});
