/**
 * Which workflow steps the card offers: a mirror of the service's rules (services/appeals/README.md,
 * internal/domain/workflow.go and internal/app/access.go) so that a clerk sees only the buttons
 * that can work. The service remains the judge: whatever it refuses is shown with its reason.
 */
import type { Appeal, AppealState } from '../../api/types';
import type { Principal } from '../../auth/principal';
import { type CalendarDate, compareDates, toCalendarDate } from '../../lib/time';

export type ActionKind = 'assign' | 'start' | 'answer' | 'forward' | 'extend' | 'return' | 'leave' | 'endCorrespondence' | 'reopen' | 'markDuplicate';

/** The order of the buttons: the main path first, then the other outcomes, then the rest. */
export const ACTIONS: readonly ActionKind[] = ['assign', 'start', 'answer', 'forward', 'extend', 'return', 'leave', 'endCorrespondence', 'reopen', 'markDuplicate'];

const WORKING: AppealState[] = ['APPEAL_STATE_REGISTERED', 'APPEAL_STATE_ASSIGNED', 'APPEAL_STATE_IN_PROGRESS'];
const CLOSED_REOPENABLE: AppealState[] = ['APPEAL_STATE_ANSWERED', 'APPEAL_STATE_RETURNED', 'APPEAL_STATE_LEFT_WITHOUT_ANSWER', 'APPEAL_STATE_CORRESPONDENCE_ENDED'];
const ANY: AppealState[] = [
  'APPEAL_STATE_RECEIVED',
  'APPEAL_STATE_REGISTERED',
  'APPEAL_STATE_ASSIGNED',
  'APPEAL_STATE_IN_PROGRESS',
  'APPEAL_STATE_ANSWERED',
  'APPEAL_STATE_FORWARDED',
  'APPEAL_STATE_RETURNED',
  'APPEAL_STATE_LEFT_WITHOUT_ANSWER',
  'APPEAL_STATE_CORRESPONDENCE_ENDED',
];

/** The states each step starts from (domain.Transitions). */
export const FROM: Record<ActionKind, readonly AppealState[]> = {
  assign: WORKING,
  start: ['APPEAL_STATE_ASSIGNED'],
  answer: ['APPEAL_STATE_ASSIGNED', 'APPEAL_STATE_IN_PROGRESS'],
  forward: WORKING,
  extend: WORKING,
  return: WORKING,
  leave: WORKING,
  endCorrespondence: WORKING,
  reopen: CLOSED_REOPENABLE,
  markDuplicate: ANY,
};

const hasRole = (p: Principal, r: string) => p.roles.includes(r);
/** Clerks and heads act for their department (that rule wins over any other role they hold). */
const departmental = (p: Principal) => hasRole(p, 'clerk') || hasRole(p, 'head');

/** Changes the appeal at all: a clerk or head of its lead department, or an admin. */
export function changesAppeal(p: Principal, a: Pick<Appeal, 'department'>): boolean {
  if (departmental(p)) return !!p.department && p.department === a.department;
  return hasRole(p, 'admin');
}

/** Heads the appeal's lead department (extends deadlines, ends correspondence). */
export function headsAppeal(p: Principal, a: Pick<Appeal, 'department'>): boolean {
  return departmental(p) && hasRole(p, 'head') && !!p.department && p.department === a.department;
}

/** Works on the appeal: her department leads or co-executes it. Reads its applicant and files. */
export function worksOnAppeal(p: Principal, a: Pick<Appeal, 'department' | 'coExecutors'>): boolean {
  if (departmental(p)) return !!p.department && (a.department === p.department || (a.coExecutors ?? []).includes(p.department));
  // The integrator reads what it registered itself; only the service knows which those are.
  return hasRole(p, 'integrator');
}

/** Attaches files: those working on it, and admins. */
export function attachesFiles(p: Principal, a: Pick<Appeal, 'department' | 'coExecutors'>): boolean {
  return worksOnAppeal(p, a) || (!departmental(p) && hasRole(p, 'admin'));
}

/** The steps the signed-in user may take on the appeal now, in button order. */
export function availableActions(p: Principal, a: Appeal, today: CalendarDate): ActionKind[] {
  if (!changesAppeal(p, a)) return [];
  const state = a.state ?? 'APPEAL_STATE_UNSPECIFIED';
  const head = headsAppeal(p, a);
  const due = toCalendarDate(a.answerDueDate);
  return ACTIONS.filter((k) => {
    if (!FROM[k].includes(state)) return false;
    switch (k) {
      case 'answer':
        // An anonymous appeal is not answered (59-FZ art. 11 p. 1): leave it or forward it.
        return !a.anonymous;
      case 'extend':
        // Once, by the head, before the deadline passed.
        return head && !((a.extension?.days ?? 0) > 0) && (!due || compareDates(due, today) >= 0);
      case 'endCorrespondence':
        return head && !!a.repeated;
      default:
        return true;
    }
  });
}

/** LeaveReason values the form offers; ANONYMOUS only for an anonymous appeal. */
export const LEAVE_REASONS = ['ANONYMOUS', 'OBSCENE', 'UNREADABLE', 'COURT_DECISION', 'PROTECTED_SECRET', 'NO_SUBSTANCE'] as const;
export const ANSWER_RESULTS = ['SUPPORTED', 'EXPLAINED', 'NOT_SUPPORTED'] as const;

/** The longest extension of the answer deadline, days (59-FZ art. 12 p. 2). */
export const MAX_EXTENSION_DAYS = 30;
