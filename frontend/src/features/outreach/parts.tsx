/** Small pieces the outreach pages share: badges, the meeting's time, sections and fields, feed links. */
import { Anchor, Badge, Group, Paper, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl } from '../../api/client';
import type { Meeting, MeetingPlanState, MeetingState, PublicMeeting } from '../../api/types';
import { cityDateOf, cityParts, formatCalendarDate, formatDateTime, isoDate } from '../../lib/time';
import classes from '../appeals/AppealCard.module.css';
import { meetingStateColor, planStateColor, shortMeetingState, shortPlanState } from './model';
import './texts';

export { classes as cardClasses };

export function MeetingStateBadge({ state }: { state: MeetingState | undefined }) {
  const { t } = useTranslation();
  const s = shortMeetingState(state);
  return (
    <Badge variant="light" color={meetingStateColor(state)} radius="sm" miw="max-content" style={{ textTransform: 'none' }} data-testid="meeting-state">
      {t(`outreach.states.${s}`, { defaultValue: s })}
    </Badge>
  );
}

export function PlanStateBadge({ state }: { state: MeetingPlanState | undefined }) {
  const { t } = useTranslation();
  const s = shortPlanState(state);
  return (
    <Badge variant="light" color={planStateColor(state)} radius="sm" miw="max-content" style={{ textTransform: 'none' }} data-testid="plan-state">
      {t(`outreach.planStates.${s}`, { defaultValue: s })}
    </Badge>
  );
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('outreach.reportOverdueLong')} multiline w={240}>
      <Badge variant="filled" color="red" radius="sm" style={{ textTransform: 'none' }} data-testid="report-overdue">
        {t('outreach.reportOverdue')}
      </Badge>
    </Tooltip>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "15:00" in city time. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = cityParts(d);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "12.03.2026, 15:00–16:00" in city time (the end's date only when it differs). */
export function formatWhen(m: Pick<Meeting | PublicMeeting, 'startTime' | 'endTime'>, lang: string): string {
  if (!m.startTime) return '';
  const start = formatDateTime(m.startTime, lang);
  if (!m.endTime) return start;
  const sameDay = isoDate(cityDateOf(new Date(m.startTime))) === isoDate(cityDateOf(new Date(m.endTime)));
  return sameDay ? `${start}–${formatTime(m.endTime)}` : `${start} — ${formatDateTime(m.endTime, lang)}`;
}

/** "Четверг, 12 марта" in city time. */
export function formatDayLong(iso: string, lang: string): string {
  const d = cityDateOf(new Date(iso));
  const s = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(Date.UTC(d.year, d.month - 1, d.day)));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "март 2026" / "March 2026" (the nominative month, for headings). */
export function formatMonthLong(year: number, month: number, lang: string): string {
  const s = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone: 'UTC', month: 'long', year: 'numeric' })
    .format(new Date(Date.UTC(year, month - 1, 15)))
    .replace(/\s*г\.$/, '');
  return s;
}

export { formatCalendarDate };

export function Section({ title, children, id, testId }: { title: string; children: ReactNode; id: string; testId?: string }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id} data-testid={testId}>
      <Title order={2} size="h4" mb="sm" id={id}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={classes.field}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The public iCalendar feeds (no token: calendar apps subscribe to them). */
export const feeds = {
  public: (district = '') => apiUrl(`/v1/publicMeetings.ics${district ? `?district=${encodeURIComponent(district)}` : ''}`),
  department: (code: string) => apiUrl(`/v1/departments/${encodeURIComponent(code)}/meetings.ics`),
  speaker: (official: string) => apiUrl(`/v1/${official}/meetings.ics`),
};

export function FeedLink({ href, children, testId }: { href: string; children: ReactNode; testId?: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <CalendarIcon />
      <Anchor href={href} size="sm" data-testid={testId} target="_blank" rel="noopener">
        {children}
      </Anchor>
    </Group>
  );
}

export function CalendarIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2">
      <rect x="3" y="5" width="18" height="16" rx="2" />
      <path d="M3 10h18M8 3v4M16 3v4" />
    </svg>
  );
}
