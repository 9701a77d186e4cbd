import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DownloadedFile, api, call, callFile } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { AnswerResult, Appeal, AppealHistoryEntry, Applicant, Attachment, DirectoryDepartment, LeaveReason, ListAppealsResponse } from '../../api/types';
import { appealId, attachmentIds } from '../../api/types';

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

/* ---------------------------------------------------------------- the workflow */

export type ActionRequest =
  | { kind: 'assign'; department?: string; coExecutors: string[]; executor: string }
  | { kind: 'start' }
  | { kind: 'forward'; body: string; complaintAgainst: string; applicantNotified: boolean }
  | { kind: 'extend'; days: number; reason: string }
  | { kind: 'answer'; text: string; result: AnswerResult; signer: string; oral: boolean }
  | { kind: 'return'; reason: string }
  | { kind: 'leave'; reason: LeaveReason; comment: string }
  | { kind: 'endCorrespondence'; reason: string }
  | { kind: 'reopen'; reason: string }
  | { kind: 'markDuplicate'; duplicateOf: string };

/** One workflow step (AIP-136 custom method) on the appeal as the caller saw it (its etag). */
export function runAction(id: string, etag: string, r: ActionRequest): Promise<Appeal> {
  const path = { params: { path: { name: id } } };
  const c = api();
  switch (r.kind) {
    case 'assign': {
      const { kind: _k, ...body } = r;
      return call(c.POST('/v1/appeals/{name}:assign', { ...path, body: { etag, ...body } }));
    }
    case 'start':
      return call(c.POST('/v1/appeals/{name}:start', { ...path, body: { etag } }));
    case 'forward': {
      const { kind: _k, ...body } = r;
      return call(c.POST('/v1/appeals/{name}:forward', { ...path, body: { etag, ...body } }));
    }
    case 'extend':
      return call(c.POST('/v1/appeals/{name}:extend', { ...path, body: { etag, days: r.days, reason: r.reason } }));
    case 'answer': {
      const { kind: _k, ...body } = r;
      return call(c.POST('/v1/appeals/{name}:answer', { ...path, body: { etag, ...body } }));
    }
    case 'return':
      return call(c.POST('/v1/appeals/{name}:return', { ...path, body: { etag, reason: r.reason } }));
    case 'leave':
      return call(c.POST('/v1/appeals/{name}:leaveWithoutAnswer', { ...path, body: { etag, reason: r.reason, comment: r.comment } }));
    case 'endCorrespondence':
      return call(c.POST('/v1/appeals/{name}:endCorrespondence', { ...path, body: { etag, reason: r.reason } }));
    case 'reopen':
      return call(c.POST('/v1/appeals/{name}:reopen', { ...path, body: { etag, reason: r.reason } }));
    case 'markDuplicate':
      return call(c.POST('/v1/appeals/{name}:markDuplicate', { ...path, body: { etag, duplicateOf: r.duplicateOf } }));
  }
}

/** A stale etag: someone else changed the appeal since the card was read. */
export const isEtagMismatch = (e: unknown) => e instanceof ApiError && e.httpStatus === 409 && (e.reason === 'ETAG_MISMATCH' || e.status === 'ABORTED');

/**
 * Runs workflow steps on one appeal. Success puts the returned appeal in the cache (its new
 * etag) and refreshes the history and the lists; a stale etag reloads the card.
 */
export function useAppealAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ etag, request }: { etag: string; request: ActionRequest }) => runAction(id, etag, request),
    onSuccess: (a) => {
      qc.setQueryData(appealKeys.one(id), a);
      void qc.invalidateQueries({ queryKey: [...appealKeys.one(id), 'history'] });
      void qc.invalidateQueries({ queryKey: ['appeals', 'list'] });
      void qc.invalidateQueries({ queryKey: ['statistics'] });
    },
    onError: (e) => {
      if (isEtagMismatch(e)) void qc.invalidateQueries({ queryKey: appealKeys.one(id) });
    },
  });
}

/* ---------------------------------------------------------------- files and the applicant */

export function useAttachments(id: string, enabled = true) {
  return useQuery({
    queryKey: [...appealKeys.one(id), 'attachments'] as const,
    queryFn: async ({ signal }): Promise<Attachment[]> =>
      (await call(api().GET('/v1/appeals/{parent}/attachments', { params: { path: { parent: id } }, signal }))).attachments ?? [],
    enabled,
  });
}

export function useUploadAttachment(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ filename, contentType, content }: { filename: string; contentType: string; content: string }) =>
      call(api().POST('/v1/appeals/{parent}/attachments', { params: { path: { parent: id } }, body: { filename, contentType, content } })),
    onSuccess: () => {
      // The appeal's version moves with every file (its etag, the count, the history).
      void qc.invalidateQueries({ queryKey: appealKeys.one(id) });
    },
  });
}

/** Downloads one file (an audited read of personal data). */
export function downloadAttachment(att: Attachment): Promise<DownloadedFile> {
  const [appeal, file] = attachmentIds(att.name);
  return callFile(
    api().GET('/v1/appeals/{name}/attachments/{name_1}:download', { params: { path: { name: appeal, name_1: file } }, parseAs: 'blob' }),
    att.filename || 'file',
  );
}

/** Reads the applicant with a purpose; the service writes the read to the audit log. Never cached. */
export function readApplicant(id: string, purpose: string): Promise<Applicant> {
  return call(api().GET('/v1/appeals/{name}/applicant', { params: { path: { name: id }, query: { purpose } } }));
}

/** Finds appeals by registration number (the caller's visibility). */
export async function findByNumber(number: string, signal?: AbortSignal): Promise<Appeal[]> {
  const n = number.trim().replace(/"/g, '');
  return (await listAppeals({ filter: `registration_number = "${n}"`, orderBy: '', pageSize: 10, pageToken: '' }, signal)).appeals ?? [];
}

/** The organisation directory's active departments (co-executors, a new lead department). */
export function useDirectoryDepartments(enabled = true) {
  return useQuery({
    queryKey: ['directory', 'departments'] as const,
    queryFn: async ({ signal }): Promise<DirectoryDepartment[]> =>
      (await call(api().GET('/v1/departments', { params: { query: { pageSize: 1000 } }, signal }))).departments ?? [],
    staleTime: 5 * 60_000,
    enabled,
  });
}
