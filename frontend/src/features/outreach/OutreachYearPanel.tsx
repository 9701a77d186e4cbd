import { Anchor, Group, Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useToday } from '../../lib/useToday';
import { presetPeriod } from '../analytics/period';
import { useOutreachStatistics } from './queries';
import './texts';

/** The overview's line on the meetings with residents: the year's meetings held and people reached. */
export default function OutreachYearPanel() {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const q = useOutreachStatistics(presetPeriod('thisYear', today));
  const fmt = (n: number | undefined) => (n ?? 0).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ru-RU');
  const s = q.data;
  if (q.isError) {
    return (
      <Text size="xs" c="dimmed" data-testid="outreach-year-unavailable">
        {t('outreach.dashboard.title', { year: today.year })}: {t('errors.unavailable')}
      </Text>
    );
  }
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="outreach-year" data-testid="outreach-year">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="outreach-year">
          {t('outreach.dashboard.title', { year: s?.year || today.year })}
        </Title>
        <Anchor component={Link} to="/meetings/statistics" size="sm">
          {t('outreach.dashboard.toStats')}
        </Anchor>
      </Group>
      {!s ? (
        <Skeleton h={60} />
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 3 }}>
          <Figure label={t('outreach.dashboard.held')} value={fmt(s.yearMeetingsHeld)} testId="year-held" />
          <Figure label={t('outreach.dashboard.reached')} value={fmt(s.yearPeopleReached)} testId="year-reached" />
          {(s.reportsOverdue ?? 0) > 0 && <Figure label={t('outreach.dashboard.overdue')} value={fmt(s.reportsOverdue)} color="red.8" testId="year-overdue" />}
        </SimpleGrid>
      )}
    </Paper>
  );
}

function Figure({ label, value, color, testId }: { label: string; value: string; color?: string; testId: string }) {
  return (
    <div data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </div>
  );
}
