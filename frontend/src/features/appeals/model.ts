import type { Appeal, AppealState, Channel } from '../../api/types';
import { type CalendarDate, diffDays, toCalendarDate } from '../../lib/time';

export const STATES = [
  'APPEAL_STATE_RECEIVED',
  'APPEAL_STATE_REGISTERED',
  'APPEAL_STATE_ASSIGNED',
  'APPEAL_STATE_IN_PROGRESS',
  'APPEAL_STATE_ANSWERED',
  'APPEAL_STATE_FORWARDED',
  'APPEAL_STATE_RETURNED',
  'APPEAL_STATE_LEFT_WITHOUT_ANSWER',
  'APPEAL_STATE_CORRESPONDENCE_ENDED',
] as const satisfies readonly AppealState[];

/** States in which the answer deadline still runs. */
export const OPEN_STATES: readonly AppealState[] = [
  'APPEAL_STATE_RECEIVED',
  'APPEAL_STATE_REGISTERED',
  'APPEAL_STATE_ASSIGNED',
  'APPEAL_STATE_IN_PROGRESS',
];

export const CHANNELS = [
  'CHANNEL_LETTER',
  'CHANNEL_ELECTRONIC',
  'CHANNEL_PERSONAL_RECEPTION',
  'CHANNEL_PHONE',
  'CHANNEL_OUTREACH_MEETING',
  'CHANNEL_FEEDBACK_PLATFORM',
] as const satisfies readonly Channel[];

/** "APPEAL_STATE_IN_PROGRESS" → "IN_PROGRESS" (the filter's and the URL's spelling). */
export const shortState = (s: string) => s.replace(/^APPEAL_STATE_/, '');
export const shortChannel = (s: string) => s.replace(/^CHANNEL_/, '');

/** Due soon: at most this many calendar days left to answer. */
export const DUE_SOON_DAYS = 5;

export type DeadlineStatus = 'none' | 'closed' | 'overdue' | 'soon' | 'ok';

export interface Deadline {
  status: DeadlineStatus;
  due: CalendarDate | null;
  /** Days left to the due date (negative when overdue), counted in city dates. */
  daysLeft: number;
}

const serverStatus: Partial<Record<string, DeadlineStatus>> = {
  DEADLINE_STATE_ON_TIME: 'ok',
  DEADLINE_STATE_DUE_SOON: 'soon',
  DEADLINE_STATE_OVERDUE: 'overdue',
  DEADLINE_STATE_CLOSED: 'closed',
};

/**
 * The answer deadline: the service's own verdict (deadline_state) when it gives one, else
 * computed here from the due date and the state; days left are counted in city dates.
 */
export function answerDeadline(a: Pick<Appeal, 'answerDueDate' | 'state' | 'deadlineState'>, today: CalendarDate): Deadline {
  const due = toCalendarDate(a.answerDueDate);
  if (!due) return { status: 'none', due, daysLeft: 0 };
  const daysLeft = diffDays(today, due);
  const server = a.deadlineState ? serverStatus[a.deadlineState] : undefined;
  if (server) return { status: server, due, daysLeft };
  if (a.state && !OPEN_STATES.includes(a.state)) return { status: 'closed', due, daysLeft };
  if (daysLeft < 0) return { status: 'overdue', due, daysLeft };
  if (daysLeft <= DUE_SOON_DAYS) return { status: 'soon', due, daysLeft };
  return { status: 'ok', due, daysLeft };
}

/** Mantine colour of a deadline status. */
export const deadlineColor: Record<DeadlineStatus, string> = {
  none: 'gray',
  closed: 'gray',
  overdue: 'red',
  soon: 'orange',
  ok: 'teal',
};

export const stateColor = (s: string | undefined): string => {
  switch (s) {
    case 'APPEAL_STATE_RECEIVED':
    case 'APPEAL_STATE_REGISTERED':
      return 'blue';
    case 'APPEAL_STATE_ASSIGNED':
    case 'APPEAL_STATE_IN_PROGRESS':
      return 'indigo';
    case 'APPEAL_STATE_ANSWERED':
      return 'teal';
    default:
      return 'gray';
  }
};
