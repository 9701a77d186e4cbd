// The clerks' scenarios. Every one makes its own unique data (ctx.runId in the text) and
// looks only for it: the database may hold anything else (demo data, other runs, `make run`).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { APP_ORIGIN } from './browser.mjs';

const CODE = '0003.0008.0086.0540'; // Земельный налог: not among the demo topics
const CODE_NAME = 'Земельный налог';
const UNKNOWN_CODE = '0005.0005.0056.9999';

/** Today's date in Khabarovsk, YYYY-MM-DD. */
const cityToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Vladivostok' }).format(new Date());

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A field by its label; a required field's label ends with an asterisk. */
const field = (page, label) => page.getByLabel(new RegExp(`^${esc(label)}\\s*\\*?$`));

const shot = (ctx, page, name, fullPage = false) => page.screenshot({ path: join(ctx.results, `${name}.png`), fullPage });

/** Signs in through the issuer's real login form, starting from `path` of the application. */
async function signIn(page, login, path = '/') {
  await page.goto(APP_ORIGIN + path);
  await page.waitForURL(/\/oidc\/login/);
  await page.getByLabel('Логин').fill(login);
  await page.getByLabel('Пароль').fill('demo');
  await page.getByRole('button', { name: 'Войти' }).click();
  await page.waitForURL((u) => u.href.startsWith(APP_ORIGIN) && !u.pathname.startsWith('/auth/'));
  await page.getByTestId('user-block').waitFor();
}

/** Picks an option of a Mantine Select by its label. */
async function choose(page, label, option) {
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
];
