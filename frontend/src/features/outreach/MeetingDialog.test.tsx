import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../api/types';
import { saveDraft } from '../../lib/drafts';
import { clerk, fakeApi, fakeSession, json, renderApp } from '../../test/utils';

const ID = '01900000-0000-7000-8000-00000000aaaa';
const SPEAKER = 'officials/01900000-0000-7000-8000-0000000000aa';
const officials = { officials: [{ name: SPEAKER, fullName: 'Васильев Андрей Игоревич', position: 'Заместитель мэра города', active: true }] };

describe('proposing a meeting', () => {
  it("shows the server's field violations beside the fields, in Russian, and keeps one request id per form", async () => {
    const user = userEvent.setup();
    // What the clerk typed before (a draft), so the form is filled without the pickers.
    saveDraft('clerk.zhd:meeting:new:2026-03', {
      topic: 'О вывозе мусора',
      speakers: [SPEAKER],
      audience: '',
      district: 'ZHD',
      venue: 'Дом культуры',
      date: '2026-03-19',
      start: '11:00',
      end: '',
      requestId: '0b7c6f0e-2d35-4b8e-9a59-8a4f1c1f2a10',
    });
    const api = fakeApi(
      (req, url) =>
        req.method === 'POST' && url.pathname === '/v1/meetings'
          ? json(
              {
                error: {
                  code: 400,
                  status: 'INVALID_ARGUMENT',
                  message: 'the meeting cannot be created',
                  details: [
                    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'INVALID_MEETING' },
                    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'meeting.speakers[0]', description: `${SPEAKER} is not in the organisation directory` }] },
                  ],
                },
              },
              400,
            )
          : undefined,
      (_, url) => (url.pathname === '/v1/meetingPlans/2026-03' ? json({ error: { code: 404, status: 'NOT_FOUND', message: 'not found' } }, 404) : undefined),
      (_, url) => (url.pathname === '/v1/meetings' ? json({ meetings: [] }) : undefined),
      (_, url) => (url.pathname === '/v1/officials' ? json(officials) : undefined),
    );
    renderApp('/meetings/plans/2026-03', { session: fakeSession(clerk) });
    expect(await screen.findByTestId('plan-empty')).toHaveTextContent('В этот план ещё не предложено ни одной встречи.');
    await user.click(screen.getByTestId('plan-propose'));
    const dialog = await screen.findByTestId('meeting-dialog');
    expect(within(dialog).getByTestId('draft-restored')).toBeInTheDocument();
    await user.click(within(dialog).getByTestId('meeting-submit'));
    expect(await within(dialog).findAllByText('Выступающего нет в справочнике должностных лиц.')).not.toHaveLength(0);
    const post = api.requests.find((r) => r.method === 'POST')!;
    expect(post.url.searchParams.get('requestId')).toBe('0b7c6f0e-2d35-4b8e-9a59-8a4f1c1f2a10');
    expect(post.body).toEqual({
      plan: 'meetingPlans/2026-03',
      topic: 'О вывозе мусора',
      speakers: [SPEAKER],
      audience: '',
      district: 'ZHD',
      venue: 'Дом культуры',
      startTime: '2026-03-19T01:00:00.000Z',
    });
  });
});

describe('editing a meeting', () => {
  it('sends only the changed fields in the update mask, with the etag of the meeting as opened', async () => {
    const user = userEvent.setup();
    let current: Meeting = {
      name: `meetings/${ID}`,
      plan: 'meetingPlans/2026-03',
      topic: 'О благоустройстве дворов',
      speakers: [SPEAKER],
      venue: 'МБОУ СОШ № 5',
      district: 'ZHD',
      startTime: '2026-03-12T05:00:00Z',
      endTime: '2026-03-12T06:00:00Z',
      department: 'KUR-ZHD',
      state: 'MEETING_STATE_PLANNED',
      planState: 'MEETING_PLAN_STATE_DRAFT',
      etag: '3',
    };
    const api = fakeApi(
      (req, url) => {
        if (req.method === 'PATCH' && url.pathname === `/v1/meetings/${ID}`) {
          current = { ...current, venue: 'Дом культуры «Радуга»', etag: '4' };
          return json(current);
        }
        return undefined;
      },
      (req, url) => (req.method === 'GET' && url.pathname === `/v1/meetings/${ID}` ? json(current) : undefined),
      (_, url) => (url.pathname === `/v1/meetings/${ID}/changes` ? json({ changes: [] }) : undefined),
      (_, url) => (url.pathname === '/v1/officials' ? json(officials) : undefined),
    );
    renderApp(`/meetings/${ID}`, { session: fakeSession(clerk) });
    await user.click(await screen.findByTestId('meeting-edit'));
    const dialog = await screen.findByTestId('meeting-dialog');
    const venue = within(dialog).getByRole('textbox', { name: /Место проведения/ });
    expect(venue).toHaveValue('МБОУ СОШ № 5');
    await user.clear(venue);
    await user.type(venue, 'Дом культуры «Радуга»');
    await user.click(within(dialog).getByTestId('meeting-submit'));
    expect(await screen.findByTestId('meeting-done')).toHaveTextContent('Изменения сохранены.');
    const patch = api.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.url.searchParams.get('updateMask')).toBe('venue');
    expect(patch.body).toMatchObject({ name: `meetings/${ID}`, etag: '3', venue: 'Дом культуры «Радуга»' });
    expect(await screen.findByText('Дом культуры «Радуга»')).toBeInTheDocument();
  });
});
