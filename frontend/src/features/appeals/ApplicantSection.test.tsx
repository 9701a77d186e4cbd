import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/principal';
import { appeal, clerk, fakeApi, fakeSession, json, renderApp } from '../../test/utils';

const auditor: Principal = { login: 'auditor', name: 'Волков Игорь Михайлович', roles: ['auditor'], department: '' };

function cardApi(a = appeal()) {
  const id = a.name!.slice(8);
  const api = fakeApi(
    (_, url) => (url.pathname === `/v1/appeals/${id}` ? json(a) : undefined),
    (_, url) =>
      url.pathname === `/v1/appeals/${id}/applicant`
        ? json({ name: `appeals/${id}/applicant`, fullName: 'Петров Пётр Петрович', postalAddress: '680000, г. Хабаровск, ул. Ленина, д. 1', email: '', phone: '+7 914 000-00-00' })
        : undefined,
    (_, url) => (url.pathname === `/v1/appeals/${id}/history` ? json({ entries: [] }) : undefined),
    (_, url) => (url.pathname === `/v1/appeals/${id}/attachments` ? json({ attachments: [] }) : undefined),
  );
  return { id, api };
}

describe("the applicant's personal data", () => {
  it('asks for the purpose, says the read is recorded, and shows the data', async () => {
    const { id, api } = cardApi();
    const user = userEvent.setup();
    renderApp(`/appeals/${id}`, { session: fakeSession(clerk) });
    const section = await screen.findByRole('region', { name: 'Заявитель' });
    expect(within(section).queryByText('Петров Пётр Петрович')).not.toBeInTheDocument();
    await user.click(within(section).getByRole('button', { name: 'Показать данные заявителя' }));

    const dialog = await screen.findByRole('dialog', { name: 'Просмотр персональных данных' });
    expect(within(dialog).getByTestId('purpose-explain')).toHaveTextContent('Просмотр записывается в журнал доступа к персональным данным: кто, когда, по какому обращению и с какой целью');
    // Without a purpose nothing is read.
    await user.click(within(dialog).getByTestId('purpose-submit'));
    expect(within(dialog).getByText('Не короче 3 знаков')).toBeInTheDocument();
    expect(api.requests.some((r) => r.url.pathname.endsWith('/applicant'))).toBe(false);

    await user.type(within(dialog).getByTestId('purpose-input'), 'подготовка ответа');
    await user.click(within(dialog).getByTestId('purpose-submit'));
    const data = await within(section).findByTestId('applicant-data');
    expect(within(data).getByText('Петров Пётр Петрович')).toBeInTheDocument();
    expect(within(data).getByText('+7 914 000-00-00')).toBeInTheDocument();
    expect(data).toHaveTextContent(/Просмотр записан в журнал доступа .*, цель: «подготовка ответа»/);
    const read = api.requests.find((r) => r.url.pathname === `/v1/appeals/${id}/applicant`)!;
    expect(read.url.searchParams.get('purpose')).toBe('подготовка ответа');
    // Personal data never lands in a draft.
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('Петров');

    await user.click(within(section).getByRole('button', { name: 'Скрыть' }));
    expect(within(section).queryByText('Петров Пётр Петрович')).not.toBeInTheDocument();
  });

  it('says a meeting question has no applicant and offers no read', async () => {
    const a = { ...appeal(), channel: 'CHANNEL_OUTREACH_MEETING' as const, source: 'meetings/0190a1b2-0000-7000-8000-000000000001/questions/0190a1b2-0000-7000-8000-000000000002' };
    const { id, api } = cardApi(a);
    renderApp(`/appeals/${id}`, { session: fakeSession(clerk) });
    const section = await screen.findByRole('region', { name: 'Заявитель' });
    expect(await within(section).findByTestId('applicant-meeting')).toHaveTextContent('Заявителя нет: вопрос задан жителями на встрече с населением');
    expect(within(section).queryByRole('button', { name: 'Показать данные заявителя' })).not.toBeInTheDocument();
    expect(api.requests.some((r) => r.url.pathname.endsWith('/applicant'))).toBe(false);
  });

  it("shows the service's refusal", async () => {
    const a = appeal();
    const id = a.name!.slice(8);
    fakeApi(
      (_, url) => (url.pathname === `/v1/appeals/${id}` ? json(a) : undefined),
      (_, url) =>
        url.pathname === `/v1/appeals/${id}/applicant`
          ? json(
              {
                error: {
                  code: 403,
                  status: 'PERMISSION_DENIED',
                  message: "your role does not read applicants' personal data; those working on the appeal do",
                  details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'NO_PERSONAL_DATA_ACCESS' }],
                },
              },
              403,
            )
          : undefined,
    );
    const user = userEvent.setup();
    renderApp(`/appeals/${id}`, { session: fakeSession(clerk) });
    await user.click(await screen.findByTestId('show-applicant'));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByTestId('purpose-input'), 'проверка');
    await user.click(within(dialog).getByTestId('purpose-submit'));
    const refusal = await within(dialog).findByTestId('refusal');
    expect(refusal).toHaveTextContent('Персональные данные заявителя видят только те, кто работает с обращением.');
    expect(refusal).toHaveTextContent('NO_PERSONAL_DATA_ACCESS');
  });

  it('is not offered to those who do not work on the appeal', async () => {
    const { id } = cardApi();
    renderApp(`/appeals/${id}`, { session: fakeSession(auditor) });
    const section = await screen.findByRole('region', { name: 'Заявитель' });
    expect(within(section).queryByRole('button', { name: 'Показать данные заявителя' })).not.toBeInTheDocument();
    expect(section).toHaveTextContent('Персональные данные видят только специалисты и руководители подразделений, работающих с обращением.');
  });
});
