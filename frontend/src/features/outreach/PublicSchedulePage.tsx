/**
 * The public schedule of meetings for residents (/schedule): no sign-in, public fields only
 * (GET /v1/publicMeetings: topic, speakers, audience, district, venue, time, state), the next 90
 * days by day, a district filter, and the iCalendar feed to subscribe to.
 */
import { Badge, Box, Button, Center, Container, Group, Loader, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import type { PublicMeeting } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Emblem } from '../../components/icons';
import { type Lang, setLang } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/time';
import { byCityDay } from './calendar';
import { DISTRICTS } from './model';
import { FeedLink, MeetingStateBadge, feeds, formatDayLong, formatTime } from './parts';
import './texts';

const DISTRICT_NAMES: Record<string, string> = { ZHD: 'Железнодорожный', IND: 'Индустриальный', KIR: 'Кировский', KRF: 'Краснофлотский', CEN: 'Центральный' };

export default function PublicSchedulePage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [district, setDistrict] = useState(() => {
    const d = new URLSearchParams(window.location.search).get('district') ?? '';
    return (DISTRICTS as readonly string[]).includes(d) ? d : '';
  });
  const q = useInfiniteQuery({
    queryKey: ['public', 'meetings', district],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) => call(api().GET('/v1/publicMeetings', { params: { query: { pageSize: 100, ...(district ? { district } : {}), ...(pageParam ? { pageToken: pageParam } : {}) } }, signal })),
    getNextPageParam: (last) => last.nextPageToken || undefined,
  });
  useEffect(() => {
    document.title = `${t('outreach.public.title')} — ${t('app.org')}`;
  }, [t]);
  const meetings = useMemo(() => (q.data?.pages ?? []).flatMap((p) => p.meetings ?? []), [q.data]);
  const days = useMemo(() => byCityDay(meetings, (m) => m.startTime), [meetings]);
  const pick = (d: string) => {
    setDistrict(d);
    const url = new URL(window.location.href);
    if (d) url.searchParams.set('district', d);
    else url.searchParams.delete('district');
    window.history.replaceState(null, '', url);
  };

  return (
    <Box bg="gray.0" mih="100dvh">
      <Box bg="blue.9" c="white" py="sm">
        <Container size="md">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Emblem />
              <Text size="sm" lh={1.2}>
                {t('app.org')}
              </Text>
            </Group>
            <SegmentedControl
              size="xs"
              aria-label={t('user.language')}
              value={lang === 'en' ? 'en' : 'ru'}
              onChange={(v) => setLang(v as Lang)}
              data={[
                { value: 'ru', label: 'RU' },
                { value: 'en', label: 'EN' },
              ]}
            />
          </Group>
        </Container>
      </Box>
      <Container size="md" py="lg">
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              {t('outreach.public.title')}
            </Title>
            <Text c="dimmed">{t('outreach.public.subtitle')}</Text>
          </div>
          <Group justify="space-between" align="flex-end">
            <Select
              label={t('outreach.public.district')}
              w={240}
              data={[{ value: '', label: t('outreach.public.allDistricts') }, ...DISTRICTS.map((c) => ({ value: c, label: DISTRICT_NAMES[c] ?? c }))]}
              value={district}
              allowDeselect={false}
              onChange={(v) => pick(v ?? '')}
            />
            <FeedLink href={feeds.public(district)} testId="public-ics">
              {t('outreach.public.ics')}
            </FeedLink>
          </Group>
          <Text size="xs" c="dimmed">
            {t('outreach.public.timeNote')}
          </Text>
          {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
          {q.isPending ? (
            <Center py="xl">
              <Loader aria-label={t('app.loading')} />
            </Center>
          ) : days.size === 0 && !q.isError ? (
            <Paper withBorder p="lg" radius="md">
              <Text>{t('outreach.public.empty')}</Text>
            </Paper>
          ) : (
            [...days.entries()].map(([key, list]) => (
              <section key={key} aria-label={formatDayLong(list[0].startTime!, lang)}>
                <Title order={2} size="h4" mb="xs">
                  {formatDayLong(list[0].startTime!, lang)}
                </Title>
                <Stack gap="xs">
                  {list.map((m) => (
                    <PublicItem key={m.name} m={m} />
                  ))}
                </Stack>
              </section>
            ))
          )}
          {q.hasNextPage && (
            <Button variant="default" onClick={() => void q.fetchNextPage()} loading={q.isFetchingNextPage}>
              {t('outreach.public.more')}
            </Button>
          )}
        </Stack>
      </Container>
    </Box>
  );
}

function PublicItem({ m }: { m: PublicMeeting }) {
  const { t, i18n } = useTranslation();
  const cancelled = m.state === 'MEETING_STATE_CANCELLED';
  return (
    <Paper withBorder radius="md" p="md" data-testid="public-meeting" style={cancelled ? { opacity: 0.7 } : undefined}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text fw={700} size="lg" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatTime(m.startTime)}
            {m.endTime ? `–${formatTime(m.endTime)}` : ''}
          </Text>
          <Text fw={600} td={cancelled ? 'line-through' : undefined}>
            {m.topic}
          </Text>
        </div>
        {m.state && m.state !== 'MEETING_STATE_PLANNED' && <MeetingStateBadge state={m.state} />}
      </Group>
      {m.previousStartTime && (
        <Text size="sm" c="orange.8">
          {t('outreach.public.postponedFrom', { time: formatDateTime(m.previousStartTime, i18n.language) })}
        </Text>
      )}
      {cancelled && (
        <Badge color="gray" variant="light" mt={4} style={{ textTransform: 'none' }}>
          {t('outreach.public.cancelled')}
        </Badge>
      )}
      <Stack gap={2} mt="xs">
        <Text size="sm">
          <Text span c="dimmed">
            {t('outreach.public.venue')}:{' '}
          </Text>
          {m.venue}
          {m.districtDisplayName || m.district ? ` (${m.districtDisplayName || DISTRICT_NAMES[m.district!] || m.district})` : ''}
        </Text>
        {(m.speakers?.length ?? 0) > 0 && (
          <Text size="sm">
            <Text span c="dimmed">
              {t('outreach.public.speakers')}:{' '}
            </Text>
            {m.speakers!.map((s) => [s.fullName, s.position].filter(Boolean).join(', ')).join('; ')}
          </Text>
        )}
        {m.audience && (
          <Text size="sm">
            <Text span c="dimmed">
              {t('outreach.public.audience')}:{' '}
            </Text>
            {m.audience}
          </Text>
        )}
        {m.departmentDisplayName && (
          <Text size="sm">
            <Text span c="dimmed">
              {t('outreach.public.organiser')}:{' '}
            </Text>
            {m.departmentDisplayName}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
