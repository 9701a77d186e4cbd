import { Alert, Button, Grid, Group, Input, Loader, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import type { AuditRecord } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { readsAuditLog } from '../../auth/principal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ChevronLeft, ChevronRight } from '../../components/icons';
import { PageTitle } from '../../components/PageTitle';
import { addDays, cityToday, formatDateTime, isoDate, parseIsoDate } from '../../lib/time';
import { AppealLink } from '../appeals/AppealLink';
import { normaliseNumber } from '../appeals/filters';
import { findByNumber } from '../appeals/queries';

export const AUDIT_ACTIONS = ['READ_APPLICANT', 'READ_ATTACHMENT', 'EXPORT', 'DESTROY'] as const;
const PAGE_SIZE = 50;
const UUID_RE = /^(?:appeals\/)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const LOGIN_RE = /^[A-Za-z0-9._@-]{1,100}$/;

export interface AuditFilters {
  appeal: string; // a registration number, an id or appeals/{id}
  actor: string;
  action: string;
  from: string; // YYYY-MM-DD, city time, inclusive
  to: string;
}
const emptyAudit: AuditFilters = { appeal: '', actor: '', action: '', from: '', to: '' };

export function parseAuditQuery(p: URLSearchParams): AuditFilters {
  const get = (k: string) => p.get(k)?.trim() ?? '';
  return {
    appeal: get('appeal').slice(0, 64),
    actor: LOGIN_RE.test(get('actor')) ? get('actor') : '',
    action: (AUDIT_ACTIONS as readonly string[]).includes(get('action')) ? get('action') : '',
    from: parseIsoDate(get('from')) ? get('from') : '',
    to: parseIsoDate(get('to')) ? get('to') : '',
  };
}

/** The API's filter; `appealName` is the appeal already resolved to `appeals/{id}`. */
export function auditFilter(f: AuditFilters, appealName: string): string {
  const c: string[] = [];
  if (appealName) c.push(`appeal = "${appealName}"`);
  if (f.actor) c.push(`actor = "${f.actor}"`);
  if (f.action) c.push(`action = ${f.action}`);
  // A bare date is midnight in Khabarovsk; the last day is included.
  const from = parseIsoDate(f.from);
  const to = parseIsoDate(f.to);
  if (from) c.push(`time >= "${isoDate(from)}"`);
  if (to) c.push(`time < "${isoDate(addDays(to, 1))}"`);
  return c.join(' AND ');
}

/** The appeal of the filter as `appeals/{id}`: an id directly, a registration number looked up. */
function useResolvedAppeal(value: string) {
  const year = cityToday().year;
  return useQuery({
    queryKey: ['audit', 'appeal', value] as const,
    enabled: !!value,
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<string | null> => {
      const m = UUID_RE.exec(value);
      if (m) return `appeals/${m[1].toLowerCase()}`;
      const found = await findByNumber(normaliseNumber(value, year), signal);
      return found[0]?.name ?? null;
    },
  });
}

/** The personal data access log (auditors only): who read whose data, when and why. */
export default function AuditPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  if (!readsAuditLog(principal)) {
    return (
      <Stack maw={720}>
        <PageTitle>{t('audit.title')}</PageTitle>
        <Alert color="gray" data-testid="audit-forbidden">
          {t('audit.forbidden')}
        </Alert>
      </Stack>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => parseAuditQuery(params), [params]);
  const [form, setForm] = useState<AuditFilters>(applied);
  useEffect(() => setForm(applied), [applied]);
  // Tokens of the pages before the one shown, and its own ('' = the first page).
  const [pages, setPages] = useState<string[]>(['']);
  useEffect(() => setPages(['']), [applied]);
  const token = pages[pages.length - 1];

  const resolved = useResolvedAppeal(applied.appeal);
  const appealUnknown = !!applied.appeal && resolved.isSuccess && resolved.data === null;
  const filter = auditFilter(applied, resolved.data ?? '');
  const ready = !applied.appeal || (resolved.isSuccess && resolved.data !== null);

  const q = useQuery({
    queryKey: ['audit', 'records', filter, token] as const,
    enabled: ready,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      call(api().GET('/v1/auditRecords', { params: { query: { pageSize: PAGE_SIZE, ...(filter ? { filter } : {}), ...(token ? { pageToken: token } : {}) } }, signal })),
  });

  const apply = (f: AuditFilters) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v.trim()) p.set(k, v.trim());
    setParams(p, { replace: false });
  };
  const records: AuditRecord[] = ready ? (q.data?.records ?? []) : [];
  const phone = useMediaQuery('(max-width: 48em)');
  const purposeOf = (r: AuditRecord) => (/^download [0-9a-f-]{36}$/.test(r.purpose ?? '') ? t('audit.downloadPurpose') : r.purpose);
  const next = ready ? (q.data?.nextPageToken ?? '') : '';

  return (
    <Stack gap="md">
      <PageTitle>{t('audit.title')}</PageTitle>
      <Text size="sm" c="dimmed">
        {t('audit.intro')}
      </Text>
      <Paper
        withBorder
        radius="md"
        p="md"
        component="form"
        aria-label={t('registry.filters')}
        onSubmit={(e: React.FormEvent) => {
          e.preventDefault();
          apply(form);
        }}
      >
        <Grid gap="sm" align="flex-end">
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <TextInput label={t('audit.appeal')} placeholder={t('audit.appealPlaceholder')} value={form.appeal} onChange={(e) => setForm({ ...form, appeal: e.currentTarget.value })} data-testid="audit-appeal" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 2 }}>
            <TextInput label={t('audit.actor')} placeholder="clerk.zhd" value={form.actor} onChange={(e) => setForm({ ...form, actor: e.currentTarget.value })} autoComplete="off" data-testid="audit-actor" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Select
              label={t('audit.action')}
              placeholder={t('common.all')}
              clearable
              value={form.action || null}
              onChange={(v) => setForm({ ...form, action: v ?? '' })}
              data={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(`audit.actions.${a}`) }))}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <Input.Wrapper label={t('audit.period')} labelElement="div">
              <Group gap={6} wrap="nowrap" align="center">
                <TextInput type="date" aria-label={t('audit.from')} value={form.from} max={form.to || undefined} onChange={(e) => setForm({ ...form, from: e.currentTarget.value })} style={{ flex: 1, minWidth: 0 }} />
                <Text c="dimmed" aria-hidden="true">
                  –
                </Text>
                <TextInput type="date" aria-label={t('audit.to')} value={form.to} min={form.from || undefined} onChange={(e) => setForm({ ...form, to: e.currentTarget.value })} style={{ flex: 1, minWidth: 0 }} />
              </Group>
            </Input.Wrapper>
          </Grid.Col>
          <Grid.Col span={12}>
            <Group gap="sm">
              <Button type="submit" data-testid="audit-apply">
                {t('audit.apply')}
              </Button>
              <Button
                variant="subtle"
                onClick={() => {
                  setForm(emptyAudit);
                  apply(emptyAudit);
                }}
              >
                {t('audit.reset')}
              </Button>
            </Group>
          </Grid.Col>
        </Grid>
      </Paper>

      {appealUnknown && (
        <Alert color="orange" variant="light" role="status">
          {t('audit.unknownNumber', { number: applied.appeal })}
        </Alert>
      )}
      {(q.isError || resolved.isError) && <ErrorAlert error={q.error ?? resolved.error} onRetry={() => void (resolved.isError ? resolved.refetch() : q.refetch())} />}

      <Paper withBorder radius="md" aria-busy={q.isFetching}>
        {(q.isPending && ready) || (!!applied.appeal && resolved.isPending) ? (
          <Group justify="center" p="xl">
            <Loader aria-label={t('app.loading')} />
          </Group>
        ) : records.length === 0 ? (
          <Text p="xl" ta="center" fw={600}>
            {t('audit.empty')}
          </Text>
        ) : phone ? (
          <Stack gap={0} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="audit-list">
            {records.map((r, i) => (
              <li key={`${r.time}-${r.actor}-${i}`} style={{ padding: '10px 14px', borderTop: i ? '1px solid var(--mantine-color-gray-3)' : undefined }} data-testid="audit-row">
                <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <Text size="sm" fw={600}>
                    {t(`audit.actions.${r.action}`, { defaultValue: r.action })}
                  </Text>
                  {r.appeal ? <AppealLink name={r.appeal} /> : null}
                </Group>
                <Text size="xs" c="dimmed">
                  {formatDateTime(r.time, i18n.language)} · {r.actorName || r.actor}
                  {r.actorName ? ` (${r.actor})` : ''}
                </Text>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {purposeOf(r)}
                </Text>
              </li>
            ))}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table verticalSpacing="sm" striped data-testid="audit-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('audit.columns.time')}</Table.Th>
                  <Table.Th>{t('audit.columns.actor')}</Table.Th>
                  <Table.Th>{t('audit.columns.action')}</Table.Th>
                  <Table.Th>{t('audit.columns.appeal')}</Table.Th>
                  <Table.Th>{t('audit.columns.purpose')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {records.map((r, i) => (
                  <Table.Tr key={`${r.time}-${r.actor}-${i}`} data-testid="audit-row">
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.time, i18n.language)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.actorName || r.actor}</Text>
                      {r.actorName && (
                        <Text size="xs" c="dimmed">
                          {r.actor}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`audit.actions.${r.action}`, { defaultValue: r.action })}</Table.Td>
                    <Table.Td>{r.appeal ? <AppealLink name={r.appeal} /> : '—'}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{purposeOf(r)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>

      <Group gap="sm" component="nav" aria-label={t('registry.pagination')}>
        <Button variant="default" leftSection={<ChevronLeft />} disabled={pages.length <= 1} onClick={() => setPages((p) => p.slice(0, -1))}>
          {t('registry.prev')}
        </Button>
        <Button variant="default" rightSection={<ChevronRight />} disabled={!next || q.isPlaceholderData} onClick={() => setPages((p) => [...p, next])}>
          {t('registry.next')}
        </Button>
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('registry.page', { page: pages.length })}
          {q.isFetching && !q.isPending ? ` · ${t('registry.refreshing')}` : ''}
        </Text>
      </Group>
    </Stack>
  );
}
