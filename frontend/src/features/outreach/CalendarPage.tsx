import { ActionIcon, Alert, Anchor, Button, Checkbox, Group, Loader, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Meeting } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { departmental, proposesMeetings } from '../../auth/principal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ChevronLeft, ChevronRight } from '../../components/icons';
import { PageTitle } from '../../components/PageTitle';
import { formatCalendarDate, isoDate } from '../../lib/time';
import { useToday } from '../../lib/useToday';
import { shortDepartmentName, useDistricts } from '../../reference/reference';
import { type MonthRef, addMonths, byCityDay, monthKey, monthWeeks, parseMonth } from './calendar';
import { MeetingDialog } from './MeetingDialog';
import { DISTRICTS, meetingId, planIdOf, shortMeetingState } from './model';
import { FeedLink, MeetingStateBadge, OverdueBadge, feeds, formatDayLong, formatMonthLong, formatTime } from './parts';
import { useMonthMeetings, usePlan } from './queries';
import classes from './Calendar.module.css';
import './texts';

const MAX_IN_CELL = 4;

/**
 * The calendar of meetings: a month grid (Monday first, city dates) or a list by day, filtered
 * by district and by the user's department; links to the month's plan, an unscheduled meeting,
 * and the calendar feeds. The month and the filters are in the URL:
 * /meetings?month=2026-03&view=list&district=ZHD&mine=1
 */
export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = useToday();
  const principal = usePrincipal();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const month: MonthRef = parseMonth(params.get('month')) ?? { year: today.year, month: today.month };
  // A phone reads the month as a list: seven columns do not fit.
  const narrow = useMediaQuery('(max-width: 48em)');
  const view = (params.get('view') ?? (narrow ? 'list' : 'grid')) === 'list' ? 'list' : 'grid';
  const district = DISTRICTS.includes(params.get('district') as never) ? params.get('district')! : '';
  const mine = params.get('mine') === '1' && departmental(principal);
  const extra = [...(district ? [`district = "${district}"`] : []), ...(mine ? [`department = "${principal.department}"`] : [])];
  const q = useMonthMeetings(month, extra);
  const districts = useDistricts();
  const [creating, setCreating] = useState(false);
  // An election period's additional schedule of the month, when one is open.
  const election = usePlan(planIdOf(month, true));

  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const meetings = q.data ?? [];
  const days = useMemo(() => byCityDay(meetings, (m) => m.startTime), [meetings]);
  const title = formatMonthLong(month.year, month.month, lang);

  return (
    <Stack gap="md">
      <PageTitle>{t('outreach.calendar.title')}</PageTitle>
      <Paper withBorder radius="md" p="sm">
        <Group justify="space-between" gap="sm">
          <Group gap={6} wrap="nowrap">
            <ActionIcon variant="default" size="lg" aria-label={t('outreach.calendar.prevMonth')} onClick={() => set('month', monthKey(addMonths(month, -1)))}>
              <ChevronLeft />
            </ActionIcon>
            <Title order={2} size="h4" miw={150} ta="center" tt="capitalize" aria-live="polite" data-testid="calendar-month">
              {title}
            </Title>
            <ActionIcon variant="default" size="lg" aria-label={t('outreach.calendar.nextMonth')} onClick={() => set('month', monthKey(addMonths(month, 1)))}>
              <ChevronRight />
            </ActionIcon>
            <Button variant="subtle" size="xs" onClick={() => set('month', '')}>
              {t('outreach.calendar.today')}
            </Button>
          </Group>
          <Group gap="sm">
            <SegmentedControl
              size="xs"
              aria-label={t('outreach.calendar.view')}
              value={view}
              onChange={(v) => set('view', v)}
              data={[
                { value: 'grid', label: t('outreach.calendar.viewMonth') },
                { value: 'list', label: t('outreach.calendar.viewList') },
              ]}
            />
            <Select
              size="xs"
              w={170}
              aria-label={t('outreach.calendar.district')}
              data={[{ value: '', label: t('outreach.calendar.allDistricts') }, ...DISTRICTS.map((c) => ({ value: c, label: districts.data?.find((d) => d.code === c)?.name ?? c }))]}
              value={district}
              allowDeselect={false}
              onChange={(v) => set('district', v ?? '')}
            />
            {departmental(principal) && <Checkbox size="xs" label={t('outreach.calendar.mine')} checked={mine} onChange={(e) => set('mine', e.currentTarget.checked ? '1' : '')} />}
          </Group>
        </Group>
        <Group gap="sm" mt="sm">
          <Button component={Link} to={`/meetings/plans/${planIdOf(month)}`} variant="light" size="xs" data-testid="month-plan-link">
            {t('outreach.calendar.planLink', { month: title })}
          </Button>
          {election.data && (
            <Button component={Link} to={`/meetings/plans/${planIdOf(month, true)}`} variant="light" color="grape" size="xs" data-testid="election-plan-link">
              {t('outreach.calendar.electionLink')}
            </Button>
          )}
          {proposesMeetings(principal) && (
            <Button variant="default" size="xs" onClick={() => setCreating(true)} data-testid="new-unscheduled">
              {t('outreach.calendar.unscheduled')}
            </Button>
          )}
          <Text size="xs" c="dimmed" ml="auto">
            {q.isFetching ? <Loader size="xs" /> : t('outreach.calendar.count', { count: meetings.length })} · {t('app.timeZoneNote')}
          </Text>
        </Group>
      </Paper>
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : view === 'grid' ? (
        <MonthGrid month={month} days={days} todayKey={isoDate(today)} onMore={() => set('view', 'list')} />
      ) : (
        <Agenda days={days} />
      )}
      <FeedsPanel />
      {creating && (
        <MeetingDialog
          mode="create"
          plan=""
          planMonth={null}
          defaultDate={isoDate(today)}
          onClose={() => setCreating(false)}
          onDone={(m) => {
            setCreating(false);
            navigate(`/meetings/${meetingId(m.name)}`, { state: { created: true } });
          }}
        />
      )}
    </Stack>
  );
}

