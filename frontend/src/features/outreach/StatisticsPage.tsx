import { Alert, Anchor, Button, Grid, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { OutreachStatistics, OutreachStatisticsRow } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { seesAllDepartments } from '../../auth/principal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { StatTile } from '../../components/StatTile';
import { formatCalendarDate, isoDate, parseIsoDate } from '../../lib/time';
import { useToday } from '../../lib/useToday';
import { shortDepartmentName, useDepartments } from '../../reference/reference';
import { PRESETS, type Period, checkPeriod, parsePeriod, periodParams, presetPeriod } from '../analytics/period';
import type { ChartRow } from '../charts/RowsChart';
import { parseMonth } from './calendar';
import { formatMonthLong } from './parts';
import { useOutreachStatistics } from './queries';
import './texts';

const RowsChart = lazy(() => import('../charts/RowsChart'));
const DEPT_RE = /^[A-Z0-9-]{1,32}$/;

type Metric = 'held' | 'reached';

/** The rows of a breakdown as chart rows of the chosen figure. */
export function chartRows(rows: OutreachStatisticsRow[] | undefined, metric: Metric, name: (r: OutreachStatisticsRow) => string = (r) => r.displayName || r.key || ''): ChartRow[] {
  return (rows ?? []).map((r) => ({ key: r.key ?? '', name: name(r), value: (metric === 'held' ? r.meetingsHeld : r.peopleReached) ?? 0 }));
}

/**
 * Statistics of the meetings with residents in a period (this year by default; presets and any
 * range, a department for those who see all): meetings held and people reached by month,
 * district, department and speaker, as charts (ECharts, loaded on demand) and tables, and the
 * year's totals. /meetings/statistics?from=2026-01-01&to=2026-12-31&dept=KUR-ZHD
 */
export default function StatisticsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const today = useToday();
  const principal = usePrincipal();
  const [params, setParams] = useSearchParams();
  const period = useMemo(() => (params.get('from') ? parsePeriod(params, today) : presetPeriod('thisYear', today)), [params, today]);
  const allDepts = seesAllDepartments(principal);
  const dept = allDepts && DEPT_RE.test(params.get('dept') ?? '') ? params.get('dept')! : '';
  const departments = useMemo(() => (dept ? [dept] : []), [dept]);
  const bad = checkPeriod(period);
  const stats = useOutreachStatistics(period, departments, !bad);
  const [metric, setMetric] = useState<Metric>('held');

  const go = (p: Period, d = dept) => {
    const next = periodParams(p);
    if (d) next.set('dept', d);
    setParams(next, { replace: true });
  };
  const s = bad ? undefined : stats.data;

  return (
    <Stack gap="md">
      <PageTitle>{t('outreach.stats.title')}</PageTitle>
      <PeriodPanel period={period} onChange={go} dept={dept} allDepts={allDepts} />
      {bad && (
        <Alert color="orange" variant="light" role="alert">
          {bad === 'analytics.badRange' ? t('outreach.stats.badRange') : t(bad)}
        </Alert>
      )}
      {stats.isError && !bad && <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />}
      {!bad && stats.isPending && (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={104} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {s && (
        <Stack gap="md" data-testid="outreach-stats" style={{ opacity: stats.isPlaceholderData ? 0.6 : 1 }}>
          <Text size="sm" c="dimmed" data-testid="stats-period">
            {t('outreach.stats.period')}: {formatCalendarDate(period.from, lang)} — {formatCalendarDate(period.to, lang)}
          </Text>
          <Figures s={s} />
          {(s.meetingsHeld ?? 0) === 0 ? (
            <Alert color="gray" variant="light">
              {t('outreach.stats.empty')}
            </Alert>
          ) : (
            <>
              <Group>
                <Text size="sm">{t('outreach.stats.metric')}:</Text>
                <SegmentedControl
                  size="xs"
                  value={metric}
                  onChange={(v) => setMetric(v as Metric)}
                  data={[
                    { value: 'held', label: t('outreach.stats.metricHeld') },
                    { value: 'reached', label: t('outreach.stats.metricReached') },
                  ]}
                  aria-label={t('outreach.stats.metric')}
                />
              </Group>
              <Grid gap="md">
                <Grid.Col span={{ base: 12, lg: 6 }}>
                  <Breakdown
                    id="by-month"
                    title={t('outreach.stats.byMonth')}
                    rows={s.byMonth}
                    metric={metric}
                    name={(r) => {
                      const m = parseMonth(r.key);
                      return m ? formatMonthLong(m.year, m.month, lang) : r.displayName || r.key || '';
                    }}
                  />
                </Grid.Col>
                <Grid.Col span={{ base: 12, lg: 6 }}>
                  <Breakdown id="by-district" title={t('outreach.stats.byDistrict')} rows={s.byDistrict} metric={metric} name={(r) => r.displayName || (r.key ? r.key : t('outreach.cityWide'))} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, lg: 6 }}>
                  <Breakdown id="by-department" title={t('outreach.stats.byDepartment')} rows={s.byDepartment} metric={metric} name={(r) => shortDepartmentName(r.displayName || r.key || '')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, lg: 6 }}>
                  <Breakdown id="by-speaker" title={t('outreach.stats.bySpeaker')} rows={s.bySpeaker} metric={metric} />
                </Grid.Col>
              </Grid>
            </>
          )}
        </Stack>
      )}
    </Stack>
  );
}

