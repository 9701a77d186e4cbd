import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Meeting, MeetingPlan, Question } from '../../api/types';
import type { Principal } from '../../auth/principal';
import { appeal, clerk, fakeApi, fakeSession, json, renderApp, type Handler } from '../../test/utils';

const ID = '01900000-0000-7000-8000-00000000aaaa';
const Q1 = '01900000-0000-7000-8000-00000000bbb1';
const Q2 = '01900000-0000-7000-8000-00000000bbb2';
const vice: Principal = { login: 'vicemayor', name: 'Соколова Елена Александровна', roles: ['vice_mayor'], department: '' };

function meeting(over: Partial<Meeting> = {}): Meeting {
  return {
    name: `meetings/${ID}`,
    plan: 'meetingPlans/2026-03',
    topic: 'О благоустройстве дворов',
    speakers: ['officials/01900000-0000-7000-8000-0000000000aa'],
    speakerDetails: [{ official: 'officials/01900000-0000-7000-8000-0000000000aa', fullName: 'Васильев Андрей Игоревич', position: 'Заместитель мэра города' }],
    audience: 'жители микрорайона',
    district: 'ZHD',
    districtDisplayName: 'Железнодорожный',
    venue: 'МБОУ СОШ № 5',
    startTime: '2026-03-12T05:00:00Z',
    endTime: '2026-03-12T06:30:00Z',
    department: 'KUR-ZHD',
    departmentDisplayName: 'Комитет по управлению Железнодорожным районом администрации города Хабаровска',
    state: 'MEETING_STATE_PLANNED',
    planState: 'MEETING_PLAN_STATE_APPROVED',
    etag: '4',
    ...over,
  };
}

function cardApi(current: () => Meeting, questions: Question[] = [], ...more: Handler[]) {
  return fakeApi(
    ...more,
    (req, url) => (req.method === 'GET' && url.pathname === `/v1/meetings/${ID}` ? json(current()) : undefined),
    (_, url) => (url.pathname === `/v1/meetings/${ID}/changes` ? json({ changes: [] }) : undefined),
    (_, url) => (url.pathname === `/v1/meetings/${ID}/questions` ? json({ questions }) : undefined),
    (_, url) => (url.pathname === '/v1/departments' ? json({ departments: [] }) : undefined),
  );
}

