// The clerks' scenarios. Every one makes its own unique data (ctx.runId in the text) and
// looks only for it: the database may hold anything else (demo data, other runs, `make run`).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_ORIGIN } from './browser.mjs';

const CODE = '0003.0008.0086.0540'; // Земельный налог: not among the demo topics
const CODE_NAME = 'Земельный налог';
const UNKNOWN_CODE = '0005.0005.0056.9999';

/** Today's date in Khabarovsk, YYYY-MM-DD. */
export const cityToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Vladivostok' }).format(new Date());

export const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A field by its label; a required field's label ends with an asterisk. */
export const field = (page, label) => page.getByLabel(new RegExp(`^${esc(label)}\\s*\\*?$`));

export async function shot(ctx, page, name, fullPage = false) {
  // A full page is taken from the top: the fixed header would otherwise cross the middle.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ctx.results, `${name}.png`), fullPage });
}

/** Signs in through the issuer's real login form, starting from `path` of the application. */
export async function signIn(page, login, path = '/') {
  await page.goto(APP_ORIGIN + path);
  await page.waitForURL(/\/oidc\/login/);
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill('demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((u) => u.href.startsWith(APP_ORIGIN) && !u.pathname.startsWith('/auth/'));
  await page.getByTestId('user-block').waitFor();
}

/** Picks an option of a Mantine Select by its label. */
export async function choose(page, label, option) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function fillRegistration(page, { text, code, channel = 'Письмо', district = 'Железнодорожный' }) {
  await choose(page, 'Канал поступления', channel);
  await field(page, 'Фамилия, имя, отчество').fill('Автотестов Пётр Сергеевич');
  await field(page, 'Почтовый адрес').fill('680000, г. Хабаровск, ул. Муравьёва-Амурского, д. 1');
  await field(page, 'Текст обращения').fill(text);
  if (code) {
    const codes = page.locator('#f-codes');
    await codes.fill(code);
    await page.getByRole('option').first().waitFor();
    await codes.press('Enter');
    await page.locator(`li[data-code="${code}"]`).waitFor();
  }
  if (district) await choose(page, 'Район', district);
}


/**
 * Calls the API from the signed-in page with its own access token (sessionStorage), e.g. to
 * register an appeal without the form, or to change one behind the clerk's back.
 */
export async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:'));
      const token = JSON.parse(sessionStorage.getItem(key)).access_token;
      const res = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.json() };
    },
    { method, path, body },
  );
}

