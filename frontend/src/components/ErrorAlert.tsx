import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/errors';
import { errorMessage } from '../api/messages';

export function ErrorAlert({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useTranslation();
  const serverMessage = error instanceof ApiError && error.httpStatus !== 404 ? error.message : '';
  return (
    <Alert color="red" variant="light" title={title ?? t('errors.title')} role="alert">
      <Text size="sm">{errorMessage(error, t)}</Text>
      {serverMessage && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('errors.details', { message: serverMessage })}
        </Text>
      )}
      {onRetry && (
        <Group mt="sm">
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </Group>
      )}
    </Alert>
  );
}
