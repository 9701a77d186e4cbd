import { Alert, Button, Group, Loader, Paper, Select, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/errors';
import { PageTitle } from '../../components/PageTitle';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ChevronLeft, ChevronRight } from '../../components/icons';
import { usePrincipal } from '../../auth/AuthContext';
import { canRegister } from '../../auth/principal';
import { useToday } from '../../lib/useToday';
import { AppealsTable } from './AppealsTable';
import { AppealsList } from './AppealsList';
import { type RegistryFilters as Filters, type RegistryQuery, type SortKey, PAGE_SIZES, emptyFilters, parseQuery, toApiQuery, toSearchParams } from './filters';
import { RegistryFilters } from './RegistryFilters';
import { useAppealsPage } from './queries';

/** History state of a registry page: the tokens of the pages before it (for "previous"). */
interface PageState {
  prev?: string[];
}

export default function RegistryPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const principal = usePrincipal();
  const today = useToday();
  const phone = useMediaQuery('(max-width: 48em)');

  const query = useMemo(() => parseQuery(params), [params]);
  const api = useMemo(() => toApiQuery(query, principal.login), [query, principal.login]);
  const prev = ((location.state as PageState | null)?.prev ?? []).filter((x) => typeof x === 'string');

  const page = useAppealsPage({ filter: api.filter, orderBy: api.orderBy, pageSize: query.size, pageToken: query.page }, !api.empty);

  // Several changes may come before the URL catches up (a filter picked, then a date typed):
  // each builds on the last one asked for, not on the URL last rendered. A URL that is not one
  // of ours (back button, a link) starts over from it.
  const current = toSearchParams(query).toString();
  const latest = useRef(query);
  const sync = useRef<{ seen: string; pending: string[] }>({ seen: current, pending: [] });
  if (current !== sync.current.seen) {
    sync.current.seen = current;
    const i = sync.current.pending.indexOf(current);
    if (i >= 0) sync.current.pending = sync.current.pending.slice(i + 1);
    else {
      latest.current = query;
      sync.current.pending = [];
    }
  }
  const go = (q: Partial<RegistryQuery>, state: PageState = {}, replace = false) => {
    latest.current = { ...latest.current, ...q };
    const search = toSearchParams(latest.current).toString();
    sync.current.pending.push(search);
    void navigate({ search }, { state, replace });
  };

  const setFilters = (patch: Partial<Filters>) => go({ ...patch, page: '' }, {}, true);
  const setSort = (sort: SortKey) => go({ sort, page: '' }, {}, true);

  // A page token from an old bookmark no longer fits (the filter moved with the date): start over.
  const invalidToken = page.error instanceof ApiError && page.error.reason === 'INVALID_PAGE_TOKEN';
  useEffect(() => {
    if (invalidToken) go({ page: '' }, {}, true);
  }, [invalidToken]);

  const appeals = api.empty ? [] : (page.data?.appeals ?? []);
  const next = api.empty ? '' : (page.data?.nextPageToken ?? '');
  const pageNo = query.page ? (prev.length > 0 ? prev.length + 1 : null) : 1;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <PageTitle>{t('registry.title')}</PageTitle>
        {canRegister(principal) && (
          <Button component={Link} to="/appeals/new">
            {t('registry.register')}
          </Button>
        )}
      </Group>

      <RegistryFilters value={query} onChange={setFilters} onReset={() => go({ ...emptyFilters, page: '' }, {}, true)} />

      {api.empty && (
        <Alert color="gray" variant="light">
          {t('registry.emptyRange')}
        </Alert>
      )}
      {page.isError && !invalidToken && <ErrorAlert error={page.error} onRetry={() => void page.refetch()} />}

      {!api.empty && (
        <Paper withBorder radius="md" pos="relative" aria-busy={page.isFetching}>
          {page.isPending ? (
            <Group justify="center" p="xl">
              <Loader aria-label={t('app.loading')} />
            </Group>
          ) : appeals.length === 0 ? (
            <Stack align="center" gap={4} p="xl">
              <Text fw={600}>{t('registry.empty')}</Text>
              <Text size="sm" c="dimmed">
                {t('registry.emptyHint')}
              </Text>
            </Stack>
          ) : phone ? (
            <AppealsList appeals={appeals} today={today} />
          ) : (
            <AppealsTable appeals={appeals} today={today} sort={query.sort} onSort={setSort} />
          )}
        </Paper>
      )}

      {!api.empty && (
        <Group justify="space-between" wrap="wrap" gap="sm" component="nav" aria-label={t('registry.pagination')}>
          <Group gap="sm">
            {query.page && prev.length === 0 ? (
              <Button variant="default" leftSection={<ChevronLeft />} onClick={() => go({ page: '' })}>
                {t('registry.first')}
              </Button>
            ) : (
              <Button
                variant="default"
                leftSection={<ChevronLeft />}
                disabled={!query.page}
                onClick={() => go({ page: prev[prev.length - 1] ?? '' }, { prev: prev.slice(0, -1) })}
              >
                {t('registry.prev')}
              </Button>
            )}
            <Button variant="default" rightSection={<ChevronRight />} disabled={!next || page.isPlaceholderData} onClick={() => go({ page: next }, { prev: [...prev, query.page] })}>
              {t('registry.next')}
            </Button>
            <Text size="sm" c="dimmed" aria-live="polite">
              {pageNo ? `${t('registry.page', { page: pageNo })} · ` : ''}
              {t('registry.shown', { count: appeals.length })}
              {page.isFetching && !page.isPending ? ` · ${t('registry.refreshing')}` : ''}
            </Text>
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed" component="label" htmlFor="page-size">
              {t('registry.pageSize')}
            </Text>
            <Select
              id="page-size"
              size="xs"
              w={80}
              allowDeselect={false}
              value={String(query.size)}
              onChange={(v) => go({ size: Number(v), page: '' }, {}, true)}
              data={PAGE_SIZES.map((n) => String(n))}
            />
          </Group>
        </Group>
      )}
    </Stack>
  );
}
