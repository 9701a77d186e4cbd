import { ActionIcon, Alert, Anchor, Button, Grid, Group, Input, Loader, Paper, SegmentedControl, Select, SimpleGrid, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type ComponentProps, Suspense, lazy, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { AppealStatistics, StatisticsRow, TopicGrowth } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { seesAllDepartments } from '../../auth/principal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ChevronLeft, ChevronRight } from '../../components/icons';
import { PageTitle } from '../../components/PageTitle';
import { Refusal } from '../../components/Refusal';
import { StatTile } from '../../components/StatTile';
import { saveBlob } from '../../lib/download';
import { type CalendarDate, formatCalendarDate, isoDate, parseIsoDate } from '../../lib/time';
import { useToday } from '../../lib/useToday';
import { shortDepartmentName, useDepartments, useDistricts } from '../../reference/reference';
import { emptyFilters, toSearchParams, type RegistryFilters } from '../appeals/filters';
import { shortChannel } from '../appeals/model';
import type { ChartRow } from '../charts/RowsChart';
import { PRESETS, type Period, checkPeriod, isWholeMonth, monthOf, parsePeriod, periodParams, presetPeriod, previousPeriod, shiftMonth } from './period';
import { type ExportFormat, exportStatistics, useStatistics } from './queries';

const RowsChart = lazy(() => import('../charts/RowsChart'));

const DEPT_RE = /^[A-Z0-9-]{1,32}$/;

/**
 * Analytics of the appeals registered in a period (a month by default, any range): the
 * figures of GET /v1/appeals:statistics, breakdowns as charts (ECharts, loaded on demand) and
 * tables, and the federal monthly report as CSV or XLSX.
 */
export default function AnalyticsPage() {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const principal = usePrincipal();
  const [params, setParams] = useSearchParams();
  const period = useMemo(() => parsePeriod(params, today), [params, today]);
  const allDepts = seesAllDepartments(principal);
  const dept = allDepts && DEPT_RE.test(params.get('dept') ?? '') ? params.get('dept')! : '';
  const departments = useMemo(() => (dept ? [dept] : []), [dept]);
  const bad = checkPeriod(period);
  const stats = useStatistics(period, departments, !bad);
  const lang = i18n.language;

  const setPeriod = (p: Period) => {
    const next = periodParams(p);
    if (dept) next.set('dept', dept);
    setParams(next, { replace: true });
  };
  const setDept = (d: string) => {
    const next = periodParams(period);
    if (d) next.set('dept', d);
    setParams(next, { replace: true });
  };

  const s = bad ? undefined : stats.data;
  const prev = previousPeriod(period);
  const range = `${formatCalendarDate(period.from, lang)} — ${formatCalendarDate(period.to, lang)}`;

  return (
    <Stack gap="md">
      <PageTitle>{t('analytics.title')}</PageTitle>
      <PeriodPanel period={period} onChange={setPeriod} today={today} dept={dept} onDept={allDepts ? setDept : undefined} />
      {bad && (
        <Alert color="orange" variant="light" role="alert">
          {t(bad)}
        </Alert>
      )}
      {stats.isError && !bad && <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />}
      {!bad && stats.isPending && (
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <Skeleton key={i} h={104} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {s && (
        <Stack gap="md" aria-busy={stats.isFetching} data-testid="analytics" style={{ opacity: stats.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="analytics-period">
            {t('analytics.period')}: {range}
            {stats.isFetching ? ` · ${t('registry.refreshing')}` : ''}
          </Text>
          <Figures s={s} period={period} />
          {(s.appeals ?? 0) === 0 ? (
            <Alert color="gray" variant="light">
              {t('analytics.empty')}
            </Alert>
          ) : (
            <Breakdowns s={s} period={period} growingHint={t('analytics.growingHint', { from: formatCalendarDate(prev.from, lang), to: formatCalendarDate(prev.to, lang) })} />
          )}
          <ExportPanel period={period} departments={departments} />
        </Stack>
      )}
    </Stack>
  );
}

/* ------------------------------------------------------------------ the period */

/** "март" / "March" */
function monthName(m: number, lang: string): string {
  const s = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ru-RU', { timeZone: 'UTC', month: 'long' }).format(new Date(Date.UTC(2000, m - 1, 15)));
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Years to pick: ten back from today's, and the one shown if older. */
function years(today: CalendarDate, shown: number): string[] {
  const list = Array.from({ length: 11 }, (_, i) => today.year - i);
  if (!list.includes(shown)) list.push(shown);
  return list.sort((a, b) => b - a).map(String);
}

function PeriodPanel({ period, onChange, today, dept, onDept }: { period: Period; onChange: (p: Period) => void; today: CalendarDate; dept: string; onDept?: (d: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const departments = useDepartments();
  const [mode, setMode] = useState<'month' | 'range'>(isWholeMonth(period) ? 'month' : 'range');
  useEffect(() => {
    if (!isWholeMonth(period)) setMode('range');
  }, [period]);
  const [from, setFrom] = useState(isoDate(period.from));
  const [to, setTo] = useState(isoDate(period.to));
  useEffect(() => {
    setFrom(isoDate(period.from));
    setTo(isoDate(period.to));
  }, [period]);
  const commitRange = (f: string, tt: string) => {
    const a = parseIsoDate(f);
    const b = parseIsoDate(tt);
    if (a && b) onChange({ from: a, to: b });
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="period-title">
      <Stack gap="sm">
        <Group justify="space-between" align="center" gap="sm">
          <Text fw={600} id="period-title">
            {t('analytics.period')}
          </Text>
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(v) => {
              setMode(v as 'month' | 'range');
              if (v === 'month' && !isWholeMonth(period)) onChange(monthOf(period.from));
            }}
            data={[
              { value: 'month', label: t('analytics.month') },
              { value: 'range', label: t('analytics.range') },
            ]}
            aria-label={t('analytics.period')}
          />
        </Group>
        <Group gap="md" align="flex-end" wrap="wrap">
          {mode === 'month' ? (
            <Group gap={6} wrap="nowrap" align="flex-end">
              <ActionIcon variant="default" size={36} onClick={() => onChange(monthOf(shiftMonth(period.from, -1)))} aria-label={t('analytics.prevMonth')}>
                <ChevronLeft />
              </ActionIcon>
              <Select
                label={t('analytics.monthInput')}
                value={String(period.from.month)}
                allowDeselect={false}
                onChange={(v) => v && onChange(monthOf({ year: period.from.year, month: Number(v), day: 1 }))}
                data={Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: monthName(i + 1, lang) }))}
                w={150}
                data-testid="period-month"
              />
              <Select
                label={t('analytics.year')}
                value={String(period.from.year)}
                allowDeselect={false}
                onChange={(v) => v && onChange(monthOf({ year: Number(v), month: period.from.month, day: 1 }))}
                data={years(today, period.from.year)}
                w={100}
                data-testid="period-year"
              />
              <ActionIcon variant="default" size={36} onClick={() => onChange(monthOf(shiftMonth(period.from, 1)))} aria-label={t('analytics.nextMonth')}>
                <ChevronRight />
              </ActionIcon>
            </Group>
          ) : (
            <Input.Wrapper label={t('analytics.range')} labelElement="div">
              <Group gap={6} wrap="nowrap" align="center">
                <TextInput
                  type="date"
                  aria-label={t('analytics.from')}
                  value={from}
                  max={to || undefined}
                  onChange={(e) => {
                    setFrom(e.currentTarget.value);
                    commitRange(e.currentTarget.value, to);
                  }}
                  data-testid="period-from"
                />
                <Text c="dimmed" aria-hidden="true">
                  –
                </Text>
                <TextInput
                  type="date"
                  aria-label={t('analytics.to')}
                  value={to}
                  min={from || undefined}
                  onChange={(e) => {
                    setTo(e.currentTarget.value);
                    commitRange(from, e.currentTarget.value);
                  }}
                  data-testid="period-to"
                />
              </Group>
            </Input.Wrapper>
          )}
          <Group gap={6} wrap="wrap">
            {PRESETS.map((p) => {
              const pp = presetPeriod(p, today);
              const active = isoDate(pp.from) === isoDate(period.from) && isoDate(pp.to) === isoDate(period.to);
              return (
                <Button
                  key={p}
                  size="xs"
                  variant={active ? 'light' : 'subtle'}
                  aria-pressed={active}
                  onClick={() => {
                    setMode(isWholeMonth(pp) ? 'month' : 'range');
                    onChange(pp);
                  }}
                >
                  {t(`analytics.presets.${p}`)}
                </Button>
              );
            })}
          </Group>
          {onDept && (
            <Select
              label={t('registry.department')}
              placeholder={t('common.all')}
              clearable
              searchable
              value={dept || null}
              onChange={(v) => onDept(v ?? '')}
              data={(departments.data ?? []).map((d) => ({ value: d.code, label: shortDepartmentName(d.name) }))}
              comboboxProps={{ width: 420, position: 'bottom-start' }}
              w={{ base: '100%', sm: 280 }}
            />
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

/* ------------------------------------------------------------------ figures */

const pct = (x: number | undefined, lang: string) => `${((x ?? 0) * 100).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
const num = (x: number | undefined, lang: string) => (x ?? 0).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU');

function Figures({ s, period }: { s: AppealStatistics; period: Period }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const overdueLink = `/appeals?${toSearchParams({ ...emptyFilters, from: isoDate(period.from), to: isoDate(period.to), deadline: 'overdue' }).toString()}&sort=due_asc`;
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing={{ base: 'xs', sm: 'md' }} data-testid="figures">
      <Tile label={t('analytics.appeals')} value={num(s.appeals, lang)} testId="fig-appeals" />
      <Tile label={t('analytics.answered')} value={num(s.answered, lang)} testId="fig-answered" />
      <Tile label={t('analytics.onTime')} value={pct(s.onTimeShare, lang)} note={t('analytics.onTimeOf', { onTime: num(s.answeredOnTime, lang), answered: num(s.answered, lang) })} testId="fig-on-time" />
      <Tile label={t('analytics.avgDays')} value={t('analytics.days', { value: (s.averageDaysToAnswer ?? 0).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1 }) })} testId="fig-avg-days" />
      <Tile label={t('analytics.repeated')} value={pct(s.repeatedShare, lang)} note={t('analytics.repeatedOf', { count: s.repeated ?? 0, formatted: num(s.repeated, lang) })} testId="fig-repeated" />
      <Tile
        label={t('analytics.overdue')}
        value={num(s.overdue, lang)}
        color={(s.overdue ?? 0) > 0 ? 'red' : undefined}
        note={t('analytics.overdueHint')}
        link={(s.overdue ?? 0) > 0 ? overdueLink : undefined}
        testId="fig-overdue"
      />
    </SimpleGrid>
  );
}

/** A figure of the period, linked to the registry's matching appeals when `link` is given. */
function Tile({ link, ...tile }: Omit<ComponentProps<typeof StatTile>, 'link' | 'compact'> & { link?: string }) {
  const { t } = useTranslation();
  return <StatTile {...tile} compact link={link ? { to: link, label: t('analytics.showInRegistry') } : undefined} />;
}

/* ------------------------------------------------------------------ breakdowns */

interface TableRow extends ChartRow {
  answered: number;
  onTime: number;
  link?: string;
}

function Breakdowns({ s, period, growingHint }: { s: AppealStatistics; period: Period; growingHint: string }) {
  const { t } = useTranslation();
  const districts = useDistricts().data;
  const principal = usePrincipal();
  const base: Partial<RegistryFilters> = { ...emptyFilters, from: isoDate(period.from), to: isoDate(period.to) };
  const registry = (f: Partial<RegistryFilters>) => `/appeals?${toSearchParams({ ...base, ...f }).toString()}`;
  const rows = (list: StatisticsRow[] | undefined, name: (r: StatisticsRow) => string, link?: (r: StatisticsRow) => string | undefined): TableRow[] =>
    (list ?? []).map((r) => ({ key: r.key ?? '', name: name(r), value: r.appeals ?? 0, answered: r.answered ?? 0, onTime: r.answeredOnTime ?? 0, link: link?.(r) }));

  const bySection = rows(s.bySection, (r) => r.displayName || r.key || '', (r) => (r.key ? registry({ code: r.key }) : undefined));
  const byTopic = rows(s.byTopic, (r) => r.displayName || r.key || '', (r) => (r.key ? registry({ code: r.key }) : undefined));
  const byDistrict = rows(
    s.byDistrict,
    (r) => (r.key ? (districts?.find((d) => d.code === r.key)?.name ?? r.displayName ?? r.key) : t('analytics.noDistrict')),
    (r) => (r.key ? registry({ district: r.key }) : undefined),
  );
  const byDepartment = rows(s.byDepartment, (r) => shortDepartmentName(r.displayName || r.key || ''), (r) => (r.key && seesAllDepartments(principal) ? registry({ dept: r.key }) : undefined));
  const byChannel = rows(
    s.byChannel,
    (r) => t(`channels.${shortChannel(r.key ?? '')}`, { defaultValue: r.displayName || r.key }),
    (r) => (r.key ? registry({ channel: shortChannel(r.key) }) : undefined),
  );

  return (
    <>
      <Text size="xs" c="dimmed">
        {t('analytics.multiCount')}
      </Text>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Breakdown id="by-section" title={t('analytics.bySection')} rows={bySection} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Breakdown id="by-channel" title={t('analytics.byChannel')} rows={byChannel} kind="pie" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Breakdown id="by-district" title={t('analytics.byDistrict')} rows={byDistrict} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Breakdown id="by-topic" title={t('analytics.byTopic')} rows={byTopic} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Breakdown id="by-department" title={t('analytics.byDepartment')} rows={byDepartment} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Growing topics={s.growingTopics ?? []} hint={growingHint} />
        </Grid.Col>
      </Grid>
    </>
  );
}

function Block({ id, title, hint, children, view, onView }: { id: string; title: string; hint?: string; children: ReactNode; view: 'chart' | 'table'; onView: (v: 'chart' | 'table') => void }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id} h="100%" data-testid={id}>
      <Group justify="space-between" align="flex-start" gap="xs" mb="xs" wrap="wrap">
        <div style={{ flex: '1 1 220px', minWidth: 0 }}>
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </div>
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(v) => onView(v as 'chart' | 'table')}
          data={[
            { value: 'chart', label: t('analytics.chart') },
            { value: 'table', label: t('analytics.table') },
          ]}
          aria-label={`${title}: ${t('analytics.chart')} / ${t('analytics.table')}`}
        />
      </Group>
      {children}
    </Paper>
  );
}

const chartFallback = (
  <Group h={200} justify="center">
    <Loader size="sm" />
  </Group>
);

function Breakdown({ id, title, rows, kind = 'bar' }: { id: string; title: string; rows: TableRow[]; kind?: 'bar' | 'pie' }) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const lang = i18n.language;
  const shown = rows.filter((r) => r.value > 0 || kind !== 'pie');
  return (
    <Block id={id} title={title} view={view} onView={setView}>
      {view === 'chart' ? (
        <Suspense fallback={chartFallback}>
          <RowsChart rows={shown} kind={kind} seriesName={t('analytics.columns.appeals')} testId={`${id}-chart`} />
        </Suspense>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={6} striped data-testid={`${id}-table`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('analytics.columns.name')}</Table.Th>
                <Table.Th ta="right">{t('analytics.columns.appeals')}</Table.Th>
                <Table.Th ta="right">{t('analytics.columns.answered')}</Table.Th>
                <Table.Th ta="right">{t('analytics.columns.onTime')}</Table.Th>
                <Table.Th ta="right">{t('analytics.columns.share')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key || r.name}>
                  <Table.Td>
                    {r.link && r.value > 0 ? (
                      <Anchor component={Link} to={r.link} size="sm">
                        {r.name}
                      </Anchor>
                    ) : (
                      <Text size="sm">{r.name}</Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {num(r.value, lang)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {num(r.answered, lang)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {num(r.onTime, lang)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {r.answered > 0 ? pct(r.onTime / r.answered, lang) : '—'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Block>
  );
}

function Growing({ topics, hint }: { topics: TopicGrowth[]; hint: string }) {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const lang = i18n.language;
  const rows: ChartRow[] = topics.map((g) => ({ key: g.code ?? '', name: g.displayName || g.code || '', value: g.appeals ?? 0, second: g.previousAppeals ?? 0 }));
  return (
    <Block id="growing" title={t('analytics.growing')} hint={hint} view={view} onView={setView}>
      {topics.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('analytics.growingNone')}
        </Text>
      ) : view === 'chart' ? (
        <Suspense fallback={chartFallback}>
          <RowsChart rows={rows} seriesName={t('analytics.columns.now')} secondName={t('analytics.columns.previous')} testId="growing-chart" />
        </Suspense>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing={6} striped data-testid="growing-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('analytics.columns.name')}</Table.Th>
                <Table.Th ta="right">{t('analytics.columns.previous')}</Table.Th>
                <Table.Th ta="right">{t('analytics.columns.now')}</Table.Th>
                <Table.Th ta="right">{t('analytics.columns.growth')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {topics.map((g) => (
                <Table.Tr key={g.code}>
                  <Table.Td>
                    <Text size="sm">{g.displayName}</Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {g.code}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {num(g.previousAppeals, lang)}
                  </Table.Td>
                  <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {num(g.appeals, lang)}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                    {(g.previousAppeals ?? 0) === 0 ? t('analytics.newTopic') : `+${pct(g.growth, lang)}`}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Block>
  );
}

/* ------------------------------------------------------------------ export */

function ExportPanel({ period, departments }: { period: Period; departments: string[] }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setDone('');
    setError(null);
    try {
      const f = await exportStatistics(period, format, departments);
      saveBlob(f.blob, f.filename);
      setDone(f.filename);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="export-title" data-testid="export">
      <Group justify="space-between" align="center" gap="sm">
        <div>
          <Title order={2} size="h4" id="export-title">
            {t('analytics.export')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('analytics.exportHint')}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="default" onClick={() => void run('EXPORT_FORMAT_CSV')} loading={busy === 'EXPORT_FORMAT_CSV'} disabled={!!busy} data-testid="export-csv">
            {t('analytics.csv')}
          </Button>
          <Button variant="default" onClick={() => void run('EXPORT_FORMAT_XLSX')} loading={busy === 'EXPORT_FORMAT_XLSX'} disabled={!!busy} data-testid="export-xlsx">
            {t('analytics.xlsx')}
          </Button>
        </Group>
      </Group>
      <div aria-live="polite">
        {busy && (
          <Text size="sm" mt="xs">
            {t('analytics.exporting')}
          </Text>
        )}
        {done && (
          <Text size="sm" mt="xs" c="teal.8" data-testid="export-done">
            {t('analytics.exported', { name: done })}
          </Text>
        )}
      </div>
      {error ? <Refusal error={error} title={t('errors.title')} /> : null}
    </Paper>
  );
}