function PeriodPanel({ period, onChange, dept, allDepts }: { period: Period; onChange: (p: Period, dept?: string) => void; dept: string; allDepts: boolean }) {
  const { t } = useTranslation();
  const today = useToday();
  const departments = useDepartments();
  const [from, setFrom] = useState(isoDate(period.from));
  const [to, setTo] = useState(isoDate(period.to));
  useEffect(() => {
    setFrom(isoDate(period.from));
    setTo(isoDate(period.to));
  }, [period]);
  return (
    <Paper withBorder radius="md" p="sm">
      <Group align="flex-end" gap="sm">
        <Group gap={4}>
          {PRESETS.map((p) => (
            <Button key={p} size="xs" variant={isoDate(presetPeriod(p, today).from) === isoDate(period.from) && isoDate(presetPeriod(p, today).to) === isoDate(period.to) ? 'filled' : 'default'} onClick={() => onChange(presetPeriod(p, today))}>
              {t(`outreach.stats.presets.${p}`)}
            </Button>
          ))}
        </Group>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const f = parseIsoDate(from);
            const tt = parseIsoDate(to);
            if (f && tt) onChange({ from: f, to: tt });
          }}
        >
          <Group align="flex-end" gap="xs">
            <TextInput type="date" size="xs" label={t('outreach.stats.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
            <TextInput type="date" size="xs" label={t('outreach.stats.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            <Button type="submit" size="xs" variant="light">
              {t('outreach.stats.apply')}
            </Button>
          </Group>
        </form>
        {allDepts && (
          <Select
            size="xs"
            w={260}
            label={t('outreach.stats.department')}
            searchable
            data={[{ value: '', label: t('outreach.stats.allDepartments') }, ...(departments.data ?? []).map((d) => ({ value: d.code, label: shortDepartmentName(d.name) }))]}
            value={dept}
            allowDeselect={false}
            onChange={(v) => onChange(period, v ?? '')}
          />
        )}
      </Group>
    </Paper>
  );
}

function Figures({ s }: { s: OutreachStatistics }) {
  const { t, i18n } = useTranslation();
  const fmt = (n: number | undefined) => (n ?? 0).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ru-RU');
  return (
    <SimpleGrid cols={{ base: 2, md: 5 }} spacing={{ base: 'xs', sm: 'md' }}>
      <StatTile label={t('outreach.stats.held')} value={fmt(s.meetingsHeld)} note={t('outreach.stats.unscheduledHeld', { count: s.unscheduledHeld ?? 0 })} testId="stat-held" />
      <StatTile label={t('outreach.stats.reached')} value={fmt(s.peopleReached)} testId="stat-reached" />
      <StatTile label={t('outreach.stats.planned')} value={fmt(s.meetingsPlanned)} note={`${t('outreach.stats.cancelled')}: ${fmt(s.meetingsCancelled)}`} testId="stat-planned" />
      <StatTile
        label={t('outreach.stats.questions')}
        value={fmt(s.questions)}
        note={`${t('outreach.stats.onSpot', { count: s.questionsAnsweredOnTheSpot ?? 0 })}, ${t('outreach.stats.referred', { count: s.questionsReferred ?? 0 })}`}
        testId="stat-questions"
      />
      <StatTile
        label={t('outreach.stats.year', { year: s.year })}
        value={fmt(s.yearMeetingsHeld)}
        note={t('outreach.stats.yearLine', { held: fmt(s.yearMeetingsHeld), reached: fmt(s.yearPeopleReached) })}
        testId="stat-year"
      />
      {(s.reportsOverdue ?? 0) > 0 && <StatTile label={t('outreach.stats.overdue')} value={fmt(s.reportsOverdue)} color="red" testId="stat-overdue" />}
    </SimpleGrid>
  );
}

function Breakdown({ id, title, rows, metric, name }: { id: string; title: string; rows: OutreachStatisticsRow[] | undefined; metric: Metric; name?: (r: OutreachStatisticsRow) => string }) {
  const { t, i18n } = useTranslation();
  const fmt = (n: number | undefined) => (n ?? 0).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ru-RU');
  const data = chartRows(rows, metric, name);
  const label = (r: OutreachStatisticsRow) => (name ? name(r) : r.displayName || r.key || '');
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id} h="100%">
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {data.length > 0 && (
        <Suspense
          fallback={
            <Group h={160} justify="center">
              <Loader aria-label={t('outreach.stats.chartLoading')} />
            </Group>
          }
        >
          <RowsChart rows={data} seriesName={metric === 'held' ? t('outreach.stats.colHeld') : t('outreach.stats.colReached')} testId={`chart-${id}`} />
        </Suspense>
      )}
      <Table verticalSpacing={4} mt="sm" data-testid={`table-${id}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('outreach.stats.name')}</Table.Th>
            <Table.Th ta="right">{t('outreach.stats.colHeld')}</Table.Th>
            <Table.Th ta="right">{t('outreach.stats.colReached')}</Table.Th>
            <Table.Th ta="right">{t('outreach.stats.colQuestions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(rows ?? []).map((r) => (
            <Table.Tr key={r.key}>
              <Table.Td>
                {id === 'by-month' && parseMonth(r.key) ? (
                  <Anchor component={Link} to={`/meetings?month=${r.key}&view=list`} size="sm">
                    {label(r)}
                  </Anchor>
                ) : (
                  <Text size="sm">{label(r)}</Text>
                )}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {fmt(r.meetingsHeld)}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {fmt(r.peopleReached)}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {fmt(r.questions)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
