import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Appeal } from '../../../api/types';
import type { Principal } from '../../../auth/principal';
import { addDays, cityToday } from '../../../lib/time';
import { appeal, clerk, fakeApi, fakeSession, json, renderApp, type Handler } from '../../../test/utils';

const head: Principal = { login: 'head.zhd', name: 'Попов Дмитрий Сергеевич', roles: ['head'], department: 'KUR-ZHD' };
const curator: Principal = { login: 'curator', name: 'Васильев Андрей Игоревич', roles: ['curator'], department: '' };
const coExecutor: Principal = { login: 'clerk.ind', name: 'Сидорова', roles: ['clerk'], department: 'KUR-IND' };
const future = addDays(cityToday(), 20);

/** The card's reads: the appeal (as `current()` says now), its history, files and the directory. */
function cardApi(current: () => Appeal, ...more: Handler[]) {
  const id = current().name!.slice(8);
  return fakeApi(
    ...more,
    (req, url) => (req.method === 'GET' && url.pathname === `/v1/appeals/${id}` ? json(current()) : undefined),
    (_, url) => (url.pathname === `/v1/appeals/${id}/history` ? json({ entries: [] }) : undefined),
    (_, url) => (url.pathname === `/v1/appeals/${id}/attachments` ? json({ attachments: [] }) : undefined),
    (_, url) =>
      url.pathname === '/v1/departments'
        ? json({
            departments: [
              { code: 'KUR-ZHD', displayName: 'Комитет по управлению Железнодорожным районом администрации города Хабаровска', active: true },
              { code: 'KUR-IND', displayName: 'Комитет по управлению Индустриальным районом администрации города Хабаровска', active: true },
            ],
          })
        : undefined,
  );
}

const buttons = () =>
  within(screen.getByTestId('actions'))
    .queryAllByRole('button')
    .filter((b) => b.dataset.testid?.startsWith('action-'))
    .map((b) => b.textContent);

