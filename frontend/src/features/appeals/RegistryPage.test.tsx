import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { addDays, cityToday } from '../../lib/time';
import { appeal, fakeApi, json, renderApp } from '../../test/utils';

const today = cityToday();
const due = (days: number) => addDays(today, days);

describe('appeals registry', () => {
  it('lists the page with coloured deadlines and links to the cards', async () => {
    const soon = appeal({ answerDueDate: due(3), text: 'Скоро срок' });
    const overdue = appeal({ answerDueDate: due(-2), text: 'Просрочено' });
    const later = appeal({ answerDueDate: due(20), text: 'Не скоро' });
    const answered = appeal({ answerDueDate: due(-2), text: 'Отвечено', state: 'APPEAL_STATE_ANSWERED' });
    // The service's own verdict wins (e.g. after an extension).
    const extended = appeal({ answerDueDate: due(25), text: 'Продлено', deadlineState: 'DEADLINE_STATE_ON_TIME' });
    fakeApi((_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [soon, overdue, later, answered, extended], nextPageToken: '' }) : undefined));
    renderApp('/appeals');
    const row = (text: string) => screen.getByText(text).closest('tr')!;
    await screen.findByText('Скоро срок');
    expect(row('Скоро срок').querySelector('[data-deadline]')).toHaveAttribute('data-deadline', 'soon');
    expect(within(row('Скоро срок')).getByText('Осталось 3 дн.')).toBeInTheDocument();
    expect(row('Просрочено').querySelector('[data-deadline]')).toHaveAttribute('data-deadline', 'overdue');
    expect(within(row('Просрочено')).getByText('Просрочено на 2 дн.')).toBeInTheDocument();
    expect(row('Не скоро').querySelector('[data-deadline]')).toHaveAttribute('data-deadline', 'ok');
    expect(row('Отвечено').querySelector('[data-deadline]')).toHaveAttribute('data-deadline', 'closed');
    expect(within(row('Скоро срок')).getByRole('link', { name: soon.registrationNumber })).toHaveAttribute('href', `/appeals/${soon.name!.slice(8)}`);
    expect(row('Продлено').querySelector('[data-deadline]')).toHaveAttribute('data-deadline', 'ok');
    expect(screen.getByText('Страница 1 · Показано 5 обращений')).toBeInTheDocument();
  });

  it('sends the filters of the URL to the API', async () => {
    const api = fakeApi((_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [], nextPageToken: '' }) : undefined));
    renderApp('/appeals?state=REGISTERED&district=ZHD&code=0005.0005.0000.0000&sort=due_asc&size=20');
    expect(await screen.findByText('Обращений не найдено')).toBeInTheDocument();
    const q = api.requests[0].url.searchParams;
    expect(q.get('filter')).toBe('state = REGISTERED AND district = "ZHD" AND classifier_code = "0005.0005*"');
    expect(q.get('orderBy')).toBe('answer_due_date');
    expect(q.get('pageSize')).toBe('20');
    expect(screen.getByText('3 условия отбора')).toBeInTheDocument();
  });

  it('writes filter changes to the URL and starts from the first page', async () => {
    fakeApi((_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [appeal()], nextPageToken: '' }) : undefined));
    const user = userEvent.setup();
    const { router } = renderApp('/appeals?page=abc');
    await user.click(await screen.findByRole('combobox', { name: 'Район' }));
    await user.click(await screen.findByRole('option', { name: 'Индустриальный' }));
    await waitFor(() => expect(router.state.location.search).toBe('?district=IND'));
    await user.click(screen.getByRole('combobox', { name: 'Срок ответа' }));
    await user.click(await screen.findByRole('option', { name: 'Просрочен' }));
    await waitFor(() => expect(router.state.location.search).toBe('?district=IND&deadline=overdue'));
    await user.click(screen.getByRole('button', { name: 'Сбросить отбор' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
  });

  it('sorts by a column header, with aria-sort', async () => {
    const api = fakeApi((_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [appeal()], nextPageToken: '' }) : undefined));
    const user = userEvent.setup();
    const { router } = renderApp('/appeals');
    const header = await screen.findByRole('button', { name: /Сортировать: Срок ответа/ });
    expect(header.closest('th')).toHaveAttribute('aria-sort', 'none');
    await user.click(header);
    await waitFor(() => expect(router.state.location.search).toBe('?sort=due_asc'));
    await waitFor(() => expect(api.requests.at(-1)!.url.searchParams.get('orderBy')).toBe('answer_due_date'));
    expect(screen.getByRole('button', { name: /Сортировать: Срок ответа/ }).closest('th')).toHaveAttribute('aria-sort', 'ascending');
  });

  it('pages forward and back with page tokens', async () => {
    const first = appeal({ text: 'Первая страница' });
    const second = appeal({ text: 'Вторая страница' });
    const api = fakeApi((_, url) =>
      url.pathname === '/v1/appeals'
        ? url.searchParams.get('pageToken') === 'T2'
          ? json({ appeals: [second], nextPageToken: '' })
          : json({ appeals: [first], nextPageToken: 'T2' })
        : undefined,
    );
    const user = userEvent.setup();
    const { router } = renderApp('/appeals?district=ZHD');
    await screen.findByText('Первая страница');
    expect(screen.getByRole('button', { name: 'Предыдущая' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Следующая' }));
    await screen.findByText('Вторая страница');
    expect(router.state.location.search).toBe('?district=ZHD&page=T2');
    expect(screen.getByText(/Страница 2/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Следующая' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Предыдущая' }));
    await screen.findByText('Первая страница');
    expect(router.state.location.search).toBe('?district=ZHD');
    expect(api.requests.map((r) => r.url.searchParams.get('pageToken'))).toEqual([null, 'T2']);
  });

  it('searches by registration number, and narrows to repeated appeals and my own', async () => {
    const api = fakeApi((_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [appeal()], nextPageToken: '' }) : undefined));
    const user = userEvent.setup();
    const { router } = renderApp('/appeals');
    await user.type(await screen.findByTestId('filter-number'), '123{Enter}');
    const year = today.year;
    await waitFor(() => expect(router.state.location.search).toBe(`?number=${year}-000123`));
    await waitFor(() => expect(api.requests.at(-1)!.url.searchParams.get('filter')).toBe(`registration_number = "${year}-000123"`));
    await user.click(screen.getByRole('checkbox', { name: 'Только повторные' }));
    await user.click(screen.getByRole('checkbox', { name: 'Мои (я исполнитель)' }));
    await waitFor(() => expect(router.state.location.search).toBe(`?number=${year}-000123&repeated=1&mine=1`));
    await waitFor(() => expect(api.requests.at(-1)!.url.searchParams.get('filter')).toBe(`registration_number = "${year}-000123" AND repeated = true AND executor = "clerk.zhd"`));
    await user.click(screen.getByRole('combobox', { name: 'Срок ответа' }));
    await user.click(await screen.findByRole('option', { name: 'В срок (> 5 дн.)' }));
    await waitFor(() => expect(api.requests.at(-1)!.url.searchParams.get('filter')).toContain('deadline_state = ON_TIME'));
  });
});
