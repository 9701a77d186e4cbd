import { Alert, Code, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, SessionExpiredError } from '../api/errors';
import { errorMessage, localizeViolation } from '../api/messages';

/**
 * The server's refusal of an action, clearly: what it means in words, the rule it names
 * (ErrorInfo.reason) and the server's own message, and the fields it names. `reasons` names the
 * i18n section that words the reasons of the feature's service (e.g. "outreach.reasons").
 */
export function Refusal({ error, title, testId = 'refusal', reasons = 'reasons' }: { error: unknown; title?: string; testId?: string; reasons?: string }) {
  const { t, i18n } = useTranslation();
  if (!error || error instanceof SessionExpiredError) return null;
  const api = error instanceof ApiError ? error : null;
  const reason = api?.reason && api.reason !== api.status ? api.reason : '';
  // A feature's own wording of its service's reasons first, then the shared ones.
  const key = [`${reasons}.${reason}`, `reasons.${reason}`].find((k) => reason && i18n.exists(k));
  const known = key ? t(key) : '';
  const violations = api?.violations ?? [];
  return (
    <Alert color="red" variant="light" role="alert" title={title ?? t('actions.refused')} data-testid={testId} data-reason={reason || api?.status || ''}>
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {known || errorMessage(error, t)}
        </Text>
        {violations.length > 0 && (
          <List size="sm" spacing={2}>
            {violations.map((v, i) => (
              <List.Item key={`${v.field}-${i}`}>
                <Code>{v.field}</Code> {localizeViolation('', v.description, t)}
              </List.Item>
            ))}
          </List>
        )}
        {reason && (
          <Text size="xs">
            {t('actions.reasonLabel')}: <Code data-testid="refusal-reason">{reason}</Code>
          </Text>
        )}
        {api && api.message && api.httpStatus !== 404 && (
          <Text size="xs" c="dimmed">
            {t('actions.serverSaid')}: {api.message}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