function MonthGrid({ month, days, todayKey, onMore }: { month: MonthRef; days: Map<string, Meeting[]>; todayKey: string; onMore: () => void }) {
  const { t, i18n } = useTranslation();
  const weekdays = t('outreach.calendar.weekdays', { returnObjects: true }) as string[];
  const weeks = monthWeeks(month);
  return (
    <div className={classes.grid} role="grid" aria-label={formatMonthLong(month.year, month.month, i18n.language)} data-testid="calendar-grid">
      <div role="row" style={{ display: 'contents' }}>
        {weekdays.map((w) => (
          <div key={w} className={classes.head} role="columnheader">
            {w}
          </div>
        ))}
      </div>
      {weeks.map((week) => (
        <div role="row" key={isoDate(week[0])} style={{ display: 'contents' }}>
          {week.map((d) => {
            const key = isoDate(d);
            const list = days.get(key) ?? [];
            const outside = d.month !== month.month;
            return (
              <div
                key={key}
                role="gridcell"
                className={`${classes.day} ${outside ? classes.outside : ''} ${key === todayKey ? classes.today : ''}`}
                aria-label={list.length ? t('outreach.calendar.meetingsOfDay', { date: formatCalendarDate(d, i18n.language) }) : formatCalendarDate(d, i18n.language)}
                data-date={key}
              >
                <span className={classes.num}>{d.day}</span>
                {list.slice(0, MAX_IN_CELL).map((m) => (
                  <Link
                    key={m.name}
                    to={`/meetings/${meetingId(m.name)}`}
                    className={classes.item}
                    data-state={shortMeetingState(m.state)}
                    data-overdue={m.reportOverdue ? 'true' : undefined}
                    title={`${formatTime(m.startTime)} ${m.topic} — ${t(`outreach.states.${shortMeetingState(m.state)}`)}`}
                  >
                    <span className={classes.time}>{formatTime(m.startTime)}</span>
                    {m.topic}
                  </Link>
                ))}
                {list.length > MAX_IN_CELL && (
                  <Anchor component="button" type="button" size="xs" c="dimmed" onClick={onMore}>
                    {t('outreach.calendar.more', { count: list.length - MAX_IN_CELL })}
                  </Anchor>
                )}
              </div>
            );
          })}
        </div>
      ))}
    </div>
  );
}

function Agenda({ days }: { days: Map<string, Meeting[]> }) {
  const { t, i18n } = useTranslation();
  if (days.size === 0) {
    return (
      <Alert color="gray" variant="light">
        {t('outreach.calendar.empty')}
      </Alert>
    );
  }
  return (
    <Stack gap="md" data-testid="calendar-list">
      {[...days.entries()].map(([key, list]) => (
        <Paper withBorder radius="md" p="sm" key={key} component="section" aria-label={formatDayLong(list[0].startTime!, i18n.language)}>
          <Title order={3} size="h5" mb={6}>
            {formatDayLong(list[0].startTime!, i18n.language)}
          </Title>
          <Stack gap={0}>
            {list.map((m, i) => (
              <Group key={m.name} gap="sm" wrap="nowrap" align="flex-start" py={8} style={i > 0 ? { borderTop: '1px solid var(--mantine-color-gray-2)' } : undefined}>
                <Text w={48} fw={600} size="sm" style={{ fontVariantNumeric: 'tabular-nums', flex: 'none' }}>
                  {formatTime(m.startTime)}
                </Text>
                <div style={{ minWidth: 0, flex: 1 }}>
                  <Anchor component={Link} to={`/meetings/${meetingId(m.name)}`} size="sm" fw={500}>
                    {m.topic}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {[m.districtDisplayName || (m.district ? m.district : t('outreach.cityWide')), m.venue, m.departmentDisplayName ? shortDepartmentName(m.departmentDisplayName) : m.department].filter(Boolean).join(' · ')}
                  </Text>
                  <Group gap={4} mt={4}>
                    <MeetingStateBadge state={m.state} />
                    {m.reportOverdue && <OverdueBadge />}
                    {m.unscheduled && (
                      <Text size="xs" c="dimmed">
                        {t('outreach.unscheduled')}
                      </Text>
                    )}
                  </Group>
                </div>
              </Group>
            ))}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

function FeedsPanel() {
  const { t } = useTranslation();
  const p = usePrincipal();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="feeds">
      <Title order={2} size="h5" id="feeds" mb={4}>
        {t('outreach.feeds.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('outreach.feeds.hint')}
      </Text>
      <Group gap="lg">
        <Anchor component={Link} to="/schedule" size="sm" target="_blank" data-testid="public-schedule-link">
          {t('outreach.feeds.public')}
        </Anchor>
        <FeedLink href={feeds.public()} testId="feed-public">
          {t('outreach.feeds.publicIcs')}
        </FeedLink>
        {p.department && (
          <FeedLink href={feeds.department(p.department)} testId="feed-department">
            {t('outreach.feeds.departmentIcs')}
          </FeedLink>
        )}
      </Group>
    </Paper>
  );
}
