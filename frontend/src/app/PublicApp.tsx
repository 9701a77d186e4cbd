import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import PublicSchedulePage from '../features/outreach/PublicSchedulePage';
import i18n from '../i18n/i18n';
import { theme } from './theme';

/** The public pages (no session, no router): the residents' schedule of meetings. */
export function PublicApp({ queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 60_000, retry: 1 } } }), env = 'default' }: { queryClient?: QueryClient; env?: 'default' | 'test' }) {
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} env={env}>
        <QueryClientProvider client={queryClient}>
          <PublicSchedulePage />
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}
