/**
 * The outreach model of the interface: resource names, states, and which steps the card and the
 * plan offer — a mirror of the service's rules (proto/cityhall/outreach/v1/outreach.proto) so
 * that a user sees only the buttons that can work. The service remains the judge.
 */
import type { Meeting, MeetingPlan, MeetingPlanState, MeetingState, Question, QuestionState } from '../../api/types';
import type { Principal } from '../../auth/principal';
import { approvesPlans, proposesMeetings, submitsPlans } from '../../auth/principal';
import type { MonthRef } from './calendar';

/** "meetings/{id}" → id. */
export const meetingId = (name: string | undefined) => (name ?? '').replace(/^meetings\//, '');
/** "meetingPlans/2026-03-election" → "2026-03-election". */
export const planId = (name: string | undefined) => (name ?? '').replace(/^meetingPlans\//, '');
/** "meetings/{m}/questions/{q}" → [m, q]. */
export function questionIds(name: string | undefined): [string, string] {
  const m = /^meetings\/([^/]+)\/questions\/([^/]+)$/.exec(name ?? '');
  return m ? [m[1], m[2]] : ['', ''];
}

/** The plan id of a month: "2026-03", or "2026-03-election" for the election period's additional schedule. */
export function planIdOf(m: MonthRef, election = false): string {
  return `${String(m.year).padStart(4, '0')}-${String(m.month).padStart(2, '0')}${election ? '-election' : ''}`;
}

/** "2026-03-election" → the month and the kind; null when malformed. */
export function parsePlanId(id: string | undefined): { month: MonthRef; election: boolean } | null {
  const m = /^(\d{4})-(\d{2})(-election)?$/.exec(id ?? '');
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { month: { year: Number(m[1]), month }, election: !!m[3] };
}

/**
 * An appeal registered from a meeting's question names it in `source`:
 * "meetings/{meeting}/questions/{question}". Anything else is not a meeting question.
 */
export function parseQuestionSource(source: string | undefined): { meeting: string; question: string } | null {
  const m = /^meetings\/([0-9a-f-]{36})\/questions\/([0-9a-f-]{36})$/.exec(source ?? '');
  return m ? { meeting: m[1], question: m[2] } : null;
}

export const shortMeetingState = (s: MeetingState | undefined) => (s ?? 'MEETING_STATE_UNSPECIFIED').replace(/^MEETING_STATE_/, '');
export const shortPlanState = (s: MeetingPlanState | undefined) => (s ?? 'MEETING_PLAN_STATE_UNSPECIFIED').replace(/^MEETING_PLAN_STATE_/, '');
export const shortQuestionState = (s: QuestionState | undefined) => (s ?? 'QUESTION_STATE_UNSPECIFIED').replace(/^QUESTION_STATE_/, '');

export const meetingStateColor = (s: MeetingState | undefined): string => {
  switch (s) {
    case 'MEETING_STATE_PLANNED':
      return 'blue';
    case 'MEETING_STATE_POSTPONED':
      return 'orange';
    case 'MEETING_STATE_HELD':
      return 'teal';
    default:
      return 'gray';
  }
};

export const planStateColor = (s: MeetingPlanState | undefined): string => {
  switch (s) {
    case 'MEETING_PLAN_STATE_SUBMITTED':
      return 'indigo';
    case 'MEETING_PLAN_STATE_APPROVED':
      return 'teal';
    case 'MEETING_PLAN_STATE_RETURNED':
      return 'orange';
    default:
      return 'gray';
  }
};

/** Runs the meeting: a clerk or head of its organising department, or the admin. */
export function runsMeeting(p: Principal, m: Pick<Meeting, 'department'>): boolean {
  if (p.roles.includes('clerk') || p.roles.includes('head')) return !!p.department && p.department === m.department;
  return p.roles.includes('admin');
}

export type MeetingAction = 'report' | 'postpone' | 'cancel' | 'edit' | 'delete';
/** The order of the buttons: the main path first. */
export const MEETING_ACTIONS: readonly MeetingAction[] = ['report', 'postpone', 'cancel', 'edit', 'delete'];

const OPEN: readonly MeetingState[] = ['MEETING_STATE_PLANNED', 'MEETING_STATE_POSTPONED'];

/** The plan the meeting belongs to has been approved, or it is unscheduled (no plan to approve). */
export const inForce = (m: Pick<Meeting, 'plan' | 'planState'>) => !m.plan || m.planState === 'MEETING_PLAN_STATE_APPROVED';

/**
 * The steps the user may take on the meeting now, in button order (the service's rules):
 * - planned and postponed meetings are open; held and cancelled ones are final;
 * - once its time has come, an open meeting is held: its closing report is filed;
 * - a plan with the vice-mayor (SUBMITTED) freezes its meetings otherwise;
 * - a proposal in a plan not yet approved is edited or withdrawn (deleted) rather than
 *   postponed or cancelled; an unscheduled meeting may be withdrawn until it is held;
 * - in an approved plan a meeting is postponed, cancelled or edited, each change recorded.
 */
export function meetingActions(p: Principal, m: Meeting, now: Date): MeetingAction[] {
  if (!runsMeeting(p, m)) return [];
  const state = m.state ?? 'MEETING_STATE_UNSPECIFIED';
  if (!OPEN.includes(state)) return [];
  const started = !!m.startTime && new Date(m.startTime).getTime() <= now.getTime();
  const out: MeetingAction[] = started ? ['report'] : [];
  if (m.planState === 'MEETING_PLAN_STATE_SUBMITTED') return out;
  if (inForce(m)) out.push('postpone', 'cancel');
  out.push('edit');
  if (!m.plan || !inForce(m)) out.push('delete');
  return MEETING_ACTIONS.filter((a) => out.includes(a));
}

export type PlanAction = 'propose' | 'submit' | 'approve' | 'return';

/** The steps the user may take on a plan now (an unopened plan counts as a draft). */
export function planActions(p: Principal, plan: Pick<MeetingPlan, 'state' | 'meetingCount'> | null): PlanAction[] {
  const state = plan?.state ?? 'MEETING_PLAN_STATE_DRAFT';
  const out: PlanAction[] = [];
  if (proposesMeetings(p) && state !== 'MEETING_PLAN_STATE_SUBMITTED') out.push('propose');
  if (submitsPlans(p) && (state === 'MEETING_PLAN_STATE_DRAFT' || state === 'MEETING_PLAN_STATE_RETURNED') && (plan?.meetingCount ?? 0) > 0) out.push('submit');
  if (approvesPlans(p) && state === 'MEETING_PLAN_STATE_SUBMITTED') out.push('approve', 'return');
  return out;
}

/** Where a follow-up question is on its way to an answer: 0 referred, 1 appeal registered, 2 answered. */
export function questionStep(q: Pick<Question, 'state'>): number {
  switch (q.state) {
    case 'QUESTION_STATE_APPEAL_ANSWERED':
      return 2;
    case 'QUESTION_STATE_APPEAL_REGISTERED':
      return 1;
    default:
      return 0;
  }
}

export const isFollowUp = (q: Pick<Question, 'resolution' | 'state'>) =>
  q.resolution === 'QUESTION_RESOLUTION_FOLLOW_UP' || (!!q.state && q.state !== 'QUESTION_STATE_ANSWERED_ON_THE_SPOT' && q.state !== 'QUESTION_STATE_UNSPECIFIED');

export const DISTRICTS = ['ZHD', 'IND', 'KIR', 'KRF', 'CEN'] as const;