describe('meeting card', () => {
  it("shows the closing report and where each follow-up question is: its appeal by number, the answer's date", async () => {
    const held = meeting({ state: 'MEETING_STATE_HELD', report: { attendance: 37, summary: 'Обсудили ремонт дворов.', materials: [{ title: 'Презентация', uri: 'https://example.org/p.pdf' }] } });
    cardApi(() => held, [
      { name: `meetings/${ID}/questions/${Q1}`, text: 'Когда починят крышу?', classifierCode: '0005.0005.0056.1149', resolution: 'QUESTION_RESOLUTION_ANSWERED', answer: 'Летом.', state: 'QUESTION_STATE_ANSWERED_ON_THE_SPOT' },
      {
        name: `meetings/${ID}/questions/${Q2}`,
        text: 'Свет во дворе не горит',
        classifierCode: '0005.0005.0056.1149',
        resolution: 'QUESTION_RESOLUTION_FOLLOW_UP',
        state: 'QUESTION_STATE_APPEAL_ANSWERED',
        appeal: 'appeals/01900000-0000-7000-8000-00000000cccc',
        appealRegistrationNumber: '2026-000321',
        appealAnswerTime: '2026-03-20T03:00:00Z',
        appealAnswerResult: 'ANSWER_RESULT_SUPPORTED',
        appealAnsweredOnTime: true,
      },
    ]);
    renderApp(`/meetings/${ID}`, { session: fakeSession(clerk) });
    expect(await screen.findByRole('heading', { level: 1, name: 'О благоустройстве дворов' })).toBeInTheDocument();
    expect(screen.getByTestId('meeting-when')).toHaveTextContent('12.03.2026, 15:00–16:30'); // Khabarovsk time
    const report = screen.getByTestId('meeting-report');
    expect(within(report).getByTestId('attendance')).toHaveTextContent('37');
    expect(within(report).getByRole('link', { name: 'Презентация' })).toHaveAttribute('href', 'https://example.org/p.pdf');
    const items = await screen.findAllByTestId('question');
    expect(within(items[0]).getByText('Ответ дан на встрече')).toBeInTheDocument();
    expect(within(items[0]).getByText('Летом.')).toBeInTheDocument();
    expect(within(items[1]).getByRole('link', { name: '№ 2026-000321' })).toHaveAttribute('href', '/appeals/01900000-0000-7000-8000-00000000cccc');
    expect(within(items[1]).getByTestId('question-answer')).toHaveTextContent('20.03.2026, 13:00 · Поддержано · в срок');
    expect(screen.getByTestId('meeting-actions-none')).toBeInTheDocument();
  });

  it('files the closing report: attendance is required before sending; the etag, the report and one request id are sent', async () => {
    const user = userEvent.setup();
    let current = meeting();
    const api = cardApi(
      () => current,
      [],
      (req, url) => {
        if (req.method === 'POST' && url.pathname === `/v1/meetings/${ID}:report`) {
          current = meeting({ state: 'MEETING_STATE_HELD', etag: '5', report: { attendance: 0 } });
          return json(current);
        }
        return undefined;
      },
    );
    renderApp(`/meetings/${ID}`, { session: fakeSession(clerk) });
    await user.click(await screen.findByTestId('meeting-report'));
    const dialog = await screen.findByTestId('dialog-report');
    await user.click(within(dialog).getByTestId('report-submit'));
    expect(await within(dialog).findByText('Укажите число присутствовавших')).toBeInTheDocument();
    expect(api.requests.some((r) => r.method === 'POST')).toBe(false);
    await user.type(within(dialog).getByRole('textbox', { name: /Присутствовало жителей/ }), '0');
    await user.click(within(dialog).getByTestId('report-submit'));
    expect(await screen.findByTestId('meeting-done')).toHaveTextContent('Отчёт представлен, встреча проведена.');
    const post = api.requests.find((r) => r.method === 'POST')!;
    expect(post.body).toMatchObject({ etag: '4', report: { attendance: 0, questions: [], materials: [] } });
    expect((post.body as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => expect(screen.getAllByTestId('meeting-state')[0]).toHaveTextContent('Проведена'));
  });

  it("says so and reloads the card when someone else changed the meeting (a stale etag)", async () => {
    const user = userEvent.setup();
    let current = meeting();
    const api = cardApi(
      () => current,
      [],
      (req, url) => {
        if (req.method === 'POST' && url.pathname === `/v1/meetings/${ID}:cancel`) {
          current = meeting({ venue: 'Дом культуры', etag: '5' });
          return json({ error: { code: 409, status: 'ABORTED', message: 'etag mismatch', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ETAG_MISMATCH' }] } }, 409);
        }
        return undefined;
      },
    );
    renderApp(`/meetings/${ID}`, { session: fakeSession(clerk) });
    await user.click(await screen.findByTestId('meeting-cancel'));
    await user.type(within(await screen.findByTestId('dialog-cancel')).getByRole('textbox', { name: /Причина/ }), 'Зал закрыт');
    await user.click(screen.getByTestId('meeting-step-submit'));
    expect(await screen.findByTestId('meeting-conflict')).toBeInTheDocument();
    expect(await screen.findByText('Дом культуры')).toBeInTheDocument();
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({ etag: '4', reason: 'Зал закрыт' });
  });

  it("offers another department's clerk nothing to do", async () => {
    cardApi(() => meeting({ department: 'KUR-IND' }));
    renderApp(`/meetings/${ID}`, { session: fakeSession(clerk) });
    expect(await screen.findByTestId('meeting-read-only')).toBeInTheDocument();
  });
});

describe('plan approval', () => {
  it('lets the vice-mayor approve a submitted plan with the etag seen', async () => {
    const user = userEvent.setup();
    let plan: MeetingPlan = { name: 'meetingPlans/2026-03', year: 2026, month: 3, state: 'MEETING_PLAN_STATE_SUBMITTED', meetingCount: 1, etag: '7', submitter: 'head.zhd', submitTime: '2026-02-20T01:00:00Z' };
    const api = fakeApi(
      (req, url) => {
        if (req.method === 'POST' && url.pathname === '/v1/meetingPlans/2026-03:approve') {
          plan = { ...plan, state: 'MEETING_PLAN_STATE_APPROVED', revision: 1, etag: '8', approverName: 'Соколова Елена Александровна', approveTime: '2026-02-21T01:00:00Z' };
          return json(plan);
        }
        return undefined;
      },
      (_, url) => (url.pathname === '/v1/meetingPlans/2026-03' ? json(plan) : undefined),
      (_, url) => (url.pathname === '/v1/meetingPlans/2026-03/changes' ? json({ changes: [] }) : undefined),
      (_, url) => (url.pathname === '/v1/meetings' ? json({ meetings: [meeting({ planState: 'MEETING_PLAN_STATE_SUBMITTED' })] }) : undefined),
    );
    renderApp('/meetings/plans/2026-03', { session: fakeSession(vice) });
    expect(await screen.findByRole('heading', { level: 1, name: 'План информационных встреч на март 2026' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'О благоустройстве дворов' })).toBeInTheDocument();
    expect(screen.queryByTestId('plan-propose')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('plan-approve'));
    await user.click(await screen.findByTestId('plan-step-submit'));
    expect(await screen.findByTestId('plan-done')).toHaveTextContent('План утверждён.');
    expect(api.requests.find((r) => r.method === 'POST')!.body).toEqual({ etag: '7' });
    expect(await screen.findByTestId('plan-revision')).toHaveTextContent('Редакция 1');
    const list = api.requests.find((r) => r.url.pathname === '/v1/meetings')!;
    expect(list.url.searchParams.get('filter')).toBe('plan = "meetingPlans/2026-03"');
  });
});

describe('an appeal from a meeting question', () => {
  it('links to the meeting and shows the question as the outreach service words it', async () => {
    const a = appeal({ channel: 'CHANNEL_OUTREACH_MEETING', source: `meetings/${ID}/questions/${Q2}` });
    const id = a.name!.slice(8);
    fakeApi(
      (_, url) => (url.pathname === `/v1/appeals/${id}` ? json(a) : undefined),
      (_, url) =>
        url.pathname === `/v1/meetings/${ID}/questions/${Q2}`
          ? json({ name: `meetings/${ID}/questions/${Q2}`, text: 'Свет во дворе не горит', classifierCode: '0005.0005.0056.1149', resolution: 'QUESTION_RESOLUTION_FOLLOW_UP' })
          : undefined,
    );
    renderApp(`/appeals/${id}`);
    const link = await screen.findByRole('link', { name: 'Вопрос со встречи с жителями' });
    expect(link).toHaveAttribute('href', `/meetings/${ID}`);
    expect(await screen.findByTestId('question-source-text')).toHaveTextContent('«Свет во дворе не горит»');
    expect(screen.getByText('Информационная встреча')).toBeInTheDocument();
  });
});
