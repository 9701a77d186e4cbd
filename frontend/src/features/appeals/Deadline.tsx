import { Badge, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Appeal } from '../../api/types';
import { formatCalendarDate, type CalendarDate } from '../../lib/time';
import { answerDeadline, deadlineColor } from './model';

/** "Осталось 3 дн." / "Просрочено на 2 дн." / "Истекает сегодня". */
export function useDeadlineText() {
  const { t } = useTranslation();
  return (status: string, daysLeft: number): string => {
    if (status === 'closed') return t('deadline.closed');
    if (status === 'overdue') return t('deadline.overdue', { count: -daysLeft });
    if (daysLeft === 0) return t('deadline.today');
    return t('deadline.left', { count: daysLeft });
  };
}

/** The answer deadline: the date and a coloured note (due soon: ≤ 5 days; overdue). */
export function AnswerDeadline({ appeal, today, compact = false }: { appeal: Appeal; today: CalendarDate; compact?: boolean }) {
  const { i18n } = useTranslation();
  const text = useDeadlineText();
  const d = answerDeadline(appeal, today);
  if (d.status === 'none') return <Text size="sm">—</Text>;
  const note = text(d.status, d.daysLeft);
  const strong = d.status === 'overdue' || d.status === 'soon';
  return (
    <Stack gap={2} align="flex-start" data-deadline={d.status}>
      <Text size="sm" fw={strong ? 600 : 400} c={strong ? `${deadlineColor[d.status]}.8` : undefined} style={{ whiteSpace: 'nowrap' }}>
        {formatCalendarDate(d.due, i18n.language)}
      </Text>
      {strong || !compact ? (
        <Badge size="sm" radius="sm" miw="max-content" variant={strong ? 'filled' : 'light'} color={deadlineColor[d.status]} style={{ textTransform: 'none' }}>
          {note}
        </Badge>
      ) : (
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {note}
        </Text>
      )}
    </Stack>
  );
}
