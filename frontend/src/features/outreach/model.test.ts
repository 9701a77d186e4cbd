import { describe, expect, it } from 'vitest';
import type { Meeting } from '../../api/types';
import type { Principal } from '../../auth/principal';
import { meetingActions, parsePlanId, parseQuestionSource, planActions, planIdOf, questionStep, questionIds } from './model';

const clerk: Principal = { login: 'clerk.zhd', name: '', roles: ['clerk'], department: 'KUR-ZHD' };
const head: Principal = { login: 'head.zhd', name: '', roles: ['head'], department: 'KUR-ZHD' };
const otherClerk: Principal = { login: 'clerk.ind', name: '', roles: ['clerk'], department: 'KUR-IND' };
const vice: Principal = { login: 'vicemayor', name: '', roles: ['vice_mayor'], department: '' };
const admin: Principal = { login: 'admin', name: '', roles: ['admin'], department: '' };
const auditor: Principal = { login: 'auditor', name: '', roles: ['auditor'], department: '' };

const NOW = new Date('2026-03-10T05:00:00Z');
const meeting = (over: Partial<Meeting> = {}): Meeting => ({
  name: 'meetings/01900000-0000-7000-8000-000000000001',
  plan: 'meetingPlans/2026-03',
  topic: 'О благоустройстве дворов',
  speakers: ['officials/01900000-0000-7000-8000-0000000000aa'],
  venue: 'Школа № 5',
  startTime: '2026-03-12T05:00:00Z',
  department: 'KUR-ZHD',
  state: 'MEETING_STATE_PLANNED',
  planState: 'MEETING_PLAN_STATE_APPROVED',
  ...over,
});

describe('meeting actions', () => {
  it('offers postpone, cancel and edit on an approved meeting before its time; the report once it has started', () => {
    expect(meetingActions(clerk, meeting(), NOW)).toEqual(['postpone', 'cancel', 'edit']);
    expect(meetingActions(clerk, meeting({ startTime: '2026-03-10T04:00:00Z' }), NOW)).toEqual(['report', 'postpone', 'cancel', 'edit']);
    expect(meetingActions(clerk, meeting({ state: 'MEETING_STATE_POSTPONED', startTime: '2026-03-09T00:00:00Z' }), NOW)).toEqual(['report', 'postpone', 'cancel', 'edit']);
  });

  it('withdraws a proposal of a plan not yet approved instead of cancelling it', () => {
    expect(meetingActions(clerk, meeting({ planState: 'MEETING_PLAN_STATE_DRAFT' }), NOW)).toEqual(['edit', 'delete']);
    expect(meetingActions(clerk, meeting({ planState: 'MEETING_PLAN_STATE_RETURNED' }), NOW)).toEqual(['edit', 'delete']);
  });

  it('freezes the meetings of a plan with the vice-mayor, but a meeting that took place is still reported', () => {
    expect(meetingActions(clerk, meeting({ planState: 'MEETING_PLAN_STATE_SUBMITTED' }), NOW)).toEqual([]);
    expect(meetingActions(clerk, meeting({ planState: 'MEETING_PLAN_STATE_SUBMITTED', startTime: '2026-03-01T00:00:00Z' }), NOW)).toEqual(['report']);
  });

  it('lets an unscheduled meeting be withdrawn until it is held', () => {
    expect(meetingActions(clerk, meeting({ plan: '', planState: undefined }), NOW)).toEqual(['postpone', 'cancel', 'edit', 'delete']);
  });

  it('offers nothing on held and cancelled meetings', () => {
    expect(meetingActions(clerk, meeting({ state: 'MEETING_STATE_HELD' }), NOW)).toEqual([]);
    expect(meetingActions(clerk, meeting({ state: 'MEETING_STATE_CANCELLED' }), NOW)).toEqual([]);
  });

  it("offers nothing to another department, readers and the vice-mayor; everything to the admin", () => {
    expect(meetingActions(otherClerk, meeting(), NOW)).toEqual([]);
    expect(meetingActions(auditor, meeting(), NOW)).toEqual([]);
    expect(meetingActions(vice, meeting(), NOW)).toEqual([]);
    expect(meetingActions(admin, meeting(), NOW)).toEqual(['postpone', 'cancel', 'edit']);
    expect(meetingActions(head, meeting(), NOW)).toEqual(['postpone', 'cancel', 'edit']);
  });
});

describe('plan actions', () => {
  it('lets departments propose into a draft; only a head submits, and only a plan with meetings', () => {
    expect(planActions(clerk, null)).toEqual(['propose']);
    expect(planActions(clerk, { state: 'MEETING_PLAN_STATE_DRAFT', meetingCount: 3 })).toEqual(['propose']);
    expect(planActions(head, { state: 'MEETING_PLAN_STATE_DRAFT', meetingCount: 3 })).toEqual(['propose', 'submit']);
    expect(planActions(head, { state: 'MEETING_PLAN_STATE_DRAFT', meetingCount: 0 })).toEqual(['propose']);
    expect(planActions(head, { state: 'MEETING_PLAN_STATE_RETURNED', meetingCount: 1 })).toEqual(['propose', 'submit']);
  });

  it('gives the vice-mayor approve and return on a submitted plan, and freezes it for departments', () => {
    const submitted = { state: 'MEETING_PLAN_STATE_SUBMITTED' as const, meetingCount: 3 };
    expect(planActions(vice, submitted)).toEqual(['approve', 'return']);
    expect(planActions(head, submitted)).toEqual([]);
    expect(planActions(vice, { state: 'MEETING_PLAN_STATE_DRAFT', meetingCount: 3 })).toEqual([]);
    expect(planActions(auditor, submitted)).toEqual([]);
  });

  it('keeps an approved plan open to additions (recorded as changes)', () => {
    expect(planActions(clerk, { state: 'MEETING_PLAN_STATE_APPROVED', meetingCount: 3 })).toEqual(['propose']);
    expect(planActions(vice, { state: 'MEETING_PLAN_STATE_APPROVED', meetingCount: 3 })).toEqual([]);
  });
});

describe('names', () => {
  it('reads a meeting question from an appeal source and nothing else', () => {
    const m = '01900000-0000-7000-8000-000000000001';
    const q = '01900000-0000-7000-8000-000000000002';
    expect(parseQuestionSource(`meetings/${m}/questions/${q}`)).toEqual({ meeting: m, question: q });
    expect(parseQuestionSource('open311/requests/12')).toBeNull();
    expect(parseQuestionSource(`meetings/${m}`)).toBeNull();
    expect(parseQuestionSource(undefined)).toBeNull();
    expect(questionIds(`meetings/${m}/questions/${q}`)).toEqual([m, q]);
  });

  it('names plans by month, the election schedule apart', () => {
    expect(planIdOf({ year: 2026, month: 3 })).toBe('2026-03');
    expect(planIdOf({ year: 2026, month: 9 }, true)).toBe('2026-09-election');
    expect(parsePlanId('2026-09-election')).toEqual({ month: { year: 2026, month: 9 }, election: true });
    expect(parsePlanId('2026-13')).toBeNull();
    expect(parsePlanId('x')).toBeNull();
  });

  it('places a follow-up question on its way: referred, appeal registered, answered', () => {
    expect(questionStep({ state: 'QUESTION_STATE_REFERRED' })).toBe(0);
    expect(questionStep({ state: 'QUESTION_STATE_APPEAL_REGISTERED' })).toBe(1);
    expect(questionStep({ state: 'QUESTION_STATE_APPEAL_ANSWERED' })).toBe(2);
  });
});
