import { describe, expect, it } from 'vitest';
import { appeal } from '../../test/utils';
import { computeStats, lastMonths } from './stats';

const today = { year: 2026, month: 3, day: 10 };

describe('overview statistics', () => {
  it('counts states, deadlines and sections per month', () => {
    const s = computeStats(
      [
        appeal({ answerDueDate: { year: 2026, month: 3, day: 12 } }), // due soon
        appeal({ answerDueDate: { year: 2026, month: 3, day: 9 } }), // overdue
        appeal({ answerDueDate: { year: 2026, month: 3, day: 9 }, state: 'APPEAL_STATE_ANSWERED' }), // closed
        appeal({ registerTime: '2026-01-31T15:00:00Z', classifierCodes: ['0005.0005.0056.1149', '0005.0005.0056.1156', '0003.0009.0097.0699'] }),
      ],
      today,
    );
    expect(s).toMatchObject({ total: 4, open: 3, soon: 1, overdue: 1 });
    expect(s.byState).toEqual({ APPEAL_STATE_REGISTERED: 3, APPEAL_STATE_ANSWERED: 1 });
    // 31 Jan 15:00 UTC is 1 February in Khabarovsk; two codes of one section count once.
    const feb = s.months.findIndex((m) => m.month === 2);
    expect(s.bySection['0005'][feb]).toBe(1);
    expect(s.bySection['0003'][feb]).toBe(1);
    expect(s.bySection['0005'][s.months.length - 1]).toBe(3);
  });

  it('spans the year boundary', () => {
    expect(lastMonths({ year: 2026, month: 2, day: 1 }, 3)).toEqual([
      { year: 2025, month: 12 },
      { year: 2026, month: 1 },
      { year: 2026, month: 2 },
    ]);
  });
});
