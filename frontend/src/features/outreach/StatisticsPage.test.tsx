import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PublicApp } from '../../app/PublicApp';
import { cityToday } from '../../lib/time';
import { clerk, fakeApi, fakeSession, json, renderApp, seededQueryClient } from '../../test/utils';
import { chartRows } from './StatisticsPage';

// No canvas in jsdom: the charts are replaced; the tables carry the same numbers.
vi.mock('../charts/RowsChart', () => ({ default: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

const stats = {
  meetingsPlanned: 29,
  meetingsHeld: 24,
  meetingsCancelled: 1,
  reportsOverdue: 2,
  peopleReached: 778,
  questions: 51,
  questionsAnsweredOnTheSpot: 39,
  questionsReferred: 12,
  unscheduledHeld: 2,
  byMonth: [{ key: '2026-11', displayName: 'ноябрь 2026', meetingsHeld: 23, peopleReached: 735, questions: 48 }],
  byDistrict: [{ key: 'ZHD', displayName: 'Железнодорожный', meetingsHeld: 5, peopleReached: 174, questions: 12 }],
  byDepartment: [{ key: 'KUR-ZHD', displayName: 'Комитет по управлению Железнодорожным районом администрации города Хабаровска', meetingsHeld: 4, peopleReached: 123, questions: 11 }],
  bySpeaker: [{ key: 'officials/x', displayName: 'Васильев Андрей Игоревич', meetingsHeld: 5, peopleReached: 90, questions: 12 }],
  year: 2026,
  yearMeetingsHeld: 24,
  yearPeopleReached: 778,
};

describe('meetings statistics', () => {
  it('shows the figures of this year by default and each breakdown as a table beside its chart', async () => {
    const api = fakeApi((_, url) => (url.pathname === '/v1/meetings:statistics' ? json(stats) : undefined));
    renderApp('/meetings/statistics', { session: fakeSession(clerk) });
    expect(await screen.findByTestId('stat-held')).toHaveTextContent('24');
    expect(screen.getByTestId('stat-reached')).toHaveTextContent('778');
    expect(screen.getByTestId('stat-questions')).toHaveTextContent('ответ на месте: 39, обращений: 12');
    expect(screen.getByTestId('stat-overdue')).toHaveTextContent('2');
    expect(within(screen.getByTestId('table-by-month')).getByRole('link', { name: 'ноябрь 2026' })).toHaveAttribute('href', '/meetings?month=2026-11&view=list');
    expect(within(screen.getByTestId('table-by-department')).getByText('Комитет по управлению Железнодорожным районом')).toBeInTheDocument();
    expect(await screen.findByTestId('chart-by-speaker')).toBeInTheDocument();
    const q = api.requests[0].url.searchParams;
    const today = cityToday();
    expect([q.get('startDate.year'), q.get('startDate.month'), q.get('startDate.day')]).toEqual([String(today.year), '1', '1']);
    expect(q.get('endDate.day')).toBe(String(today.day));
  });

  it('charts meetings or reach', () => {
    expect(chartRows(stats.byDistrict, 'held')).toEqual([{ key: 'ZHD', name: 'Железнодорожный', value: 5 }]);
    expect(chartRows(stats.byDistrict, 'reached')).toEqual([{ key: 'ZHD', name: 'Железнодорожный', value: 174 }]);
  });
});

describe('public schedule', () => {
  it('lists upcoming meetings by day with their public fields and the calendar feed', async () => {
    const api = fakeApi((_, url) =>
      url.pathname === '/v1/publicMeetings'
        ? json({
            meetings: [
              {
                name: 'meetings/1',
                topic: 'О подготовке к паводку',
                speakers: [{ official: 'officials/x', fullName: 'Васильев Андрей Игоревич', position: 'Заместитель мэра города' }],
                audience: 'жители частного сектора',
                district: 'ZHD',
                districtDisplayName: 'Железнодорожный',
                venue: 'Клуб',
                startTime: '2026-12-04T08:00:00Z',
                endTime: '2026-12-04T09:00:00Z',
                departmentDisplayName: 'Комитет по управлению Железнодорожным районом',
                state: 'MEETING_STATE_POSTPONED',
                previousStartTime: '2026-12-02T08:00:00Z',
              },
            ],
          })
        : undefined,
    );
    render(<PublicApp queryClient={seededQueryClient()} env="test" />);
    const item = await screen.findByTestId('public-meeting');
    expect(within(item).getByText('18:00–19:00')).toBeInTheDocument();
    expect(within(item).getByText('Перенесена с 02.12.2026, 18:00')).toBeInTheDocument();
    expect(within(item).getByText(/Васильев Андрей Игоревич, Заместитель мэра города/)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Пятница, 4 декабря' })).toBeInTheDocument();
    expect(api.requests[0].url.pathname).toBe('/v1/publicMeetings');
    expect(screen.getByTestId('public-ics')).toHaveAttribute('href', 'http://api.test/v1/publicMeetings.ics');
  });
});
