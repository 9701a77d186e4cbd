/**
 * The form of a meeting (a proposal into a plan, an unscheduled meeting, an edit): its values,
 * the checks made before sending, the request body, and where the server's field violations go.
 */
import type { Meeting } from '../../api/types';
import type { LocatedViolation } from '../../api/errors';
import { locateViolation, type FieldViolation } from '../../api/errors';
import { cityParts, isoDate, parseCityDateTimeLocal } from '../../lib/time';
import type { MonthRef } from './calendar';

export interface MeetingValues {
  topic: string;
  speakers: string[]; // officials/{id}
  audience: string;
  district: string; // '' = city-wide
  venue: string;
  date: string; // YYYY-MM-DD, city time
  start: string; // HH:MM
  end: string; // HH:MM, optional
}

export const emptyMeeting = (date = ''): MeetingValues => ({ topic: '', speakers: [], audience: '', district: '', venue: '', date, start: '', end: '' });

const hhmm = (d: Date) => {
  const p = cityParts(d);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

/** The values of an existing meeting (for the edit form). */
export function fromMeeting(m: Meeting): MeetingValues {
  const start = m.startTime ? new Date(m.startTime) : null;
  const end = m.endTime ? new Date(m.endTime) : null;
  return {
    topic: m.topic ?? '',
    speakers: [...(m.speakers ?? [])],
    audience: m.audience ?? '',
    district: m.district ?? '',
    venue: m.venue ?? '',
    date: start ? isoDate(cityParts(start)) : '',
    start: start ? hhmm(start) : '',
    end: end ? hhmm(end) : '',
  };
}

export type MeetingField = keyof MeetingValues;
/** Client-side problems: field → i18n key. */
export type MeetingErrors = Partial<Record<MeetingField, string>>;

export const MAX_SPEAKERS = 20;

export function startOf(v: Pick<MeetingValues, 'date' | 'start'>): Date | null {
  return parseCityDateTimeLocal(`${v.date}T${v.start}`);
}
export function endOf(v: Pick<MeetingValues, 'date' | 'end'>): Date | null {
  return v.end ? parseCityDateTimeLocal(`${v.date}T${v.end}`) : null;
}

/**
 * What is wrong before sending: topic, at least one speaker, venue, a real date and time; in a
 * plan the date lies within the plan's month (city time); an end after the start.
 */
export function checkMeeting(v: MeetingValues, planMonth: MonthRef | null): MeetingErrors {
  const e: MeetingErrors = {};
  if (!v.topic.trim()) e.topic = 'outreach.form.required';
  else if (v.topic.trim().length > 500) e.topic = 'outreach.form.tooLong';
  if (v.speakers.length === 0) e.speakers = 'outreach.form.speakersRequired';
  else if (v.speakers.length > MAX_SPEAKERS) e.speakers = 'outreach.form.speakersMax';
  if (!v.venue.trim()) e.venue = 'outreach.form.required';
  else if (v.venue.trim().length > 500) e.venue = 'outreach.form.tooLong';
  if (v.audience.trim().length > 500) e.audience = 'outreach.form.tooLong';
  if (!v.date) e.date = 'outreach.form.required';
  if (!v.start) e.start = 'outreach.form.required';
  const start = v.date && v.start ? startOf(v) : null;
  if (v.date && v.start && !start) e.start = 'outreach.form.badTime';
  if (start && planMonth) {
    const p = cityParts(start);
    if (p.year !== planMonth.year || p.month !== planMonth.month) e.date = 'outreach.form.outsideMonth';
  }
  if (v.end) {
    const end = endOf(v);
    if (!end) e.end = 'outreach.form.badTime';
    else if (start && end.getTime() <= start.getTime()) e.end = 'outreach.form.endBeforeStart';
  }
  return e;
}

/** The request body's meeting (what the form edits; the plan on create). */
export function toMeeting(v: MeetingValues, plan: string): Meeting {
  const start = startOf(v);
  const end = endOf(v);
  return {
    ...(plan ? { plan } : {}),
    topic: v.topic.trim(),
    speakers: v.speakers,
    audience: v.audience.trim(),
    district: v.district,
    venue: v.venue.trim(),
    startTime: start ? start.toISOString() : '',
    ...(end ? { endTime: end.toISOString() } : {}),
  };
}

/** The update mask of an edit: the fields whose values changed (snake_case, as the API names them). */
export function changedFields(before: MeetingValues, after: MeetingValues): string[] {
  const out: string[] = [];
  if (before.topic.trim() !== after.topic.trim()) out.push('topic');
  if (before.speakers.join() !== after.speakers.join()) out.push('speakers');
  if (before.audience.trim() !== after.audience.trim()) out.push('audience');
  if (before.district !== after.district) out.push('district');
  if (before.venue.trim() !== after.venue.trim()) out.push('venue');
  if (before.date !== after.date || before.start !== after.start) out.push('start_time');
  if (before.end !== after.end || ((before.date !== after.date || before.start !== after.start) && after.end)) out.push('end_time');
  return out;
}

/** A server violation on the form: "meeting.start_time" → date (the date and time inputs). */
export function meetingViolationField(v: FieldViolation): MeetingField | '' {
  const l: LocatedViolation = locateViolation(v, ['meeting.']);
  switch (l.field) {
    case 'topic':
    case 'speakers':
    case 'audience':
    case 'district':
    case 'venue':
      return l.field;
    case 'startTime':
    case 'plan':
      return 'date';
    case 'endTime':
      return 'end';
    default:
      return '';
  }
}
