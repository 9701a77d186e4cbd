import { Anchor, Grid, Group, Loader, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Suspense, lazy, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Appeal } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { formatMonth, formatMonthShort } from '../../lib/time';
import { useToday } from '../../lib/useToday';
import { useClassifier } from '../../reference/reference';
import { STATES, shortState, stateColor } from '../appeals/model';
import { appealKeys, listAppeals } from '../appeals/queries';
import { computeStats } from './stats';

const SectionsChart = lazy(() => import('./SectionsChart'));

/** Until the API has statistics, the overview reads at most this many list pages. */
export const MAX_PAGES = 5;
export const PAGE_SIZE = 1000;

async function loadRecentAppeals(signal: AbortSignal): Promise<{ appeals: Appeal[]; truncated: boolean }> {
  const appeals: Appeal[] = [];
  let token = '';
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await listAppeals({ filter: '', orderBy: 'register_time desc', pageSize: PAGE_SIZE, pageToken: token }, signal);
    appeals.push(...(page.appeals ?? []));
    token = page.nextPageToken ?? '';
    if (!token) return { appeals, truncated: false };
  }
  return { appeals, truncated: true };
}

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const q = useQuery({ queryKey: appealKeys.dashboard, queryFn: ({ signal }) => loadRecentAppeals(signal), staleTime: 60_000 });
  const stats = useMemo(() => (q.data ? computeStats(q.data.appeals, today) : null), [q.data, today]);
  const classifier = useClassifier().data;

  const sectionName = (code: string) => classifier?.byCode.get(`${code}.0000.0000.0000`)?.name ?? code;
  const series = stats
    ? Object.keys(stats.bySection)
        .sort()
        .map((code) => ({ code, name: sectionName(code), data: stats.bySection[code] }))
    : [];
  // Axis labels: the month, and the year under the first month and under every January.
  const monthLabels = stats ? stats.months.map((m, i) => (i === 0 || m.month === 1 ? `${formatMonthShort(m.month, i18n.language)}\n${m.year}` : formatMonthShort(m.month, i18n.language))) : [];
  const monthNames = stats ? stats.months.map((m) => formatMonth(m.year, m.month, i18n.language)) : [];

  return (
    <Stack gap="md">
      <PageTitle>{t('dashboard.title')}</PageTitle>
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending && (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={104} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {stats && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: 'xs', sm: 'md' }}>
            <Tile label={t('dashboard.total')} value={stats.total} to="/appeals" />
            <Tile label={t('dashboard.open')} value={stats.open} />
            <Tile label={t('dashboard.soon')} value={stats.soon} color="orange" to="/appeals?deadline=soon&sort=due_asc" testId="tile-soon" />
            <Tile label={t('dashboard.overdue')} value={stats.overdue} color="red" to="/appeals?deadline=overdue&sort=due_asc" testId="tile-overdue" />
          </SimpleGrid>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 4 }}>
            <Paper withBorder radius="md" p="md" component="section" aria-labelledby="by-state" h="100%">
              <Title order={2} size="h4" id="by-state" mb="sm">
                {t('dashboard.byState')}
              </Title>
              <Table verticalSpacing={6}>
                <Table.Tbody>
                  {STATES.filter((s) => stats.byState[s]).map((s) => (
                    <Table.Tr key={s}>
                      <Table.Td>
                        <Group gap={8} wrap="nowrap">
                          <span style={{ width: 10, height: 10, borderRadius: 5, background: `var(--mantine-color-${stateColor(s)}-6)`, flex: 'none' }} />
                          <Anchor component={Link} to={`/appeals?state=${shortState(s)}`} size="sm">
                            {t(`states.${shortState(s)}`)}
                          </Anchor>
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {stats.byState[s].toLocaleString(i18n.language)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  {stats.total === 0 && (
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
              <Suspense
                fallback={
                  <Group h={320} justify="center">
                    <Loader aria-label={t('dashboard.chartLoading')} />
                  </Group>
                }
              >
                <SectionsChart months={monthLabels} monthNames={monthNames} series={series} />
              </Suspense>
            </Paper>
            </Grid.Col>
          </Grid>
          <Text size="xs" c="dimmed" data-testid="dashboard-basis">
            {t('dashboard.basis', { count: stats.total, formatted: stats.total.toLocaleString(i18n.language) })}
            {q.data?.truncated ? ` ${t('dashboard.truncated', { count: MAX_PAGES * PAGE_SIZE, formatted: (MAX_PAGES * PAGE_SIZE).toLocaleString(i18n.language) })}` : ''}
          </Text>
        </>
      )}
    </Stack>
  );
}

function Tile({ label, value, color, to, testId }: { label: string; value: number; color?: string; to?: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} data-testid={testId} style={color && value > 0 ? { borderLeft: `4px solid var(--mantine-color-${color}-6)` } : undefined}>
      <Text size="sm" c="dimmed" lh={1.3} mih={36}>
        {label}
      </Text>
      <Text fz={{ base: 24, sm: 30 }} fw={700} c={color && value > 0 ? `${color}.8` : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value.toLocaleString(i18n.language)}
      </Text>
      {to && value > 0 && (
        <Anchor component={Link} to={to} size="xs">
          {t('dashboard.showInRegistry')}
        </Anchor>
      )}
    </Paper>
  );
}
