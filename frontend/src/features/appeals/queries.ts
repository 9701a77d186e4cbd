import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import type { Appeal, AppealHistoryEntry, Applicant, ListAppealsResponse } from '../../api/types';
import { appealId } from '../../api/types';

export interface ListParams {
  filter: string;
  orderBy: string;
  pageSize: number;
  pageToken: string;
}

export const appealKeys = {
  all: ['appeals'] as const,
  list: (p: ListParams) => ['appeals', 'list', p] as const,
  one: (id: string) => ['appeals', 'one', id] as const,
  dashboard: ['appeals', 'dashboard'] as const,
};

export function listAppeals(p: ListParams, signal?: AbortSignal): Promise<ListAppealsResponse> {
  return call(
    api().GET('/v1/appeals', {
      params: {
        query: {
          pageSize: p.pageSize,
          ...(p.pageToken ? { pageToken: p.pageToken } : {}),
          ...(p.filter ? { filter: p.filter } : {}),
          ...(p.orderBy ? { orderBy: p.orderBy } : {}),
        },
      },
      signal,
    }),
  );
}

export function useAppealsPage(p: ListParams, enabled = true) {
  return useQuery({
    queryKey: appealKeys.list(p),
    queryFn: ({ signal }) => listAppeals(p, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The appeal's history (its first page: an appeal's life is short). */
export function useAppealHistory(id: string) {
  return useQuery({
    queryKey: [...appealKeys.one(id), 'history'] as const,
    queryFn: async ({ signal }): Promise<AppealHistoryEntry[]> =>
      (await call(api().GET('/v1/appeals/{parent}/history', { params: { path: { parent: id }, query: { pageSize: 200 } }, signal }))).entries ?? [],
  });
}

export function useAppeal(id: string) {
  return useQuery({
    queryKey: appealKeys.one(id),
    queryFn: ({ signal }) => call(api().GET('/v1/appeals/{name}', { params: { path: { name: id } }, signal })),
  });
}

export type NewAppeal = Pick<Appeal, 'channel' | 'text' | 'classifierCodes'> &
  Partial<Pick<Appeal, 'receiveTime' | 'district' | 'department' | 'collective' | 'signatories' | 'anonymous'>>;
export type NewApplicant = Pick<Applicant, 'fullName' | 'postalAddress' | 'email' | 'phone'>;

/**
 * Registers an appeal with its applicant (personal data travels only in the body); the request
 * id makes a retry (or a double click) return the same appeal.
 */
export function useCreateAppeal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ appeal, applicant, requestId }: { appeal: NewAppeal; applicant?: NewApplicant; requestId: string }) =>
      call(api().POST('/v1/appeals', { body: { appeal: appeal as Appeal, ...(applicant ? { applicant } : {}), requestId } })),
    onSuccess: (a) => {
      qc.setQueryData(appealKeys.one(appealId(a)), a);
      void qc.invalidateQueries({ queryKey: ['appeals', 'list'] });
      void qc.invalidateQueries({ queryKey: appealKeys.dashboard });
    },
  });
}
