import { Center, Loader, MantineProvider } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { RouterProvider, createBrowserRouter, type RouteObject } from 'react-router';
import { ApiError, SessionExpiredError } from '../api/errors';
import { SessionProvider } from '../auth/AuthContext';
import type { SessionApi } from '../auth/session';
import i18n from '../i18n/i18n';
import { Layout } from './Layout';
import { NotFoundPage } from './pages';
import { theme } from './theme';

const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    // Shown while the first page's code loads (pages are separate chunks).
    hydrateFallbackElement: <Center h="100dvh"><Loader /></Center>,
    children: [
      { index: true, lazy: page(() => import('../features/dashboard/DashboardPage')) },
      { path: 'appeals', lazy: page(() => import('../features/appeals/RegistryPage')) },
      { path: 'appeals/new', lazy: page(() => import('../features/appeals/RegisterPage')) },
      { path: 'appeals/:id', lazy: page(() => import('../features/appeals/AppealCardPage')) },
      { path: 'analytics', lazy: page(() => import('../features/analytics/AnalyticsPage')) },
      { path: 'audit', lazy: page(() => import('../features/audit/AuditPage')) },
      { path: 'meetings', lazy: page(() => import('../features/outreach/CalendarPage')) },
      { path: 'meetings/plans', lazy: page(() => import('../features/outreach/PlansPage')) },
      { path: 'meetings/plans/:plan', lazy: page(() => import('../features/outreach/PlanPage')) },
      { path: 'meetings/statistics', lazy: page(() => import('../features/outreach/StatisticsPage')) },
      { path: 'meetings/:id', lazy: page(() => import('../features/outreach/MeetingCardPage')) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Only what might pass on a second try: the network and the server's 5xx.
        retry: (n, e) => n < 2 && !(e instanceof SessionExpiredError) && !(e instanceof ApiError && e.httpStatus < 500),
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
    queryCache: new QueryCache(),
    mutationCache: new MutationCache(),
  });
}

export function App({
  session,
  queryClient = makeQueryClient(),
  router = createBrowserRouter(routes),
  env = 'default',
}: {
  session: SessionApi;
  queryClient?: QueryClient;
  router?: ReturnType<typeof createBrowserRouter>;
  /** 'test': Mantine without transitions and portals (component tests). */
  env?: 'default' | 'test';
}) {
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} env={env}>
        <QueryClientProvider client={queryClient}>
          <SessionProvider session={session}>
            <RouterProvider router={router} />
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}
