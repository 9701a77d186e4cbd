import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Appeal } from '../../api/types';
import { appealId } from '../../api/types';
import { type CalendarDate, formatDateTime } from '../../lib/time';
import { AnswerDeadline } from './Deadline';
import { StateBadge } from './StateBadge';
import classes from './AppealsTable.module.css';

/** The registry on a phone: one linked card per appeal, for reading. */
export function AppealsList({ appeals, today }: { appeals: Appeal[]; today: CalendarDate }) {
  const { i18n } = useTranslation();
  return (
    <ul className={classes.cards}>
      {appeals.map((a) => {
        const id = appealId(a);
        return (
          <li key={id}>
          <Link to={`/appeals/${id}`} className={classes.card}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <div>
                <Text fw={700} size="sm" c="blue.8">
                  {a.registrationNumber}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(a.registerTime, i18n.language)}
                </Text>
              </div>
              <StateBadge state={a.state} />
            </Group>
            <Text size="sm" lineClamp={3} my={6}>
              {a.text}
            </Text>
            <AnswerDeadline appeal={a} today={today} compact />
          </Link>
          </li>
        );
      })}
    </ul>
  );
}
