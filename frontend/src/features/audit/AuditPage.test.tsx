import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/principal';
import { appeal, fakeApi, fakeSession, json, renderApp } from '../../test/utils';
import { auditFilter, parseAuditQuery } from './AuditPage';

const auditor: Principal = { login: 'auditor', name: 'Волков Игорь Михайлович', roles: ['auditor'], department: '' };

describe('access log', () => {
  it('builds the filter: the appeal, the actor, the action and the days in city time', () => {
    const f = parseAuditQuery(new URLSearchParams('actor=clerk.zhd&action=READ_APPLICANT&from=2026-03-01&to=2026-03-31&appeal=2026-000001'));
    expect(auditFilter(f, 'appeals/01900000-0000-7000-8000-000000000001')).toBe(
      'appeal = "appeals/01900000-0000-7000-8000-000000000001" AND actor = "clerk.zhd" AND action = READ_APPLICANT AND time >= "2026-03-01" AND time < "2026-04-01"',
    );
    expect(parseAuditQuery(new URLSearchParams('actor=a"b&action=DROP'))).toMatchObject({ actor: '', action: '' });
  });

  it('finds the reads of an appeal given by its registration number, and pages', async () => {
    const a = appeal({ registrationNumber: '2026-000123' });
    const api = fakeApi(
      (_, url) => (url.pathname === '/v1/appeals' ? json({ appeals: [a] }) : undefined),
      (_, url) => (url.pathname === `/v1/${a.name}` ? json(a) : undefined),
      (_, url) =>
        url.pathname === '/v1/auditRecords'
          ? json(
              url.searchParams.get('pageToken') === 'P2'
                ? { records: [{ time: '2026-03-01T00:00:00Z', actor: 'head.zhd', actorName: 'Попов Дмитрий Сергеевич', action: 'READ_ATTACHMENT', appeal: a.name, purpose: 'download 01900000-0000-7000-8000-0000000000a1' }] }
                : {
                    records: [{ time: '2026-03-02T01:30:00Z', actor: 'clerk.zhd', actorName: 'Иванова Мария Петровна', action: 'READ_APPLICANT', appeal: a.name, purpose: 'подготовка ответа' }],
                    nextPageToken: 'P2',
                  },
            )
          : undefined,
    );
    const user = userEvent.setup();
    const { router } = renderApp('/audit', { session: fakeSession(auditor) });
    await screen.findByRole('heading', { name: 'Журнал доступа к персональным данным' });
    await user.type(screen.getByTestId('audit-appeal'), '2026-000123');
    await user.type(screen.getByTestId('audit-actor'), 'clerk.zhd');
    await user.click(screen.getByTestId('audit-apply'));
    await waitFor(() => expect(router.state.location.search).toBe('?appeal=2026-000123&actor=clerk.zhd'));
    const rows = await screen.findAllByTestId('audit-row');
    expect(rows[0]).toHaveTextContent('02.03.2026, 11:30');
    expect(rows[0]).toHaveTextContent('Просмотр данных заявителя');
    expect(rows[0]).toHaveTextContent('подготовка ответа');
    expect(await within(rows[0]).findByRole('link', { name: '№ 2026-000123' })).toHaveAttribute('href', `/${a.name}`);
    const call = api.requests.filter((r) => r.url.pathname === '/v1/auditRecords').at(-1)!;
    expect(call.url.searchParams.get('filter')).toBe(`appeal = "${a.name}" AND actor = "clerk.zhd"`);
    expect(api.requests.find((r) => r.url.pathname === '/v1/appeals')!.url.searchParams.get('filter')).toBe('registration_number = "2026-000123"');

    await user.click(screen.getByRole('button', { name: 'Следующая' }));
    expect(await within(screen.getByTestId('audit-table')).findByText('Скачивание вложения')).toBeInTheDocument();
    expect(within(screen.getByTestId('audit-table')).getByText('скачивание файла')).toBeInTheDocument();
    expect(screen.getByText(/Страница 2/)).toBeInTheDocument();
  });

  it('lists the newest records without any filter', async () => {
    const api = fakeApi((_, url) =>
      url.pathname === '/v1/auditRecords' ? json({ records: [{ time: '2026-03-02T01:30:00Z', actor: 'clerk.zhd', action: 'DESTROY', appeal: '', purpose: 'срок хранения истёк' }] }) : undefined,
    );
    renderApp('/audit', { session: fakeSession(auditor) });
    const table = await screen.findByTestId('audit-table');
    expect(within(table).getByText('Уничтожение данных')).toBeInTheDocument();
    expect(within(table).getByText('срок хранения истёк')).toBeInTheDocument();
    const call = api.requests.find((r) => r.url.pathname === '/v1/auditRecords')!;
    expect(call.url.searchParams.get('filter')).toBeNull();
    expect(call.url.searchParams.get('pageSize')).toBe('50');
  });

  it('is closed to everyone but auditors', async () => {
    fakeApi();
    renderApp('/audit');
    expect(await screen.findByTestId('audit-forbidden')).toHaveTextContent('Журнал доступа читают только аудиторы.');
  });
});
