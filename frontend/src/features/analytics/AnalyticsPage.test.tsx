import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppealStatistics } from '../../api/types';
import { cityToday } from '../../lib/time';
import { fakeApi, json, renderApp } from '../../test/utils';
import { monthOf, previousPeriod } from './period';

// No canvas in jsdom: the charts are replaced; the tables carry the same numbers.
vi.mock('../charts/RowsChart', () => ({ default: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

afterEach(() => vi.restoreAllMocks());

const row = (key: string, displayName: string, appeals: number, answered = 0, answeredOnTime = 0) => ({ key, displayName, appeals, answered, answeredOnTime });
const stats: AppealStatistics = {
  appeals: 1902,
  answered: 1770,
  answeredOnTime: 1666,
  onTimeShare: 1666 / 1770,
  averageDaysToAnswer: 18.52,
  repeated: 272,
  repeatedShare: 272 / 1902,
  overdue: 6,
  bySection: [row('0005.0000.0000.0000', 'Жилищно-коммунальная сфера', 1194, 1100, 1000), row('0003.0000.0000.0000', 'Экономика', 496)],
  byTopic: [row('0005.0005.0000.0000', 'Жилище', 1194)],
  byDistrict: [row('ZHD', 'Железнодорожный', 394), row('', 'Район не указан', 225)],
  byDepartment: [row('KUR-ZHD', 'Комитет по управлению Железнодорожным районом администрации города Хабаровска', 257)],
  byChannel: [row('CHANNEL_LETTER', 'Письменное обращение (почта)', 700), row('CHANNEL_PHONE', 'Телефон', 0)],
  growingTopics: [{ code: '0002.0014.0144.0000', displayName: 'Физическая культура и спорт', appeals: 13, previousAppeals: 6, growth: 7 / 6 }],
};

describe('analytics', () => {
  it('asks for the current month by default and shows the figures', async () => {
    const api = fakeApi((_, url) => (url.pathname === '/v1/appeals:statistics' ? json(stats) : undefined));
    renderApp('/analytics');
    const figures = await screen.findByTestId('figures');
    const m = monthOf(cityToday());
    const q = api.requests[0].url.searchParams;
    expect(Object.fromEntries(q)).toEqual({
      'startDate.year': String(m.from.year),
      'startDate.month': String(m.from.month),
      'startDate.day': '1',
      'endDate.year': String(m.to.year),
      'endDate.month': String(m.to.month),
      'endDate.day': String(m.to.day),
    });
    expect(within(screen.getByTestId('fig-appeals')).getByText('1 902')).toBeInTheDocument();
    expect(within(screen.getByTestId('fig-on-time')).getByText('94,1 %')).toBeInTheDocument();
    expect(screen.getByTestId('fig-on-time')).toHaveTextContent('1 666 из 1 770');
    expect(within(screen.getByTestId('fig-avg-days')).getByText('18,5 дн.')).toBeInTheDocument();
    expect(within(screen.getByTestId('fig-repeated')).getByText('14,3 %')).toBeInTheDocument();
    expect(screen.getByTestId('fig-repeated')).toHaveTextContent('272 обращения');
    expect(within(screen.getByTestId('fig-overdue')).getByText('6')).toBeInTheDocument();
    expect(figures).toBeInTheDocument();
    // The charts (lazily loaded) are there.
    expect(await screen.findByTestId('by-section-chart')).toBeInTheDocument();
    expect(screen.getByTestId('growing-chart')).toBeInTheDocument();
    const prev = previousPeriod(m);
    expect(screen.getByTestId('growing')).toHaveTextContent(`${String(prev.from.day).padStart(2, '0')}.${String(prev.from.month).padStart(2, '0')}.${prev.from.year}`);
  });

  it('takes any period from the URL, shows tables with links to the registry, and moves by month', async () => {
    const api = fakeApi((_, url) => (url.pathname === '/v1/appeals:statistics' ? json(stats) : undefined));
    const user = userEvent.setup();
    const { router } = renderApp('/analytics?from=2025-03-01&to=2025-03-31');
    await screen.findByTestId('figures');
    expect(api.requests[0].url.searchParams.get('startDate.month')).toBe('3');
    expect(screen.getByTestId('period-month')).toHaveValue('Март');
    const section = screen.getByTestId('by-section');
    await user.click(within(section).getByText('Таблица'));
    const table = within(section).getByTestId('by-section-table');
    expect(within(table).getByRole('link', { name: 'Жилищно-коммунальная сфера' })).toHaveAttribute('href', '/appeals?code=0005.0000.0000.0000&from=2025-03-01&to=2025-03-31');
    expect(table).toHaveTextContent('90,9 %');
    const districts = screen.getByTestId('by-district');
    await user.click(within(districts).getByText('Таблица'));
    expect(within(districts).getByText('Район не указан')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Следующий месяц' }));
    await waitFor(() => expect(router.state.location.search).toBe('?from=2025-04-01&to=2025-04-30'));
    await waitFor(() => expect(api.requests.at(-1)!.url.searchParams.get('endDate.day')).toBe('30'));

    await user.click(screen.getByRole('button', { name: 'Прошлый год' }));
    const y = cityToday().year - 1;
    await waitFor(() => expect(router.state.location.search).toBe(`?from=${y}-01-01&to=${y}-12-31`));
  });

  it('downloads the export with the bearer-token fetch, named as the server says', async () => {
    const api = fakeApi(
      (_, url) => (url.pathname === '/v1/appeals:statistics' ? json(stats) : undefined),
      (_, url) =>
        url.pathname === '/v1/appeals:exportStatistics'
          ? new Response(new Blob(['\uFEFFКод вопроса,Вопрос\n']), {
              status: 200,
              headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="appeal-statistics_2025-03-01_2025-03-31.csv"' },
            })
          : undefined,
    );
    const saved: string[] = [];
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const user = userEvent.setup();
    renderApp('/analytics?from=2025-03-01&to=2025-03-31');
    await user.click(await screen.findByTestId('export-csv'));
    expect(await screen.findByTestId('export-done')).toHaveTextContent('Файл «appeal-statistics_2025-03-01_2025-03-31.csv» скачан.');
    expect(saved).toEqual(['appeal-statistics_2025-03-01_2025-03-31.csv']);
    const exp = api.requests.find((r) => r.url.pathname === '/v1/appeals:exportStatistics')!;
    expect(exp.url.searchParams.get('format')).toBe('EXPORT_FORMAT_CSV');
    expect(exp.url.searchParams.get('startDate.day')).toBe('1');
    expect(exp.url.searchParams.get('endDate.day')).toBe('31');
  });

  it('says when the period is upside down, without asking the server', async () => {
    const api = fakeApi((_, url) => (url.pathname === '/v1/appeals:statistics' ? json(stats) : undefined));
    renderApp('/analytics?from=2025-03-31&to=2025-03-01');
    expect(await screen.findByText('Начало периода позже его конца.')).toBeInTheDocument();
    expect(api.requests).toHaveLength(0);
  });
});
