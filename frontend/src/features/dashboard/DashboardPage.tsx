import { Anchor, Grid, Group, Loader, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { type ComponentProps, Suspense, lazy, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { StatTile } from '../../components/StatTile';
import { formatCalendarDate, formatMonth, formatMonthShort, isoDate } from '../../lib/time';
import { useToday } from '../../lib/useToday';
import { getStatistics, statisticsKeys, useStatistics } from '../analytics/queries';
import { emptyFilters, toSearchParams } from '../appeals/filters';
import { shortChannel } from '../appeals/model';
import { overviewPeriods, sectionSeries } from './stats';
import { usePrincipal } from '../../auth/AuthContext';
import { readsOutreach } from '../../auth/principal';


const SectionsChart = lazy(() => import('./SectionsChart'));
// The meetings' panel and its texts come in their own chunk, for those who read the meetings.
const OutreachYearPanel = lazy(() => import('../outreach/OutreachYearPanel'));

/**
 * The overview: the last 12 months from the statistics API (GET /v1/appeals:statistics), the
 * whole span for the figures and the channels, and one request per month for the chart.
 */
export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const lang = i18n.language;
  const { months, span } = useMemo(() => overviewPeriods(today), [today]);
  const total = useStatistics(span);
  const monthly = useQueries({
    queries: months.map((p) => ({ queryKey: statisticsKeys.period(p, []), queryFn: ({ signal }: { signal: AbortSignal }) => getStatistics(p, [], signal), staleTime: 60_000 })),
  });
  const monthData = monthly.map((q) => q.data);
  const monthsReady = monthly.every((q) => !q.isPending);
  const series = useMemo(() => (monthsReady ? sectionSeries(monthData) : []), [monthsReady, ...monthData]); // eslint-disable-line react-hooks/exhaustive-deps

  const monthLabels = months.map((m, i) => (i === 0 || m.from.month === 1 ? `${formatMonthShort(m.from.month, lang)}\n${m.from.year}` : formatMonthShort(m.from.month, lang)));
  const monthNames = months.map((m) => formatMonth(m.from.year, m.from.month, lang));
  const s = total.data;
  const fmt = (n: number | undefined) => (n ?? 0).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU');
  const pct = (x: number | undefined) => `${((x ?? 0) * 100).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
  const period = { from: isoDate(span.from), to: isoDate(span.to) };
  const registry = (extra: Record<string, string> = {}) => `/appeals?${toSearchParams({ ...emptyFilters, ...period, ...extra }).toString()}`;
  const monthError = monthly.find((q) => q.isError)?.error;
  const principal = usePrincipal();

  return (
    <Stack gap="md">
      <PageTitle>{t('dashboard.title')}</PageTitle>
      {total.isError && <ErrorAlert error={total.error} onRetry={() => void total.refetch()} />}
      {total.isPending && (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={104} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {s && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'xs', sm: 'md' }}>
            <Tile label={t('dashboard.total')} value={fmt(s.appeals)} to={registry()} testId="tile-total" />
            <Tile label={t('dashboard.onTime')} value={pct(s.onTimeShare)} note={t('dashboard.onTimeOf', { onTime: fmt(s.answeredOnTime), answered: fmt(s.answered) })} testId="tile-on-time" />
            <Tile label={t('dashboard.repeated')} value={fmt(s.repeated)} note={pct(s.repeatedShare)} to={(s.repeated ?? 0) > 0 ? registry({ repeated: '1' }) : undefined} testId="tile-repeated" />
            <Tile
              label={t('dashboard.overdue')}
              value={fmt(s.overdue)}
              color={(s.overdue ?? 0) > 0 ? 'red' : undefined}
              to={(s.overdue ?? 0) > 0 ? `${registry({ deadline: 'overdue' })}&sort=due_asc` : undefined}
              testId="tile-overdue"
            />
          </SimpleGrid>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <Paper withBorder radius="md" p="md" component="section" aria-labelledby="by-channel" h="100%">
                <Title order={2} size="h4" id="by-channel" mb="sm">
                  {t('dashboard.byChannel')}
                </Title>
                <Table verticalSpacing={6}>
                  <Table.Tbody>
                    {(s.byChannel ?? [])
                      .filter((r) => (r.appeals ?? 0) > 0)
                      .map((r) => {
                        const ch = shortChannel(r.key ?? '');
                        return (
                          <Table.Tr key={r.key}>
                            <Table.Td>
                              <Group gap={8} wrap="nowrap">
                                <span style={{ width: 10, height: 10, borderRadius: 5, background: 'var(--mantine-color-gray-5)', flex: 'none' }} />
                                <Anchor component={Link} to={registry({ channel: ch })} size="sm">
                                  {t(`channels.${ch}`, { defaultValue: r.displayName })}
                                </Anchor>
                              </Group>
                            </Table.Td>
                            <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                              {fmt(r.appeals)}
                            </Table.Td>
                          </Table.Tr>
                        );
                      })}
                    {(s.appeals ?? 0) === 0 && (
                      <Table.Tr>
                        <Table.Td c="dimmed">{t('dashboard.empty')}</Table.Td>
                      </Table.Tr>
                    )}
                  </Table.Tbody>
                </Table>
              </Paper>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Paper withBorder radius="md" p="md" component="section" aria-labelledby="by-month">
                <Title order={2} size="h4" id="by-month">
                  {t('dashboard.byMonth')}
                </Title>
                <Text size="xs" c="dimmed" mb="sm">
                  {t('dashboard.byMonthHint')}
                </Text>
                {monthError ? <ErrorAlert error={monthError} onRetry={() => monthly.forEach((q) => q.isError && void q.refetch())} /> : null}
                {!monthsReady ? (
                  <Group h={340} justify="center">
                    <Loader aria-label={t('dashboard.chartLoading')} />
                  </Group>
                ) : (
                  <Suspense
                    fallback={
                      <Group h={340} justify="center">
                        <Loader aria-label={t('dashboard.chartLoading')} />
                      </Group>
                    }
                  >
                    <SectionsChart months={monthLabels} monthNames={monthNames} series={series} />
                  </Suspense>
                )}
              </Paper>
            </Grid.Col>
          </Grid>
          {readsOutreach(principal) && (
            <Suspense fallback={<Skeleton h={120} radius="md" />}>
              <OutreachYearPanel />
            </Suspense>
          )}
          <Text size="xs" c="dimmed" data-testid="dashboard-basis">
            {t('dashboard.basis', { from: formatCalendarDate(span.from, lang), to: formatCalendarDate(span.to, lang) })}{' '}
            <Anchor component={Link} to={`/analytics`} size="xs">
              {t('dashboard.toAnalytics')}
            </Anchor>
          </Text>
        </>
      )}
    </Stack>
  );
}

/** A figure of the overview, linked to the registry's matching appeals when `to` is given. */
function Tile({ to, ...tile }: Omit<ComponentProps<typeof StatTile>, 'link' | 'compact'> & { to?: string }) {
  const { t } = useTranslation();
  return <StatTile {...tile} link={to ? { to, label: t('dashboard.showInRegistry') } : undefined} />;
}
