// The meetings with residents in the browser: a department proposes a month's meetings, its head
// submits the plan, the vice-mayor returns it with comments and then approves it, a change after
// approval is recorded, a meeting is held and reported with a follow-up question that becomes an
// appeal, the appeal's answer comes back on the meeting; the residents' public schedule shows no
// internal fields; statistics and the overview's totals.
//
// Plans are shared by every run against the same database, and an approved plan stays approved:
// each run takes a past month nobody has planned yet (its meetings have taken place, so one can
// be reported at once), found through the API.
import assert from 'node:assert/strict';
import { APP_ORIGIN } from './browser.mjs';
import { apiCall, cityToday, esc, field, shot, signIn } from './scenarios.mjs';

const CODE_NAME = 'Земельный налог';
const pad = (n) => String(n).padStart(2, '0');

/** The newest month before 2026 whose plan (regular or election) nobody has opened. */
async function freeMonth(page) {
  const r = await apiCall(page, 'GET', '/v1/meetingPlans?pageSize=1000');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const used = new Set((r.body.meetingPlans ?? []).map((p) => p.name.replace(/^meetingPlans\//, '').replace(/-election$/, '')));
  for (let i = 0; i < 12 * 25; i++) {
    const y = 2025 - Math.floor(i / 12);
    const m = 12 - (i % 12);
    const id = `${y}-${pad(m)}`;
    if (!used.has(id)) return { id, year: y, month: m };
  }
  throw new Error('no free month left between 2001 and 2025');
}

/** Fills the meeting dialog (a proposal, an unscheduled meeting). */
async function fillMeeting(page, { topic, date, start, end, speaker = 'Васильев', audience, venue }) {
  const dlg = page.getByRole('dialog');
  await field(dlg, 'Тема встречи').fill(topic);
  const speakers = dlg.getByLabel(/^Выступающие/);
  await speakers.click();
  await speakers.fill(speaker);
  await page.getByRole('option', { name: new RegExp(esc(speaker)) }).first().click();
  await page.keyboard.press('Escape').catch(() => undefined);
  if (audience) await field(dlg, 'Аудитория').fill(audience);
  await dlg.getByRole('combobox', { name: 'Район' }).click();
  await page.getByRole('option', { name: 'Железнодорожный', exact: true }).click();
  await field(dlg, 'Место проведения').fill(venue);
  await field(dlg, 'Дата').fill(date);
  await field(dlg, 'Начало').fill(start);
  if (end) await field(dlg, 'Окончание').fill(end);
}

/** Reloads the page until `locator` shows up (an event crossing services), at most `tries` times. */
async function eventually(page, locator, tries = 20) {
  for (let i = 0; i < tries; i++) {
    if (await locator.count()) return;
    await page.waitForTimeout(1000);
    await page.reload();
    await page.getByTestId('user-block').waitFor();
  }
  await locator.first().waitFor({ timeout: 5000 });
}

export const outreachScenarios = [
  {
    name: "meetings: clerk.zhd proposes a month's meetings into its plan (the client checks the month)",
    required: true,
    async run(ctx) {
      const { page } = await ctx.session();
      await signIn(page, 'clerk.zhd', '/meetings/plans');
      await page.getByRole('heading', { name: 'Планы информационных встреч', level: 1 }).waitFor();
      const month = await freeMonth(page);
      const topics = [`Встреча ${ctx.runId}: о ремонте дворов`, `Встреча ${ctx.runId}: о вывозе мусора`];
      ctx.shared.outreach = { month, topics };
      await page.goto(`${APP_ORIGIN}/meetings/plans/${month.id}`);
      await page.getByRole('heading', { level: 1, name: /^План информационных встреч на/ }).waitFor();
      await page.getByTestId('plan-empty').waitFor();
      assert.equal(await page.getByTestId('plan-submit').count(), 0, 'a clerk does not submit the plan');

      await page.getByTestId('plan-propose').click();
      await fillMeeting(page, { topic: topics[0], date: `${month.id}-12`, start: '15:00', end: '16:30', audience: 'жители микрорайона', venue: 'МБОУ СОШ № 5, актовый зал' });
      await shot(ctx, page, '30-propose-meeting');
      await page.getByTestId('meeting-submit').click();
      await page.getByTestId('plan-done').filter({ hasText: 'Встреча добавлена в план' }).waitFor();

      // A date outside the plan's month is refused before sending, beside the field.
      await page.getByTestId('plan-propose').click();
      const other = month.month === 12 ? `${month.year + 1}-01-10` : `${month.year}-${pad(month.month + 1)}-10`;
      await fillMeeting(page, { topic: topics[1], date: other, start: '11:00', venue: 'Дом культуры «Радуга»' });
      await page.getByTestId('meeting-submit').click();
      await page.getByRole('dialog').getByText('Дата должна быть в месяце плана').waitFor();
      await field(page.getByRole('dialog'), 'Дата').fill(`${month.id}-19`);
      await page.getByTestId('meeting-submit').click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });

      const table = page.getByTestId('plan-table');
      for (const topic of topics) await table.getByRole('link', { name: topic }).waitFor();
      await table.getByText(`12.${pad(month.month)}.${month.year}, 15:00–16:30`).waitFor();
      await page.getByTestId('plan-state').filter({ hasText: 'Формируется' }).waitFor();
      await shot(ctx, page, '31-plan-draft', true);

      // The month in the calendar.
      await page.goto(`${APP_ORIGIN}/meetings?month=${month.id}`);
      await page.getByTestId('calendar-grid').getByRole('link', { name: new RegExp(esc(topics[0])) }).waitFor();
      await shot(ctx, page, '32-calendar-month');
      ctx.shared.outreach.meetings = await Promise.all(
        topics.map(async (topic) => {
          const href = await page.getByTestId('calendar-grid').getByRole('link', { name: new RegExp(esc(topic)) }).getAttribute('href');
          return { topic, id: href.split('/').pop() };
        }),
      );
    },
  },
  {
    name: 'meetings: head.zhd submits the plan; the vice-mayor returns it with comments, then approves it',
    required: true,
    async run(ctx) {
      const { month, topics } = ctx.shared.outreach;
      const head = await ctx.session();
      await signIn(head.page, 'head.zhd', `/meetings/plans/${month.id}`);
      await head.page.getByTestId('plan-submit').click();
      await head.page.getByTestId('plan-step-submit').click();
      await head.page.getByTestId('plan-done').filter({ hasText: 'План направлен на утверждение' }).waitFor();
      await head.page.getByTestId('plan-state').filter({ hasText: 'На утверждении' }).waitFor();

      const vm = await ctx.session();
      const { page } = vm;
      await signIn(page, 'vicemayor', '/');
      await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Планы на месяц' }).click();
      const waiting = page.getByTestId('plans-to-approve');
      await waiting.getByRole('link', { name: new RegExp(`${esc(String(month.year))}`) }).first().waitFor();
      await shot(ctx, page, '33-plans-to-approve');
      await page.goto(`${APP_ORIGIN}/meetings/plans/${month.id}`);
      for (const topic of topics) await page.getByTestId('plan-table').getByRole('link', { name: topic }).waitFor();
      await page.getByTestId('plan-return').click();
      const comment = `Уточните аудиторию встречи «${topics[1]}».`;
      await page.getByRole('dialog').getByLabel(/^Замечания/).fill(comment);
      await page.getByTestId('plan-step-submit').click();
      await page.getByTestId('plan-state').filter({ hasText: 'Возвращён на доработку' }).waitFor();

      // The head sees the comments and submits the plan again.
      await head.page.reload();
      await head.page.getByTestId('plan-returned').filter({ hasText: comment }).waitFor();
      await shot(ctx, head.page, '34-plan-returned');
      await head.page.getByTestId('plan-submit').click();
      await head.page.getByTestId('plan-step-submit').click();
      await head.page.getByTestId('plan-state').filter({ hasText: 'На утверждении' }).waitFor();

      await page.reload();
      await page.getByTestId('plan-approve').click();
      await page.getByTestId('plan-step-submit').click();
      await page.getByTestId('plan-done').filter({ hasText: 'План утверждён' }).waitFor();
      await page.getByTestId('plan-state').filter({ hasText: 'Утверждён' }).waitFor();
      await page.getByTestId('plan-revision').filter({ hasText: 'Редакция 1' }).waitFor();
      const log = page.getByTestId('plan-changes');
      for (const step of ['План направлен на утверждение', 'План возвращён на доработку', 'План утверждён']) await log.getByText(step).first().waitFor();
      await log.getByText(comment).waitFor();
      await shot(ctx, page, '35-plan-approved', true);
    },
  },
  {
    name: "meetings: a change after approval is recorded in the plan's log (clerk.zhd postpones a meeting)",
    async run(ctx) {
      const { month, meetings } = ctx.shared.outreach;
      const { page } = await ctx.session();
      await signIn(page, 'clerk.zhd', `/meetings/${meetings[1].id}`);
      await page.getByRole('heading', { level: 1, name: meetings[1].topic }).waitFor();
      await page.getByTestId('meeting-postpone').click();
      const dlg = page.getByRole('dialog');
      await field(dlg, 'Новая дата').fill(`${month.id}-26`);
      await field(dlg, 'Причина').fill('Актовый зал занят');
      await page.getByTestId('meeting-step-submit').click();
      await page.getByTestId('meeting-done').filter({ hasText: 'Встреча перенесена' }).waitFor();
      await page.getByTestId('meeting-state').filter({ hasText: 'Перенесена' }).waitFor();
      await page.getByText(`19.${pad(month.month)}.${month.year}, 11:00`).waitFor(); // was scheduled for
      await page.goto(`${APP_ORIGIN}/meetings/plans/${month.id}`);
      await page.getByTestId('plan-revision').filter({ hasText: 'Редакция 2' }).waitFor();
      const log = page.getByTestId('plan-changes');
      await log.getByText('Встреча перенесена').waitFor();
      await log.getByText('ред. 2').waitFor();
      await log.getByText(/Актовый зал занят/).waitFor();
    },
  },
  {
    name: 'meetings: clerk.zhd holds a meeting and files its closing report; the follow-up question becomes an appeal',
    required: true,
    async run(ctx) {
      const { meetings, topics } = ctx.shared.outreach;
      const { page } = await ctx.session();
      await signIn(page, 'clerk.zhd', `/meetings/${meetings[0].id}`);
      await page.getByRole('heading', { level: 1, name: topics[0] }).waitFor();
      await page.getByTestId('meeting-report').click();
      const dlg = page.getByTestId('dialog-report');
      // Attendance is required: the form says so before sending.
      await page.getByTestId('report-submit').click();
      await dlg.getByText('Укажите число присутствовавших').waitFor();
      await field(dlg, 'Присутствовало жителей').fill('37');

      await page.getByTestId('add-question').click();
      const q1 = dlg.getByTestId('question-0');
      await field(q1, 'Вопрос (кратко, без персональных данных)').fill('Когда отремонтируют дорогу к школе?');
      await pickCode(page, q1, CODE_NAME.toLowerCase(), new RegExp(CODE_NAME));
      await q1.getByLabel('Ответ дан на встрече').check();
      await field(q1, 'Ответ, данный на встрече').fill('Ремонт включён в план на лето.');

      await page.getByTestId('add-question').click();
      const q2 = dlg.getByTestId('question-1');
      const question = `Вопрос ${ctx.runId}: начислен земельный налог за участок под снесённым гаражом`;
      await field(q2, 'Вопрос (кратко, без персональных данных)').fill(question);
      await pickCode(page, q2, CODE_NAME.toLowerCase(), new RegExp(CODE_NAME));
      await q2.getByLabel('Требует рассмотрения (станет обращением)').check();
      await shot(ctx, page, '36-report-form', true);
      await page.getByTestId('report-submit').click();
      await page.getByTestId('meeting-done').filter({ hasText: 'Отчёт представлен' }).waitFor();
      await page.getByTestId('meeting-state').filter({ hasText: 'Проведена' }).waitFor();
      await page.getByTestId('attendance').filter({ hasText: '37' }).waitFor();

      // The follow-up question is referred to appeals; the appeal's number shows once registered.
      const followUp = page.getByTestId('question').filter({ hasText: question });
      await followUp.getByText('Передан в обращения').waitFor();
      await eventually(page, page.getByTestId('question').filter({ hasText: question }).getByTestId('question-appeal'));
      const link = page.getByTestId('question').filter({ hasText: question }).getByTestId('question-appeal');
      const number = /№\s*(\S+)/.exec(await link.innerText())?.[1];
      assert.ok(number, 'the registration number of the appeal');
      assert.equal(await page.getByTestId('question-appeal').count(), 1, 'one appeal: only the follow-up question');
      await shot(ctx, page, '37-meeting-held', true);

      await link.click();
      await page.getByRole('heading', { level: 1, name: `Обращение № ${number}` }).waitFor();
      await page.getByText('Информационная встреча').first().waitFor();
      await page.getByTestId('question-source-link').filter({ hasText: 'Вопрос со встречи с жителями' }).waitFor();
      await page.getByTestId('question-source-text').filter({ hasText: question }).waitFor();
      await shot(ctx, page, '38-appeal-from-question', true);
      ctx.shared.outreach.appeal = { id: page.url().split('/').pop(), number, question };
    },
  },
  {
    name: "meetings: the appeal's answer comes back on the meeting card",
    async run(ctx) {
      const { meetings, appeal } = ctx.shared.outreach;
      const { page } = await ctx.session();
      await signIn(page, 'clerk.zhd', `/appeals/${appeal.id}`);
      await page.getByRole('heading', { level: 1, name: `Обращение № ${appeal.number}` }).waitFor();
      // The workflow through the API (the card's buttons are covered by the appeals scenarios).
      let a = await apiCall(page, 'GET', `/v1/appeals/${appeal.id}`);
      for (const [step, body] of [
        ['assign', { executor: 'clerk.zhd' }],
        ['start', {}],
        ['answer', { text: 'Начисление пересчитано, участок снят с учёта.', result: 'ANSWER_RESULT_SUPPORTED', signer: 'Попов Д. С.' }],
      ]) {
        const r = await apiCall(page, 'POST', `/v1/appeals/${appeal.id}:${step}`, { etag: a.body.etag, ...body });
        assert.equal(r.status, 200, `${step}: ${JSON.stringify(r.body)}`);
        a = r;
      }
      await page.goto(`${APP_ORIGIN}/meetings/${meetings[0].id}`);
      const item = () => page.getByTestId('question').filter({ hasText: appeal.question });
      await eventually(page, item().getByTestId('question-answer'));
      const answered = await item().getByTestId('question-answer').innerText();
      const today = cityToday().split('-').reverse().join('.');
      assert.match(answered, new RegExp(`${esc(today)}.*Поддержано`));
      await item().getByTestId('question-appeal').filter({ hasText: appeal.number }).waitFor();
      await shot(ctx, page, '39-question-answered', true);
    },
  },
  {
    name: 'meetings: the public schedule shows an upcoming meeting without sign-in and without internal fields',
    async run(ctx) {
      const c = await ctx.session();
      await signIn(c.page, 'clerk.zhd', '/meetings');
      await c.page.getByTestId('new-unscheduled').click();
      const tomorrow = new Date(Date.now() + 36 * 3600_000);
      const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Vladivostok' }).format(tomorrow);
      const topic = `Внеплановая встреча ${ctx.runId}: о подготовке к паводку`;
      await fillMeeting(c.page, { topic, date, start: '18:00', audience: 'жители частного сектора', venue: 'Клуб «Железнодорожник»' });
      await c.page.getByTestId('meeting-submit').click();
      await c.page.getByRole('heading', { level: 1, name: topic }).waitFor();
      await c.page.getByText('Внеплановая (вне месячного плана)').waitFor();

      const pub = await ctx.session();
      const { page } = pub;
      await page.goto(`${APP_ORIGIN}/schedule?district=ZHD`);
      await page.getByRole('heading', { level: 1, name: 'Встречи должностных лиц с жителями' }).waitFor();
      const card = page.getByTestId('public-meeting').filter({ hasText: topic });
      await card.waitFor();
      assert.ok(new URL(page.url()).pathname === '/schedule', 'no sign-in');
      const text = await page.locator('body').innerText();
      for (const internal of ['clerk.zhd', 'Иванова Мария Петровна', 'Предложил', 'etag', 'Версия', 'Вопросы жителей', 'Нет отчёта']) {
        assert.ok(!text.includes(internal), `the public schedule shows "${internal}"`);
      }
      await card.getByText('жители частного сектора').waitFor();
      await card.getByText(/Клуб «Железнодорожник»/).waitFor();
      assert.match(await page.getByTestId('public-ics').getAttribute('href'), /\/v1\/publicMeetings\.ics\?district=ZHD$/);
      await shot(ctx, page, '40-public-schedule', true);

      // Residents read it on a phone; so does the clerk her calendar (a list by day there).
      const phone = await ctx.session({ viewport: { width: 390, height: 844 } });
      await phone.page.goto(`${APP_ORIGIN}/schedule`);
      await phone.page.getByTestId('public-meeting').filter({ hasText: topic }).waitFor();
      await shot(ctx, phone.page, '42-public-schedule-phone');
      await c.page.setViewportSize({ width: 390, height: 844 });
      await c.page.goto(`${APP_ORIGIN}/meetings?month=${date.slice(0, 7)}`);
      await c.page.getByTestId('calendar-list').getByRole('link', { name: topic }).waitFor();
      await shot(ctx, c.page, '43-calendar-phone');
    },
  },
  {
    name: "meetings: the statistics draw their charts, the overview shows the year's totals, English reads",
    async run(ctx) {
      const { page } = await ctx.session();
      await signIn(page, 'curator', '/');
      const year = page.getByTestId('outreach-year');
      await year.getByTestId('year-held').waitFor();
      const held = Number((await year.getByTestId('year-held').innerText()).replace(/\D/g, ''));
      assert.ok(held > 0, 'meetings held this year (the demo plans)');
      await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Статистика встреч' }).click();
      await page.getByRole('heading', { level: 1, name: 'Статистика встреч с жителями' }).waitFor();
      await page.getByTestId('chart-by-month').locator('canvas').waitFor();
      await page.getByTestId('chart-by-speaker').locator('canvas').waitFor();
      await page.getByTestId('table-by-district').getByText('Железнодорожный').waitFor();
      await page.getByText('Охват', { exact: true }).click();
      await page.getByTestId('chart-by-district').locator('canvas').waitFor();
      await page.waitForTimeout(1500); // the bars grow in
      await shot(ctx, page, '41-meetings-statistics', true);

      // The same in English (the meetings' texts come with their pages, in both languages).
      await page.getByText('EN', { exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Statistics of meetings with residents' }).waitFor();
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Meetings calendar' }).click();
      await page.getByRole('heading', { level: 1, name: 'Meetings with residents' }).waitFor();
      await page.getByText('Calendar and schedule').waitFor();
      await shot(ctx, page, '44-calendar-english');
      await page.getByText('RU', { exact: true }).click();
    },
  },
];

/** Picks a classifier entry in a question's topic picker. */
async function pickCode(page, scope, search, option) {
  const box = scope.getByRole('combobox', { name: /^Тема по классификатору/ });
  await box.click();
  await box.fill(search);
  await page.getByRole('option', { name: option }).first().click();
}
