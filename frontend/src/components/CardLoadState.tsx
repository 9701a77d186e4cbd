import { Alert, Loader, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/errors';
import { ErrorAlert } from './ErrorAlert';
import { PageTitle } from './PageTitle';

/**
 * A record's card while the record loads, or when it cannot be shown: not found (404, or an id
 * that is not one: 400; another department's record answers 404 too) or another failure, with a retry.
 */
export function CardLoadState({
  query,
  title,
  notFoundTitle,
  notFoundText,
  back,
}: {
  query: { isPending: boolean; error: unknown; refetch: () => unknown };
  title: string;
  notFoundTitle: string;
  notFoundText: string;
  back: ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Stack>
        <PageTitle>{title}</PageTitle>
        <Loader aria-label={t('app.loading')} />
      </Stack>
    );
  }
  const notFound = query.error instanceof ApiError && (query.error.httpStatus === 404 || query.error.httpStatus === 400);
  return (
    <Stack maw={720}>
      {back}
      <PageTitle>{notFound ? notFoundTitle : title}</PageTitle>
      {notFound ? (
        <Alert color="gray" variant="light" data-testid="not-found">
          {notFoundText}
        </Alert>
      ) : (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      )}
    </Stack>
  );
}
