import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { appeal, fakeApi, json, renderApp } from '../../test/utils';

describe('appeal card', () => {
  it('shows every field, the deadlines and the history so far', async () => {
    const a = appeal({
      receiveTime: '2026-02-27T23:00:00Z',
      registerTime: '2026-03-01T01:00:00Z',
      collective: true,
      signatories: 12,
      classifierCodes: ['0005.0005.0056.1149', '0003.0008.0086.0540'],
      text: 'Многострочный\nтекст обращения',
    });
    const id = a.name!.slice(8);
    const api = fakeApi(
      (_, url) => (url.pathname === `/v1/appeals/${id}` ? json(a) : undefined),
      (_, url) =>
        url.pathname === `/v1/appeals/${id}/history`
          ? json({
              entries: [
                { time: '2026-03-01T01:00:00Z', actor: 'clerk.zhd', actorName: 'Иванова Мария Петровна', action: 'registered', state: 'APPEAL_STATE_REGISTERED', note: '' },
                { time: '2026-03-02T02:00:00Z', actor: 'head.zhd', actorName: 'Попов Дмитрий Сергеевич', action: 'assigned', state: 'APPEAL_STATE_ASSIGNED', note: 'исполнитель clerk.zhd' },
              ],
            })
          : undefined,
    );
    renderApp(`/appeals/${id}`);
    expect(await screen.findByRole('heading', { level: 1, name: `Обращение № ${a.registrationNumber}` })).toBeInTheDocument();
    expect(api.requests[0].url.pathname).toBe(`/v1/appeals/${id}`);
    const main = screen.getByRole('region', { name: 'Сведения об обращении' });
    expect(within(main).getByText('Письмо')).toBeInTheDocument();
    expect(within(main).getByText('28.02.2026, 09:00')).toBeInTheDocument(); // received, Khabarovsk time
    expect(within(main).getByText('01.03.2026, 11:00')).toBeInTheDocument(); // registered
    expect(within(main).getByText('Железнодорожный')).toBeInTheDocument();
    expect(within(main).getByText(/Комитет по управлению Железнодорожным районом/)).toBeInTheDocument();
    expect(within(main).getByText('Да, подписавших: 12')).toBeInTheDocument();
    expect(within(main).getByText('Земельный налог')).toBeInTheDocument();
    expect(within(main).getByText('Экономика › Финансы › Налоги и сборы')).toBeInTheDocument();
    expect(screen.getByText(/Многострочный/)).toBeInTheDocument();

    const deadlines = screen.getByRole('region', { name: 'Сроки (59-ФЗ)' });
    expect(within(deadlines).getByText('31.03.2026')).toBeInTheDocument();
    expect(within(deadlines).getByText('04.03.2026')).toBeInTheDocument();
    expect(within(deadlines).getByText('зарегистрировано в срок')).toBeInTheDocument();

    const history = screen.getByRole('region', { name: 'История' });
    expect(await within(history).findByText('Назначен исполнитель')).toBeInTheDocument();
    expect(within(history).getByText('Обращение зарегистрировано')).toBeInTheDocument();
    expect(within(history).getByText('02.03.2026, 12:00 · Попов Дмитрий Сергеевич')).toBeInTheDocument();
    expect(within(history).getByText('исполнитель clerk.zhd')).toBeInTheDocument();
    expect(screen.getByText(id)).toBeInTheDocument();
  });

  it('shows the registration when the history cannot be read', async () => {
    const a = appeal();
    const id = a.name!.slice(8);
    fakeApi((_, url) => (url.pathname === `/v1/appeals/${id}` ? json(a) : undefined));
    renderApp(`/appeals/${id}`);
    const history = await screen.findByRole('region', { name: 'История' });
    expect(await within(history).findByTestId('history-unavailable')).toBeInTheDocument();
    expect(within(history).getByText('Обращение зарегистрировано')).toBeInTheDocument();
  });

  it('shows the outcome when there is one', async () => {
    const a = appeal({
      state: 'APPEAL_STATE_ANSWERED',
      deadlineState: 'DEADLINE_STATE_CLOSED',
      answer: { text: 'Перерасчёт выполнен.', result: 'ANSWER_RESULT_SUPPORTED', signer: 'Попов Д. С.', answerTime: '2026-03-20T03:00:00Z', onTime: true, oral: false },
      extension: { days: 30, reason: 'нужна проверка на месте', extendedBy: 'head.zhd', extendTime: '2026-03-25T00:00:00Z' },
    });
    const id = a.name!.slice(8);
    fakeApi((_, url) => (url.pathname === `/v1/appeals/${id}` ? json(a) : undefined));
    renderApp(`/appeals/${id}`);
    const outcome = await screen.findByRole('region', { name: 'Результат рассмотрения' });
    expect(within(outcome).getByText('Поддержано · 20.03.2026, 13:00 · Попов Д. С.')).toBeInTheDocument();
    expect(within(outcome).getByText('дан в срок')).toBeInTheDocument();
    expect(within(outcome).getByText('Перерасчёт выполнен.')).toBeInTheDocument();
    const deadlines = screen.getByRole('region', { name: 'Сроки (59-ФЗ)' });
    expect(within(deadlines).getByText('на 30 дн.')).toBeInTheDocument();
    expect(within(deadlines).getByText('Рассмотрено')).toBeInTheDocument();
  });

  it("answers another department's appeal as not found", async () => {
    fakeApi((_, url) => (url.pathname.startsWith('/v1/appeals/') ? json({ error: { code: 404, status: 'NOT_FOUND', message: 'appeals/x not found' } }, 404) : undefined));
    renderApp('/appeals/01900000-0000-7000-8000-000000000999');
    expect(await screen.findByRole('heading', { name: 'Обращение не найдено' })).toBeInTheDocument();
    expect(screen.getByText(/относится к другому подразделению/)).toBeInTheDocument();
  });
});
