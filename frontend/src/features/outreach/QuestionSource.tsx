import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuestion } from './queries';
import './texts';

/**
 * On an appeal registered from a meeting's question: a link to the meeting's card and the
 * question's wording, read from the outreach API with the user's own token.
 */
export default function QuestionSource({ meeting, question }: { meeting: string; question: string }) {
  const { t } = useTranslation();
  const q = useQuestion(meeting, question);
  return (
    <div data-testid="question-source">
      <Anchor component={Link} to={`/meetings/${meeting}`} size="sm" data-testid="question-source-link">
        {t('outreach.question.source')}
      </Anchor>
      {q.isPending ? (
        <Text size="xs" c="dimmed">
          {t('outreach.question.loading')}
        </Text>
      ) : q.isError ? (
        <Text size="xs" c="dimmed">
          {t('outreach.question.unavailable')}
        </Text>
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="question-source-text">
          «{q.data.text}»
        </Text>
      )}
    </div>
  );
}
