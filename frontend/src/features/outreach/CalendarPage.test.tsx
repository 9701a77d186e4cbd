import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { clerk, fakeApi, fakeSession, json, renderApp } from '../../test/utils';

const m = (id: string, topic: string, startTime: string, over: Record<string, unknown> = {}) => ({
  name: `meetings/01900000-0000-7000-8000-00000000000${id}`,
  topic,
  speakers: [],
  venue: 'Школа',
  startTime,
  department: 'KUR-ZHD',
  state: 'MEETING_STATE_PLANNED',
  ...over,
});

describe('meetings calendar', () => {
  it("puts each meeting on its Khabarovsk day, reads the month's meetings with the filters, and moves by month", async () => {
    const user = userEvent.setup();
    const api = fakeApi(
      (_, url) =>
        url.pathname === '/v1/meetings'
          ? json({
              meetings: [
                m('1', 'О ремонте дворов', '2026-03-11T15:30:00Z'), // 12 March, 01:30 in Khabarovsk
                m('2', 'О вывозе мусора', '2026-03-19T01:00:00Z', { state: 'MEETING_STATE_HELD' }),
                m('3', 'Об освещении', '2026-03-05T08:00:00Z', { reportOverdue: true }),
              ],
            })
          : undefined,
      (_, url) => (url.pathname.startsWith('/v1/meetingPlans/') ? json({ error: { code: 404, status: 'NOT_FOUND', message: 'no plan' } }, 404) : undefined),
    );
    renderApp('/meetings?month=2026-03&district=ZHD&mine=1', { session: fakeSession(clerk) });
    const grid = await screen.findByTestId('calendar-grid');
    const day12 = await within(grid).findByRole('gridcell', { name: 'Встречи 12.03.2026' });
    expect(within(day12).getByRole('link', { name: /О ремонте дворов/ })).toHaveAttribute('href', '/meetings/01900000-0000-7000-8000-000000000001');
    expect(within(grid).getByRole('gridcell', { name: '11.03.2026' })).toBeInTheDocument(); // nothing on the UTC day
    expect(within(grid).getByRole('link', { name: /Об освещении/ })).toHaveAttribute('data-overdue', 'true');
    const filter = api.requests.find((r) => r.url.pathname === '/v1/meetings')!.url.searchParams.get('filter');
    expect(filter).toBe('start_time >= "2026-03-01" AND start_time < "2026-04-01" AND district = "ZHD" AND department = "KUR-ZHD"');
    expect(screen.getByTestId('month-plan-link')).toHaveAttribute('href', '/meetings/plans/2026-03');

    await user.click(screen.getByRole('radio', { name: 'Список' }));
    const list = await screen.findByTestId('calendar-list');
    expect(within(list).getByRole('heading', { name: 'Четверг, 12 марта' })).toBeInTheDocument();
    expect(within(list).getByText('Проведена')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Следующий месяц' }));
    expect(await screen.findByTestId('calendar-month')).toHaveTextContent(/апрель 2026/i);
    const last = api.requests.filter((r) => r.url.pathname === '/v1/meetings').pop()!;
    expect(last.url.searchParams.get('filter')).toMatch(/^start_time >= "2026-04-01" AND start_time < "2026-05-01"/);
  });
});
