import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MeetingChange } from '../../api/types';
import { formatDateTime } from '../../lib/time';
import { meetingId } from './model';
import './texts';

/** One recorded change of a plan or a meeting: what, which revision, the note, who and when. */
export function ChangeNote({ c, withTopic = true }: { c: MeetingChange; withTopic?: boolean }) {
  const { t, i18n } = useTranslation();
  const kind = (c.kind ?? 'CHANGE_KIND_UNSPECIFIED').replace(/^CHANGE_KIND_/, '');
  return (
    <>
      <Text size="sm" fw={600}>
        {t(`outreach.changes.${kind}`, { defaultValue: kind })}
        {(c.planRevision ?? 0) > 0 && (
          <Text span size="xs" c="dimmed" fw={400} ml={6}>
            {t('outreach.plan.revisionShort', { revision: c.planRevision })}
          </Text>
        )}
      </Text>
      {withTopic && c.meeting && c.meetingTopic && (
        <Anchor component={Link} to={`/meetings/${meetingId(c.meeting)}`} size="xs">
          {c.meetingTopic}
        </Anchor>
      )}
      {c.note && (
        <Text size="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {c.note}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {formatDateTime(c.time, i18n.language)}
        {c.actorName || c.actor ? ` · ${c.actorName || c.actor}` : ''}
      </Text>
    </>
  );
}
