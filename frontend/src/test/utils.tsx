import { render } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { createMemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { initApi } from '../api/client';
import { App, routes } from '../app/App';
import type { Principal } from '../auth/principal';
import type { SessionApi } from '../auth/session';
import { buildClassifier } from '../reference/classifier';
import classifierData from '../reference/data/classifier.json';
import departments from '../reference/data/departments.json';
import districts from '../reference/data/districts.json';
import type { Appeal } from '../api/types';

export const clerk: Principal = { login: 'clerk.zhd', name: 'Иванова Мария Петровна', roles: ['clerk'], department: 'KUR-ZHD' };

export function fakeSession(principal: Principal = clerk): SessionApi & { signOut: ReturnType<typeof vi.fn> } {
  return {
    principal,
    expired: false,
    subscribe: () => () => undefined,
    signIn: vi.fn(async () => undefined),
    signOut: vi.fn(async () => undefined),
  };
}

export type Handler = (req: Request, url: URL) => Response | undefined | Promise<Response | undefined>;

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** Installs a fake API: handlers are tried in order; every request is recorded. */
export function fakeApi(...handlers: Handler[]) {
  const requests: { method: string; url: URL; body: unknown }[] = [];
  const fetch = vi.fn(async (req: Request) => {
    const url = new URL(req.url);
    const text = req.method === 'GET' ? '' : await req.clone().text();
    requests.push({ method: req.method, url, body: text ? JSON.parse(text) : undefined });
    for (const h of handlers) {
      const res = await h(req, url);
      if (res) return res;
    }
    return json({ error: { code: 404, status: 'NOT_FOUND', message: 'no handler' } }, 404);
  });
  initApi('http://api.test', fetch);
  return { fetch, requests };
}

export function seededQueryClient() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  qc.setQueryData(['reference', 'classifier'], buildClassifier(classifierData.items as [string, number, string][]));
  qc.setQueryData(['reference', 'departments'], departments);
  qc.setQueryData(['reference', 'districts'], districts);
  return qc;
}

export function renderApp(path: string, opts: { session?: SessionApi; queryClient?: QueryClient } = {}) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = opts.queryClient ?? seededQueryClient();
  const session = opts.session ?? fakeSession();
  const utils = render(<App session={session} queryClient={queryClient} router={router} env="test" />);
  return { ...utils, router, queryClient, session };
}

let seq = 0;
export function appeal(over: Partial<Appeal> = {}): Appeal {
  seq++;
  const id = `0190${String(seq).padStart(4, '0')}-0000-7000-8000-000000000000`;
  return {
    name: `appeals/${id}`,
    registrationNumber: `2026-${String(seq).padStart(6, '0')}`,
    receiveTime: '2026-03-01T00:30:00Z',
    registerTime: '2026-03-01T01:00:00Z',
    channel: 'CHANNEL_LETTER',
    text: `Текст обращения ${seq}`,
    classifierCodes: ['0005.0005.0056.1149'],
    district: 'ZHD',
    department: 'KUR-ZHD',
    collective: false,
    signatories: 0,
    state: 'APPEAL_STATE_REGISTERED',
    registerDueDate: { year: 2026, month: 3, day: 4 },
    answerDueDate: { year: 2026, month: 3, day: 31 },
    updateTime: '2026-03-01T01:00:00Z',
    etag: '1',
    ...over,
  };
}