describe('workflow actions on the card', () => {
  it("shows a clerk the steps the state allows, without the head's", async () => {
    const a = appeal({ state: 'APPEAL_STATE_IN_PROGRESS', answerDueDate: future, repeated: true });
    cardApi(() => a);
    renderApp(`/appeals/${a.name!.slice(8)}`, { session: fakeSession(clerk) });
    await screen.findByTestId('action-answer');
    expect(buttons()).toEqual(['Назначить', 'Ответить', 'Переадресовать', 'Вернуть', 'Оставить без ответа', 'Отметить дубликат']);
    expect(screen.queryByRole('button', { name: 'Продлить срок' })).not.toBeInTheDocument();
  });

  it('shows the head the extension and the end of correspondence', async () => {
    const a = appeal({ state: 'APPEAL_STATE_IN_PROGRESS', answerDueDate: future, repeated: true });
    cardApi(() => a);
    renderApp(`/appeals/${a.name!.slice(8)}`, { session: fakeSession(head) });
    await screen.findByTestId('action-extend');
    expect(buttons()).toEqual(['Назначить', 'Ответить', 'Переадресовать', 'Продлить срок', 'Вернуть', 'Оставить без ответа', 'Прекратить переписку', 'Отметить дубликат']);
  });

  it('offers a closed appeal only reopening (and marking a duplicate)', async () => {
    const a = appeal({ state: 'APPEAL_STATE_ANSWERED', answerDueDate: future, deadlineState: 'DEADLINE_STATE_CLOSED' });
    cardApi(() => a);
    renderApp(`/appeals/${a.name!.slice(8)}`, { session: fakeSession(head) });
    await screen.findByTestId('action-reopen');
    expect(buttons()).toEqual(['Возобновить', 'Отметить дубликат']);
  });

  it('offers nothing to a curator, and tells a co-executor who changes the appeal', async () => {
    const a = appeal({ state: 'APPEAL_STATE_REGISTERED', coExecutors: ['KUR-IND'] });
    cardApi(() => a);
    const { unmount } = renderApp(`/appeals/${a.name!.slice(8)}`, { session: fakeSession(curator) });
    expect(await screen.findByTestId('actions-read-only')).toHaveTextContent('Вы можете только просматривать это обращение.');
    expect(buttons()).toEqual([]);
    unmount();
    renderApp(`/appeals/${a.name!.slice(8)}`, { session: fakeSession(coExecutor) });
    expect(await screen.findByTestId('actions-read-only')).toHaveTextContent(/соисполнитель/);
  });

  it('assigns with the etag it read and shows the new state', async () => {
    let current = appeal({ state: 'APPEAL_STATE_REGISTERED', etag: '7' });
    const id = current.name!.slice(8);
    const api = cardApi(
      () => current,
      (req, url) => {
        if (req.method !== 'POST' || url.pathname !== `/v1/appeals/${id}:assign`) return undefined;
        current = { ...current, state: 'APPEAL_STATE_ASSIGNED', executor: 'clerk.zhd', coExecutors: ['KUR-IND'], etag: '8' };
        return json(current);
      },
    );
    const user = userEvent.setup();
    renderApp(`/appeals/${id}`, { session: fakeSession(clerk) });
    await user.click(await screen.findByTestId('action-assign'));
    const dialog = await screen.findByRole('dialog', { name: 'Назначение исполнителя' });
    expect(within(dialog).getByDisplayValue('clerk.zhd')).toHaveAccessibleName(/Исполнитель \(логин\)/);
    await user.click(within(dialog).getByPlaceholderText('Выберите подразделения'));
    await user.click(await screen.findByRole('option', { name: /Индустриальным районом/ }));
    await user.click(within(dialog).getByTestId('action-submit'));
    expect(await screen.findByTestId('action-done')).toHaveTextContent('Исполнитель назначен.');
    const post = api.requests.find((r) => r.method === 'POST')!;
    expect(post.url.pathname).toBe(`/v1/appeals/${id}:assign`);
    expect(post.body).toEqual({ etag: '7', coExecutors: ['KUR-IND'], executor: 'clerk.zhd' });
    expect(within(screen.getByTestId('card-state')).getByText('Назначен исполнитель')).toBeInTheDocument();
    // The next step is offered; the draft is gone.
    expect(screen.getByTestId('action-start')).toBeInTheDocument();
    expect(sessionStorage.getItem(`cityhall:draft:clerk.zhd:action:${id}:assign`)).toBeNull();
  });

  it('on a stale etag reloads the card, says someone else changed it, and keeps the draft', async () => {
    let current = appeal({ state: 'APPEAL_STATE_REGISTERED', etag: '1' });
    const id = current.name!.slice(8);
    const api = cardApi(
      () => current,
      (req, url) => {
        if (req.method !== 'POST' || url.pathname !== `/v1/appeals/${id}:return`) return undefined;
        // Someone else assigned it in the meantime.
        current = { ...current, state: 'APPEAL_STATE_ASSIGNED', executor: 'clerk.oog', etag: '2' };
        return json(
          {
            error: {
              code: 409,
              status: 'ABORTED',
              message: `appeals/${id} was changed since it was read; read it again and retry`,
              details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ETAG_MISMATCH', domain: 'appeals.cityhall' }],
            },
          },
          409,
        );
      },
    );
    const user = userEvent.setup();
    renderApp(`/appeals/${id}`, { session: fakeSession(clerk) });
    await user.click(await screen.findByTestId('action-return'));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: /Причина возврата/ }), 'Заявитель отозвал обращение');
    await user.click(within(dialog).getByTestId('action-submit'));

    const conflict = await screen.findByTestId('action-conflict');
    expect(conflict).toHaveTextContent('Обращение изменил другой пользователь');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // The card was read again and shows what the other user did.
    await waitFor(() => expect(within(screen.getByTestId('card-state')).getByText('Назначен исполнитель')).toBeInTheDocument());
    expect(api.requests.filter((r) => r.method === 'GET' && r.url.pathname === `/v1/appeals/${id}`).length).toBeGreaterThanOrEqual(2);
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({ etag: '1', reason: 'Заявитель отозвал обращение' });

    // What was typed is still there, and goes with the new etag.
    await user.click(screen.getByTestId('action-return'));
    const again = await screen.findByRole('dialog');
    expect(within(again).getByTestId('action-draft-restored')).toBeInTheDocument();
    expect(within(again).getByRole('textbox', { name: /Причина возврата/ })).toHaveValue('Заявитель отозвал обращение');
  });

  it("shows the server's refusal with its reason and message, inside the dialog", async () => {
    const a = appeal({ state: 'APPEAL_STATE_IN_PROGRESS', answerDueDate: future });
    const id = a.name!.slice(8);
    const api = cardApi(
      () => a,
      (req, url) =>
        req.method === 'POST' && url.pathname === `/v1/appeals/${id}:extend`
          ? json(
              {
                error: {
                  code: 400,
                  status: 'FAILED_PRECONDITION',
                  message: 'the answer deadline was already extended on 2026-03-02; the law allows one extension',
                  details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'EXTENSION_ALREADY_USED', domain: 'appeals.cityhall' }],
                },
              },
              400,
            )
          : undefined,
    );
    const user = userEvent.setup();
    renderApp(`/appeals/${id}`, { session: fakeSession(head) });
    await user.click(await screen.findByTestId('action-extend'));
    const dialog = await screen.findByRole('dialog', { name: 'Продление срока ответа' });
    // Checked before sending: a reason is required, at most 30 days.
    const days = within(dialog).getByRole('textbox', { name: /На сколько дней продлить/ });
    await user.clear(days);
    await user.type(days, '45');
    await user.click(within(dialog).getByTestId('action-submit'));
    expect(within(dialog).getByText('От 1 до 30 дней')).toBeInTheDocument();
    expect(within(dialog).getByText('Заполните поле')).toBeInTheDocument();
    expect(api.requests.some((r) => r.method === 'POST')).toBe(false);

    await user.clear(days);
    await user.type(days, '10');
    await user.type(within(dialog).getByRole('textbox', { name: /Основание продления/ }), 'Нужна проверка на месте');
    await user.click(within(dialog).getByTestId('action-submit'));
    const refusal = await within(dialog).findByTestId('refusal');
    expect(refusal).toHaveTextContent('Срок ответа уже продлевался; закон допускает одно продление.');
    expect(within(refusal).getByTestId('refusal-reason')).toHaveTextContent('EXTENSION_ALREADY_USED');
    expect(refusal).toHaveTextContent('the law allows one extension');
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({ etag: '1', days: 10, reason: 'Нужна проверка на месте' });
    // The dialog stays open for another try; the card did not change.
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('marks a duplicate of an appeal found by its registration number', async () => {
    const a = appeal({ state: 'APPEAL_STATE_REGISTERED' });
    const original = appeal({ state: 'APPEAL_STATE_ANSWERED', registrationNumber: '2026-000042', text: 'Первое обращение' });
    const id = a.name!.slice(8);
    const api = cardApi(
      () => a,
      (req, url) => (req.method === 'GET' && url.pathname === '/v1/appeals' ? json({ appeals: [original] }) : undefined),
      (req, url) => (req.method === 'POST' && url.pathname === `/v1/appeals/${id}:markDuplicate` ? json({ ...a, duplicateOf: original.name, etag: '2' }) : undefined),
    );
    const user = userEvent.setup();
    renderApp(`/appeals/${id}`, { session: fakeSession(clerk) });
    await user.click(await screen.findByTestId('action-markDuplicate'));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: /Регистрационный номер/ }), '2026-42{Enter}');
    expect(await within(dialog).findByText('Первое обращение')).toBeInTheDocument();
    const list = api.requests.find((r) => r.url.pathname === '/v1/appeals')!;
    expect(list.url.searchParams.get('filter')).toBe('registration_number = "2026-000042"');
    await user.click(within(dialog).getByTestId('action-submit'));
    await screen.findByTestId('action-done');
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({ etag: '1', duplicateOf: original.name });
  });
});
