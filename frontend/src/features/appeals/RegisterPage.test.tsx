import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { noteSignInReason } from '../../auth/session';
import { appeal, fakeApi, json, renderApp } from '../../test/utils';

const field = (name: RegExp | string) => screen.getByLabelText(name, { exact: false });

async function paste(user: ReturnType<typeof userEvent.setup>, el: HTMLElement, text: string) {
  await user.click(el);
  await user.paste(text);
}

async function fillValid(user: ReturnType<typeof userEvent.setup>, code = '0005.0005.0056.1149') {
  await user.click(screen.getByRole('combobox', { name: 'Канал поступления' }));
  await user.click(await screen.findByRole('option', { name: 'Письмо' }));
  // Pasted, not typed key by key: the tests stay fast on a busy machine.
  await paste(user, field('Фамилия, имя, отчество'), 'Петров Пётр Петрович');
  await paste(user, field('Почтовый адрес'), 'г. Хабаровск, ул. Ленина, д. 1, кв. 2');
  await paste(user, field('Текст обращения'), 'Нет горячей воды третий день');
  const codes = document.getElementById('f-codes')!;
  await user.type(codes, code);
  await user.keyboard('{Enter}');
  await screen.findByText(code);
}

describe('registration form', () => {
  it('checks the form before sending anything and focuses the first invalid field', async () => {
    const api = fakeApi();
    const user = userEvent.setup();
    renderApp('/appeals/new');
    await screen.findByRole('heading', { name: 'Регистрация обращения' });
    await user.click(screen.getByRole('button', { name: 'Зарегистрировать' }));
    expect(await screen.findByText('Укажите канал поступления')).toBeInTheDocument();
    expect(screen.getByText('Введите текст обращения')).toBeInTheDocument();
    expect(screen.getByText('Укажите хотя бы один вопрос по классификатору')).toBeInTheDocument();
    expect(screen.getByText('Укажите фамилию, имя и отчество заявителя')).toBeInTheDocument();
    expect(screen.getByText('Укажите почтовый адрес для ответа')).toBeInTheDocument();
    await waitFor(() => expect(document.activeElement?.id).toBe('f-channel'));
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it("shows the server's field violations beside the fields they name", async () => {
    fakeApi((req) =>
      req.method === 'POST'
        ? json(
            {
              error: {
                code: 400,
                status: 'INVALID_ARGUMENT',
                message: 'the appeal cannot be registered',
                details: [
                  { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'INVALID_APPEAL', domain: 'appeals.cityhall' },
                  {
                    '@type': 'type.googleapis.com/google.rpc.BadRequest',
                    fieldViolations: [
                      { field: 'appeal.classifier_codes[0]', description: '0005.0005.0056.9999 is not in the ССТУ classifier' },
                      { field: 'appeal.text', description: 'a new rule the client does not know' },
                    ],
                  },
                ],
              },
            },
            400,
          )
        : undefined,
    );
    const user = userEvent.setup();
    renderApp('/appeals/new');
    await screen.findByRole('heading', { name: 'Регистрация обращения' });
    await fillValid(user, '0005.0005.0056.9999');
    expect(screen.getByText('нет в классификаторе')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Зарегистрировать' }));

    const item = document.querySelector('li[data-code="0005.0005.0056.9999"]') as HTMLElement;
    expect(await within(item).findByText('Кода 0005.0005.0056.9999 нет в классификаторе ССТУ')).toBeInTheDocument();
    const text = field('Текст обращения');
    expect(text).toHaveAttribute('aria-invalid', 'true');
    expect(text).toHaveAccessibleDescription(expect.stringContaining('a new rule the client does not know'));
    expect(screen.getByTestId('form-errors')).toHaveTextContent('Обращение не зарегистрировано');

    // Editing the field clears the server's message about it.
    await user.type(text, '!');
    expect(screen.queryByText('a new rule the client does not know')).not.toBeInTheDocument();
  });

  it('sends once per click, keeps the request id across a retry, and opens the registered appeal', async () => {
    const created = appeal();
    let posts = 0;
    let release: () => void = () => undefined;
    const api = fakeApi(async (req) => {
      if (req.method !== 'POST') return undefined;
      posts++;
      if (posts === 1) {
        await new Promise<void>((r) => (release = r));
        return json({ error: { code: 503, status: 'UNAVAILABLE', message: 'try later' } }, 503);
      }
      return json(created);
    });
    const user = userEvent.setup();
    const { router } = renderApp('/appeals/new');
    await screen.findByRole('heading', { name: 'Регистрация обращения' });
    await fillValid(user);

    const submit = screen.getByTestId('submit');
    await user.dblClick(submit);
    await waitFor(() => expect(submit).toBeDisabled());
    expect(posts).toBe(1);
    release();
    expect(await screen.findByText('Сервис временно недоступен. Повторите попытку через минуту.')).toBeInTheDocument();

    await user.click(screen.getByTestId('submit'));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/appeals/${created.name!.slice(8)}`));
    const sent = api.requests.filter((r) => r.method === 'POST');
    expect(sent).toHaveLength(2);
    const ids = sent.map((r) => (r.body as { requestId: string }).requestId);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[1]).toBe(ids[0]);
    // Personal data only in the body, never in the URL.
    expect(sent[1].url.search).toBe('');
    expect(sent[1].body).toEqual({
      requestId: ids[0],
      appeal: { channel: 'CHANNEL_LETTER', text: 'Нет горячей воды третий день', classifierCodes: ['0005.0005.0056.1149'] },
      applicant: { fullName: 'Петров Пётр Петрович', postalAddress: 'г. Хабаровск, ул. Ленина, д. 1, кв. 2' },
    });
    expect(sessionStorage.getItem('cityhall:draft:clerk.zhd:register')).toBeNull();
  });

  it('registers an anonymous appeal without an applicant', async () => {
    const created = appeal({ anonymous: true });
    const api = fakeApi((req) => (req.method === 'POST' ? json(created) : undefined));
    const user = userEvent.setup();
    renderApp('/appeals/new');
    await screen.findByRole('heading', { name: 'Регистрация обращения' });
    await user.click(screen.getByRole('checkbox', { name: /Анонимное обращение/ }));
    expect(screen.queryByLabelText('Фамилия, имя, отчество', { exact: false })).not.toBeInTheDocument();
    await user.click(screen.getByRole('combobox', { name: 'Канал поступления' }));
    await user.click(await screen.findByRole('option', { name: 'Письмо' }));
    await paste(user, field('Текст обращения'), 'Без подписи');
    await user.type(document.getElementById('f-codes')!, '1149');
    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Зарегистрировать' }));
    await waitFor(() => expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(1));
    const body = api.requests.find((r) => r.method === 'POST')!.body as Record<string, unknown>;
    expect(body.applicant).toBeUndefined();
    expect(body.appeal).toMatchObject({ anonymous: true, text: 'Без подписи' });
  });

  it('restores a draft kept in the tab, with its request id', async () => {
    fakeApi();
    sessionStorage.setItem(
      'cityhall:draft:clerk.zhd:register',
      JSON.stringify({ requestId: 'r-1', channel: 'CHANNEL_PHONE', receiveTime: '', text: 'Начатый текст', codes: ['0005.0005.0056.1156'], district: 'ZHD', department: '', collective: false, signatories: '' }),
    );
    sessionStorage.setItem('cityhall:reauth', '1');
    noteSignInReason(); // what Session.start does after the sign-in callback
    renderApp('/appeals/new');
    expect(await screen.findByTestId('draft-restored')).toHaveTextContent('Вы снова вошли в систему');
    expect(field('Текст обращения')).toHaveValue('Начатый текст');
    expect(screen.getByText('0005.0005.0056.1156')).toBeInTheDocument();
    expect(JSON.parse(sessionStorage.getItem('cityhall:draft:clerk.zhd:register')!).requestId).toBe('r-1');
  });

  it('is not offered to a role that does not register', async () => {
    fakeApi();
    renderApp('/appeals/new', { session: { ...(await import('../../test/utils')).fakeSession({ login: 'mayor', name: 'Мэр', roles: ['mayor'], department: '' }) } });
    expect(await screen.findByText('Ваша роль не предусматривает регистрацию обращений.')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Регистрация' })).not.toBeInTheDocument();
  });
});