/** Registers an appeal of clerk.zhd's department through the API; returns its id and number. */
async function registerByApi(page, text, runId) {
  const r = await apiCall(page, 'POST', '/v1/appeals', {
    requestId: crypto.randomUUID(),
    appeal: { channel: 'CHANNEL_LETTER', text, classifierCodes: [CODE], district: 'ZHD' },
    // An address of its own: not a repeated appeal of every earlier run's applicant.
    applicant: { fullName: 'Автотестова Анна Петровна', postalAddress: `680000, г. Хабаровск, ул. Карла Маркса, д. ${runId}` },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { id: r.body.name.slice('appeals/'.length), number: r.body.registrationNumber, text };
}

/** The state badge next to the card's heading. */
const stateIs = (page, state) => page.getByTestId('card-state').filter({ hasText: state }).waitFor();

/** The open dialog of a workflow step. */
const dialog = (page) => page.getByRole('dialog');

export const scenarios = [
  {
    name: 'clerk.zhd signs in through the login form and sees the overview',
    required: true,
    async run(ctx) {
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd');
      await page.getByRole('heading', { name: 'Сводка', level: 1 }).waitFor();
      await page.getByTestId('user-block').filter({ hasText: 'Железнодорожн' }).waitFor();
      const user = await page.getByTestId('user-block').innerText();
      assert.match(user, /Иванова Мария Петровна/);
      assert.match(user, /Специалист/);
      await page.getByTestId('sections-chart').locator('canvas').waitFor();
      await page.getByTestId('dashboard-basis').waitFor();
      await shot(ctx, page, '01-dashboard');
    },
  },
  {
    name: 'clerk.zhd registers an appeal (a double click registers it once)',
    required: true,
    async run(ctx) {
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd', '/appeals/new');
      await page.getByRole('heading', { name: 'Регистрация обращения' }).waitFor();
      const text = `Автотест ${ctx.runId}: прошу разъяснить порядок начисления земельного налога за участок под гаражом.`;
      await fillRegistration(page, { text, code: CODE });
      await shot(ctx, page, '02-registration-form');
      let posts = 0;
      page.on('request', (r) => r.method() === 'POST' && r.url().includes('/v1/appeals') && posts++);
      await page.getByTestId('submit').dblclick();
      await page.waitForURL(/\/appeals\/[0-9a-f-]{36}$/);
      const h1 = page.getByRole('heading', { level: 1, name: /^Обращение № / });
      await h1.waitFor();
      const heading = await h1.innerText();
      const number = /№\s*(\S+)/.exec(heading)?.[1];
      assert.ok(number, `registration number in "${heading}"`);
      await page.getByText('Обращение зарегистрировано под номером').waitFor();
      await page.getByText(text).waitFor();
      await page.getByText(CODE_NAME).first().waitFor();
      await page.getByTestId('history').getByText('Обращение зарегистрировано').waitFor();
      await page.getByTestId('history').getByText(/Иванова Мария Петровна/).waitFor();
      assert.ok(posts <= 2, `at most two POSTs for a double click (got ${posts})`);
      ctx.shared.appeal = { id: page.url().split('/').pop(), number, text };
      await shot(ctx, page, '03-appeal-card', true);
    },
  },
  {
    name: 'clerk.zhd finds the appeal in the registry by filter, once, and opens its card',
    async run(ctx) {
      const { appeal } = ctx.shared;
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd', '/appeals');
      await page.getByRole('heading', { name: 'Реестр обращений' }).waitFor();
      const today = cityToday();
      // What the clicks below must produce; later scenarios open it as a bookmark.
      ctx.shared.registryURL = `${APP_ORIGIN}/appeals?code=${CODE}&from=${today}&to=${today}`;
      const picker = page.getByRole('combobox', { name: 'Раздел, тематика или тема', exact: true });
      await picker.click();
      await picker.fill(CODE_NAME.toLowerCase());
      await page.getByRole('option', { name: new RegExp(CODE_NAME) }).first().click();
      await page.getByLabel('Дата регистрации с').fill(today);
      await page.getByLabel('Дата регистрации по').fill(today);
      await page.waitForURL((u) => u.searchParams.get('code') === CODE && u.searchParams.get('from') === today && u.searchParams.get('to') === today);
      const row = page.getByRole('row').filter({ hasText: appeal.text.slice(0, 40) });
      await row.first().waitFor();
      assert.equal(await row.count(), 1, 'the double click registered exactly one appeal');
      await shot(ctx, page, '04-registry-filtered');
      assert.equal(page.url(), ctx.shared.registryURL);

      // The same view from a bookmark, then to the card with the keyboard only.
      await page.goto(ctx.shared.registryURL);
      const link = page.getByRole('link', { name: appeal.number, exact: true });
      await link.waitFor();
      await page.locator('#page-title').focus();
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await link.evaluate((el) => el === document.activeElement);
      }
      assert.ok(reached, 'the registration number link is reachable with Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/appeals/${appeal.id}$`));
      await page.getByRole('heading', { name: `Обращение № ${appeal.number}` }).waitFor();
    },
  },
  {
    name: 'clerk.ind does not find the appeal: not in the registry, the card answers not found',
    async run(ctx) {
      const { appeal, registryURL } = ctx.shared;
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.ind', `/appeals/${appeal.id}`);
      await page.getByRole('heading', { name: 'Обращение не найдено' }).waitFor();
      await page.getByTestId('not-found').waitFor();
      await shot(ctx, page, '05-clerk-ind-not-found');
      await page.goto(registryURL.replace(/^https?:\/\/[^/]+/, APP_ORIGIN));
      await page.getByRole('heading', { name: 'Реестр обращений' }).waitFor();
      await page.getByText(/Обращений не найдено|Показано/).first().waitFor();
      assert.equal(await page.getByText(appeal.text.slice(0, 40)).count(), 0);
      assert.equal(await page.getByRole('link', { name: appeal.number, exact: true }).count(), 0);
    },
  },
  {
    name: "an invalid form shows the server's field message beside the field, and the client's own checks",
    async run(ctx) {
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd', '/appeals/new');
      const text = `Автотест ${ctx.runId}: код классификатора введён вручную.`;
      await fillRegistration(page, { text, code: UNKNOWN_CODE });
      // The client knows only the code's format; whether it exists is the server's to say.
      const response = page.waitForResponse((r) => r.url().includes('/v1/appeals') && r.request().method() === 'POST');
      await page.getByTestId('submit').click();
      assert.equal((await response).status(), 400);
      const codeError = page.locator(`li[data-code="${UNKNOWN_CODE}"]`).getByTestId('code-error');
      await codeError.waitFor();
      assert.match(await codeError.innerText(), new RegExp(`Кода ${UNKNOWN_CODE.replace(/\./g, '\\.')} нет в классификаторе ССТУ`));
      await page.getByTestId('form-errors').waitFor();
      await shot(ctx, page, '06-server-field-violation');

      // A receive time in the future is caught before sending.
      let posted = false;
      page.on('request', (r) => r.method() === 'POST' && r.url().includes('/v1/appeals') && (posted = true));
      await page.getByRole('button', { name: `Удалить код ${UNKNOWN_CODE}` }).click();
      const tomorrow = new Date(Date.now() + 36 * 3600_000);
      const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Vladivostok', dateStyle: 'short', timeStyle: 'short' }).format(tomorrow).replace(' ', 'T');
      await page.getByLabel('Дата и время поступления').fill(local);
      await page.getByTestId('submit').click();
      await page.getByText('Дата поступления не может быть позже текущего времени').waitFor();
      await page.getByText('Укажите хотя бы один вопрос по классификатору').waitFor();
      assert.equal(posted, false, 'nothing is sent while the client finds errors');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-receiveTime', 'the first invalid field has the focus');
      await shot(ctx, page, '07-client-checks');
    },
  },
  {
    name: 'an expired session sends the clerk to sign in and keeps the half-filled form',
    async run(ctx) {
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd', '/appeals/new');
      const text = `Автотест ${ctx.runId}: заявление о перерасчёте, набранное до истечения сеанса.`;
      await fillRegistration(page, { text, code: CODE });
      // The session ends: the token is no longer accepted and cannot be renewed.
      await page.evaluate(() => {
        for (let i = 0; i < sessionStorage.length; i++) {
          const k = sessionStorage.key(i);
          if (k?.startsWith('oidc.user:')) {
            const u = JSON.parse(sessionStorage.getItem(k));
            u.access_token = 'expired.' + u.access_token.split('.')[1] + '.invalid';
            delete u.refresh_token;
            sessionStorage.setItem(k, JSON.stringify(u));
          }
        }
      });
      await page.reload();
      await field(page, 'Текст обращения').waitFor();
      await page.getByTestId('submit').click();
      await page.waitForURL(/\/oidc\/login/);
      await page.getByLabel('Логин').fill('clerk.zhd');
      await page.getByLabel('Пароль').fill('demo');
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.waitForURL(`${APP_ORIGIN}/appeals/new`);
      await page.getByTestId('draft-restored').waitFor();
      assert.match(await page.getByTestId('draft-restored').innerText(), /Вы снова вошли в систему/);
      assert.equal(await field(page, 'Текст обращения').inputValue(), text);
      await page.locator(`li[data-code="${CODE}"]`).waitFor();
      await shot(ctx, page, '08-restored-after-sign-in');
      await page.getByTestId('submit').click();
      await page.waitForURL(/\/appeals\/[0-9a-f-]{36}$/);
      await page.getByText(text).waitFor();
    },
  },
  {
    name: 'the registry reads on a phone, the language switches, sign-out ends the session',
    async run(ctx) {
      const { appeal, registryURL } = ctx.shared;
      const s = await ctx.session({ viewport: { width: 390, height: 844 } });
      const { page } = s;
      await signIn(page, 'clerk.zhd', new URL(registryURL).pathname + new URL(registryURL).search);
      await page.getByRole('link', { name: new RegExp(appeal.number) }).waitFor();
      await shot(ctx, page, '09-phone-registry');
      await page.getByRole('link', { name: new RegExp(appeal.number) }).click();
      await page.getByRole('heading', { name: `Обращение № ${appeal.number}` }).waitFor();
      await shot(ctx, page, '10-phone-card', true);
      await s.close();

      const d = await ctx.session();
      await signIn(d.page, 'head.zhd', '/appeals?deadline=soon&sort=due_asc');
      await d.page.getByText('EN', { exact: true }).click();
      await d.page.getByRole('heading', { name: 'Appeals registry' }).waitFor();
      await shot(ctx, d.page, '11-registry-english');
      await d.page.getByText('RU', { exact: true }).click();
      await d.page.getByRole('button', { name: 'Выйти' }).click();
      await d.page.waitForURL(`${APP_ORIGIN}/signed-out`);
      await d.page.getByRole('heading', { name: 'Вы вышли из системы' }).waitFor();
      await shot(ctx, d.page, '12-signed-out');
      // Signed out means signed out: the registry asks for the login again.
      await d.page.goto(`${APP_ORIGIN}/appeals`);
      await d.page.waitForURL(/\/oidc\/login/);
    },
  },
  {
    name: 'clerk.zhd assigns, starts and answers the appeal, and attaches and downloads a file',
    async run(ctx) {
      const { appeal } = ctx.shared;
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd', `/appeals/${appeal.id}`);
      await page.getByRole('heading', { name: `Обращение № ${appeal.number}` }).waitFor();
      const actions = page.getByTestId('actions');
      await actions.getByTestId('action-assign').waitFor();
      // A clerk sees neither the head's steps nor those the state does not allow.
      for (const k of ['extend', 'endCorrespondence', 'start', 'answer', 'reopen']) assert.equal(await actions.getByTestId(`action-${k}`).count(), 0, `no ${k} button`);

      await actions.getByTestId('action-assign').click();
      await dialog(page).getByLabel(/Исполнитель \(логин\)/).waitFor();
      assert.equal(await dialog(page).getByLabel(/Исполнитель \(логин\)/).inputValue(), 'clerk.zhd');
      await shot(ctx, page, '13-assign-dialog');
      await dialog(page).getByTestId('action-submit').click();
      await page.getByTestId('action-done').filter({ hasText: 'Исполнитель назначен' }).waitFor();
      await stateIs(page, 'Назначен исполнитель');

      await actions.getByTestId('action-start').click();
      await page.getByTestId('action-done').filter({ hasText: 'принято в работу' }).waitFor();
      await stateIs(page, 'На исполнении');

      await actions.getByTestId('action-answer').click();
      await field(dialog(page), 'Текст ответа').fill(`Автотест ${ctx.runId}: разъясняем порядок начисления земельного налога.`);
      await choose(page, 'Результат рассмотрения', 'Разъяснено');
      await field(dialog(page), 'Подписал').fill('Попов Д. С., председатель комитета');
      await shot(ctx, page, '14-answer-dialog');
      await dialog(page).getByTestId('action-submit').click();
      await page.getByTestId('action-done').filter({ hasText: 'Ответ зарегистрирован' }).waitFor();
      await stateIs(page, 'Дан ответ');
      const outcome = page.getByRole('region', { name: 'Результат рассмотрения' });
      await outcome.getByText(/Разъяснено · .* · Попов Д\. С\./).waitFor();
      await outcome.getByText('дан в срок').waitFor();
      const history = page.getByTestId('history');
      for (const h of ['Назначен исполнитель', 'Принято в работу', 'Дан ответ']) await history.getByText(h, { exact: true }).waitFor();
      await history.getByText(/подписал: Попов Д\. С\./).waitFor();
      // Closed: the answer cannot be given twice, the appeal can be reopened.
      await actions.getByTestId('action-reopen').waitFor();
      assert.equal(await actions.getByTestId('action-answer').count(), 0);

      // A file: checked, attached, listed, downloaded (an audited read).
      const filename = `справка-${ctx.runId}.txt`;
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('attach-file').click();
      await (await chooser).setFiles({ name: filename, mimeType: 'text/plain', buffer: Buffer.from('Справка о начислении налога') });
      const list = page.getByTestId('attachment-list');
      await list.getByText(filename).waitFor();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: `Скачать ${filename}` }).click();
      assert.equal((await download).suggestedFilename(), filename);
      await shot(ctx, page, '15-card-answered', true);
    },
  },
  {
    name: 'head.zhd extends the answer deadline; clerk.zhd does not see the button',
    async run(ctx) {
      const c = await ctx.session();
      await signIn(c.page, 'clerk.zhd', '/');
      const appeal = await registerByApi(c.page, `Автотест ${ctx.runId}: требуется выезд на место для проверки начисления налога.`, ctx.runId);
      await c.page.goto(`${APP_ORIGIN}/appeals/${appeal.id}`);
      await c.page.getByTestId('action-assign').waitFor();
      assert.equal(await c.page.getByTestId('action-extend').count(), 0, 'a clerk has no extend button');
      await c.close();

      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'head.zhd', `/appeals/${appeal.id}`);
      await page.getByTestId('action-extend').click();
      const days = dialog(page).getByLabel(/На сколько дней продлить/);
      await days.fill('10');
      await dialog(page).getByTestId('new-due').waitFor();
      await field(dialog(page), 'Основание продления').fill('Необходим выезд на место и запрос в налоговый орган');
      await shot(ctx, page, '16-extend-dialog');
      await dialog(page).getByTestId('action-submit').click();
      await page.getByTestId('action-done').filter({ hasText: 'Срок ответа продлён' }).waitFor();
      const deadlines = page.getByRole('region', { name: 'Сроки (59-ФЗ)' });
      await deadlines.getByText('на 10 дн.').waitFor();
      await deadlines.getByText(/Необходим выезд на место/).waitFor();
      // Once only: the button is gone.
      assert.equal(await page.getByTestId('action-extend').count(), 0);
      await page.getByTestId('history').getByText('Срок ответа продлён', { exact: true }).waitFor();
      await shot(ctx, page, '17-card-extended', true);
    },
  },
  {
    name: 'clerk.zhd forwards an appeal: the server refuses the body complained about, a stale card reloads',
    async run(ctx) {
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd', '/');
      const appeal = await registerByApi(page, `Автотест ${ctx.runId}: жалоба на управляющую компанию, вопрос краевого жилищного надзора.`, ctx.runId);
      await page.goto(`${APP_ORIGIN}/appeals/${appeal.id}`);
      await page.getByTestId('action-forward').click();
      const body = 'Главное управление регионального государственного контроля Хабаровского края';
      await field(dialog(page), 'Орган, в компетенцию которого входит решение вопроса').fill(body);
      await dialog(page).getByLabel(/Жалоба на действия органа/).fill('главное управление регионального государственного контроля');
      await dialog(page).getByLabel('Заявитель уведомлён о переадресации').check();
      await dialog(page).getByTestId('action-submit').click();
      const refusal = dialog(page).getByTestId('refusal');
      await refusal.waitFor();
      assert.equal(await refusal.getAttribute('data-reason'), 'COMPLAINT_TO_ACCUSED_BODY');
      await refusal.getByText('Жалобу нельзя направлять в орган, действия которого обжалуются.').waitFor();
      await shot(ctx, page, '18-forward-refused');
      await dialog(page).getByLabel(/Жалоба на действия органа/).fill('');

      // Meanwhile someone else assigns the appeal: the card's etag is stale.
      const current = await apiCall(page, 'GET', `/v1/appeals/${appeal.id}`);
      const other = await apiCall(page, 'POST', `/v1/appeals/${appeal.id}:assign`, { etag: current.body.etag, executor: 'clerk.zhd' });
      assert.equal(other.status, 200, JSON.stringify(other.body));
      await dialog(page).getByTestId('action-submit').click();
      await page.getByTestId('action-conflict').waitFor();
      await stateIs(page, 'Назначен исполнитель');
      await shot(ctx, page, '19-etag-conflict');

      // What was typed is kept: forward again on the fresh card.
      await page.getByTestId('action-forward').click();
      await dialog(page).getByTestId('action-draft-restored').waitFor();
      assert.equal(await field(dialog(page), 'Орган, в компетенцию которого входит решение вопроса').inputValue(), body);
      await dialog(page).getByTestId('action-submit').click();
      await page.getByTestId('action-done').filter({ hasText: 'переадресовано' }).waitFor();
      await stateIs(page, 'Перенаправлено');
      const outcome = page.getByRole('region', { name: 'Результат рассмотрения' });
      await outcome.getByText(body, { exact: false }).waitFor();
      await outcome.getByText(/заявитель уведомлён/).waitFor();
      await page.getByTestId('actions-none').or(page.getByTestId('action-markDuplicate')).first().waitFor();
      assert.equal(await page.getByTestId('action-reopen').count(), 0, 'a forwarded appeal is not reopened');
      await shot(ctx, page, '20-card-forwarded', true);
    },
  },
  {
    name: "clerk.zhd reads the applicant for a purpose; the auditor sees the read in the access log",
    async run(ctx) {
      const { appeal } = ctx.shared;
      const purpose = `подготовка ответа, автотест ${ctx.runId}`;
      const c = await ctx.session();
      await signIn(c.page, 'clerk.zhd', `/appeals/${appeal.id}`);
      assert.equal(await c.page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Журнал доступа' }).count(), 0, 'no access log for a clerk');
      await c.page.getByTestId('show-applicant').click();
      const d = dialog(c.page);
      await d.getByTestId('purpose-explain').getByText(/записывается в журнал доступа/).waitFor();
      await d.getByLabel(/Цель просмотра/).fill(purpose);
      await shot(ctx, c.page, '21-purpose-dialog');
      await d.getByTestId('purpose-submit').click();
      const data = c.page.getByTestId('applicant-data');
      await data.getByText('Автотестов Пётр Сергеевич').waitFor();
      await data.getByText(/Просмотр записан в журнал доступа/).waitFor();
      await c.close();

      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'auditor', '/');
      const nav = page.getByRole('navigation', { name: 'Разделы' });
      assert.equal(await nav.getByRole('link', { name: 'Регистрация' }).count(), 0, 'an auditor does not register');
      await nav.getByRole('link', { name: 'Журнал доступа' }).click();
      await page.getByRole('heading', { name: 'Журнал доступа к персональным данным' }).waitFor();
      await page.getByTestId('audit-appeal').fill(appeal.number);
      await page.getByTestId('audit-actor').fill('clerk.zhd');
      await page.getByTestId('audit-apply').click();
      const row = page.getByTestId('audit-row').filter({ hasText: purpose });
      await row.waitFor();
      // The appeal is named by its number once read.
      await row.getByRole('link', { name: `№ ${appeal.number}` }).waitFor();
      assert.match(await row.innerText(), /Иванова Мария Петровна[\s\S]*Просмотр данных заявителя/);
      await page.getByTestId('audit-row').filter({ hasText: 'Скачивание вложения' }).first().waitFor();
      await shot(ctx, page, '22-audit-log');
    },
  },
  {
    name: 'the analytics page shows the figures and the CSV export downloads',
    async run(ctx) {
      const s = await ctx.session();
      const { page } = s;
      await signIn(page, 'clerk.zhd', '/');
      await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Аналитика' }).click();
      await page.getByRole('heading', { name: 'Аналитика обращений' }).waitFor();
      const appeals = Number((await page.getByTestId('fig-appeals').locator('[data-value]').innerText()).replace(/\D/g, ''));
      assert.ok(appeals >= 3, `this month's appeals (${appeals}) include this run's`);
      await page.getByTestId('fig-on-time').waitFor();
      await page.getByTestId('by-section-chart').locator('canvas').waitFor();
      await page.getByTestId('by-channel-chart').locator('canvas').waitFor();
      await shot(ctx, page, '23-analytics', true);

      const download = page.waitForEvent('download');
      await page.getByTestId('export-csv').click();
      const file = await download;
      assert.match(file.suggestedFilename(), /^appeal-statistics_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = (await readFile(await file.path())).toString('utf8');
      assert.match(csv, /^\uFEFF?Код вопроса,/);
      assert.ok(csv.includes('0003.0008.0086.0540'), "the run's classifier question is in the report");
      await page.getByTestId('export-done').waitFor();

      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId('by-section-chart').locator('canvas').waitFor();
      await shot(ctx, page, '24-phone-analytics', true);
    },
  },
];
