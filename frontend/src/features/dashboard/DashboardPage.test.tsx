import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { cityToday } from '../../lib/time';
import { fakeApi, json, renderApp } from '../../test/utils';

vi.mock('./SectionsChart', () => ({
  default: ({ series }: { series: { code: string; data: number[] }[] }) => (
    <div data-testid="sections-chart">{series.map((s) => `${s.code}:${s.data.join(',')}`).join(' ')}</div>
  ),
}));

describe('overview', () => {
  it('shows the figures of the statistics API for the last 12 months, and a month per chart column', async () => {
    const today = cityToday();
    const api = fakeApi((_, url) => {
      if (url.pathname !== '/v1/appeals:statistics') return undefined;
      const whole = url.searchParams.get('startDate.month') !== url.searchParams.get('endDate.month') || url.searchParams.get('startDate.year') !== url.searchParams.get('endDate.year');
      if (whole) {
        return json({
          appeals: 1234,
          answered: 1000,
          answeredOnTime: 950,
          onTimeShare: 0.95,
          repeated: 100,
          repeatedShare: 100 / 1234,
          overdue: 7,
          byChannel: [
            { key: 'CHANNEL_LETTER', displayName: 'Письменное обращение (почта)', appeals: 800 },
            { key: 'CHANNEL_PHONE', displayName: 'Телефон', appeals: 0 },
          ],
        });
      }
      return json({ appeals: 5, bySection: [{ key: '0005.0000.0000.0000', displayName: 'Жилищно-коммунальная сфера', appeals: Number(url.searchParams.get('startDate.month')) }] });
    });
    renderApp('/');
    expect(within(await screen.findByTestId('tile-total')).getByText('1 234')).toBeInTheDocument();
    expect(screen.getByTestId('tile-on-time')).toHaveTextContent('95,0 %');
    expect(screen.getByTestId('tile-overdue')).toHaveTextContent('7');
    expect(within(screen.getByTestId('tile-overdue')).getByRole('link', { name: 'Показать в реестре' }).getAttribute('href')).toContain('deadline=overdue');
    expect(screen.getByRole('link', { name: 'Письмо' }).getAttribute('href')).toContain('channel=LETTER');
    expect(screen.queryByRole('link', { name: 'Телефонный звонок' })).not.toBeInTheDocument();
    // 1 request for the span, 12 for the months (the current one up to today).
    await waitFor(() => expect(api.requests.filter((r) => r.url.pathname === '/v1/appeals:statistics')).toHaveLength(13));
    const chart = await screen.findByTestId('sections-chart');
    expect(chart.textContent).toMatch(new RegExp(`^0005:(\\d+,){11}${today.month}$`));
    expect(screen.getByTestId('dashboard-basis')).toHaveTextContent('По данным статистики обращений, доступных вам');
    // No list pages are read to count in the browser any more.
    expect(api.requests.some((r) => r.url.pathname === '/v1/appeals')).toBe(false);
  });

  it("shows the year's meetings held and people reached from the meetings statistics", async () => {
    const today = cityToday();
    const api = fakeApi((_, url) => {
      if (url.pathname === '/v1/appeals:statistics') return json({ appeals: 0 });
      if (url.pathname === '/v1/meetings:statistics') return json({ year: today.year, yearMeetingsHeld: 1012, yearPeopleReached: 22437, reportsOverdue: 3 });
      return undefined;
    });
    renderApp('/');
    const panel = await screen.findByTestId('outreach-year');
    expect(within(panel).getByRole('heading', { name: `Встречи с жителями, ${today.year} год` })).toBeInTheDocument();
    expect(await within(panel).findByTestId('year-held')).toHaveTextContent('1 012');
    expect(within(panel).getByTestId('year-reached')).toHaveTextContent('22 437');
    expect(within(panel).getByTestId('year-overdue')).toHaveTextContent('3');
    const q = api.requests.find((r) => r.url.pathname === '/v1/meetings:statistics')!.url.searchParams;
    expect([q.get('startDate.month'), q.get('startDate.day'), q.get('endDate.year')]).toEqual(['1', '1', String(today.year)]);
  });
});
