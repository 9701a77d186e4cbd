import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Meeting, MeetingChange, MeetingPlan, MeetingReport, Official, OutreachStatistics, Question } from '../../api/types';
import { isoDate } from '../../lib/time';
import { type Period, statisticsQuery } from '../analytics/period';
import { type MonthRef, addMonths, monthKey } from './calendar';
import { meetingId } from './model';

export const outreachKeys = {
  all: ['outreach'] as const,
  meetings: ['outreach', 'meetings'] as const,
  month: (m: MonthRef, filter: string) => ['outreach', 'meetings', 'month', monthKey(m), filter] as const,
  planMeetings: (plan: string) => ['outreach', 'meetings', 'plan', plan] as const,
  meeting: (id: string) => ['outreach', 'meeting', id] as const,
  plans: ['outreach', 'plans'] as const,
  plan: (id: string) => ['outreach', 'plans', id] as const,
  statistics: (p: Period, departments: string[]) => ['outreach', 'statistics', isoDate(p.from), isoDate(p.to), departments] as const,
};

/** At most this many pages of meetings are read for one view (1,000 each: a month has about a hundred). */
const MAX_PAGES = 5;

async function listAllMeetings(filter: string, signal?: AbortSignal): Promise<Meeting[]> {
  const out: Meeting[] = [];
  let pageToken = '';
  for (let i = 0; i < MAX_PAGES; i++) {
    const r = await call(api().GET('/v1/meetings', { params: { query: { filter, pageSize: 1000, ...(pageToken ? { pageToken } : {}) } }, signal }));
    out.push(...(r.meetings ?? []));
    pageToken = r.nextPageToken ?? '';
    if (!pageToken) break;
  }
  return out;
}

/** The filter of the meetings that start in a month (city dates), with extra conditions. */
export function monthFilter(m: MonthRef, extra: string[] = []): string {
  const next = addMonths(m, 1);
  return [`start_time >= "${monthKey(m)}-01"`, `start_time < "${monthKey(next)}-01"`, ...extra].join(' AND ');
}

/** Meetings that start in the month, in any plan or none. */
export function useMonthMeetings(m: MonthRef, extra: string[] = []) {
  const filter = monthFilter(m, extra);
  return useQuery({
    queryKey: outreachKeys.month(m, filter),
    queryFn: ({ signal }) => listAllMeetings(filter, signal),
    placeholderData: keepPreviousData,
  });
}

/** The meetings of a plan (the consolidated plan: every department's proposals). */
export function usePlanMeetings(plan: string) {
  return useQuery({
    queryKey: outreachKeys.planMeetings(plan),
    queryFn: ({ signal }) => listAllMeetings(`plan = "meetingPlans/${plan}"`, signal),
  });
}

/** A plan; null while nobody has opened it yet (a 404). */
export function usePlan(id: string) {
  return useQuery({
    queryKey: outreachKeys.plan(id),
    queryFn: async ({ signal }): Promise<MeetingPlan | null> => {
      try {
        return await call(api().GET('/v1/meetingPlans/{name}', { params: { path: { name: id } }, signal }));
      } catch (e) {
        if (e instanceof ApiError && e.httpStatus === 404) return null;
        throw e;
      }
    },
  });
}

export function usePlans(filter = '') {
  return useQuery({
    queryKey: [...outreachKeys.plans, 'list', filter] as const,
    queryFn: async ({ signal }): Promise<MeetingPlan[]> =>
      (await call(api().GET('/v1/meetingPlans', { params: { query: { pageSize: 100, ...(filter ? { filter } : {}) } }, signal }))).meetingPlans ?? [],
  });
}

export function usePlanChanges(id: string, enabled = true) {
  return useQuery({
    queryKey: [...outreachKeys.plan(id), 'changes'] as const,
    queryFn: async ({ signal }): Promise<MeetingChange[]> =>
      (await call(api().GET('/v1/meetingPlans/{parent}/changes', { params: { path: { parent: id }, query: { pageSize: 1000 } }, signal }))).changes ?? [],
    enabled,
  });
}

export function useMeeting(id: string) {
  return useQuery({
    queryKey: outreachKeys.meeting(id),
    queryFn: ({ signal }) => call(api().GET('/v1/meetings/{name}', { params: { path: { name: id } }, signal })),
  });
}

export function useMeetingChanges(id: string) {
  return useQuery({
    queryKey: [...outreachKeys.meeting(id), 'changes'] as const,
    queryFn: async ({ signal }): Promise<MeetingChange[]> =>
      (await call(api().GET('/v1/meetings/{parent}/changes', { params: { path: { parent: id }, query: { pageSize: 1000 } }, signal }))).changes ?? [],
  });
}

/** The questions of a meeting with where each follow-up is now (its appeal, the answer's date). */
export function useQuestions(id: string, enabled = true) {
  return useQuery({
    queryKey: [...outreachKeys.meeting(id), 'questions'] as const,
    queryFn: async ({ signal }): Promise<Question[]> => (await call(api().GET('/v1/meetings/{parent}/questions', { params: { path: { parent: id } }, signal }))).questions ?? [],
    enabled,
  });
}

/** One question, read with the user's token (the appeal card shows its wording). */
export function useQuestion(meeting: string, question: string, enabled = true) {
  return useQuery({
    queryKey: [...outreachKeys.meeting(meeting), 'question', question] as const,
    queryFn: ({ signal }) => call(api().GET('/v1/meetings/{name}/questions/{name_1}', { params: { path: { name: meeting, name_1: question } }, signal })),
    retry: false,
    enabled,
  });
}

/** The directory's active officials: the speakers to pick from. */
export function useOfficials() {
  return useQuery({
    queryKey: ['directory', 'officials'] as const,
    queryFn: async ({ signal }): Promise<Official[]> =>
      (await call(api().GET('/v1/officials', { params: { query: { pageSize: 1000, filter: 'active = true' } }, signal }))).officials ?? [],
    staleTime: 5 * 60_000,
  });
}

export function getOutreachStatistics(p: Period, departments: string[] = [], signal?: AbortSignal): Promise<OutreachStatistics> {
  return call(api().GET('/v1/meetings:statistics', { params: { query: { ...statisticsQuery(p), ...(departments.length ? { departments } : {}) } }, signal }));
}

export function useOutreachStatistics(p: Period, departments: string[] = [], enabled = true) {
  return useQuery({
    queryKey: outreachKeys.statistics(p, departments),
    queryFn: ({ signal }) => getOutreachStatistics(p, departments, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled,
  });
}

/* ---------------------------------------------------------------- changes */

/** A stale etag: someone else changed the meeting or the plan since it was read. */
export const isStale = (e: unknown) => e instanceof ApiError && e.httpStatus === 409 && (e.reason === 'ETAG_MISMATCH' || e.status === 'ABORTED');

function useInvalidateOutreach() {
  const qc = useQueryClient();
  return (meeting?: Meeting) => {
    if (meeting?.name) qc.setQueryData(outreachKeys.meeting(meetingId(meeting.name)), meeting);
    void qc.invalidateQueries({ queryKey: outreachKeys.meetings });
    void qc.invalidateQueries({ queryKey: outreachKeys.plans });
    void qc.invalidateQueries({ queryKey: ['outreach', 'statistics'] });
    if (meeting?.name) void qc.invalidateQueries({ queryKey: outreachKeys.meeting(meetingId(meeting.name)), predicate: (q) => q.queryKey.length > 3 });
  };
}

export function useCreateMeeting() {
  const done = useInvalidateOutreach();
  return useMutation({
    mutationFn: ({ meeting, requestId }: { meeting: Meeting; requestId: string }) => call(api().POST('/v1/meetings', { body: meeting, params: { query: { requestId } } })),
    onSuccess: (m) => done(m),
  });
}

export function useUpdateMeeting(id: string) {
  const done = useInvalidateOutreach();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ meeting, etag, mask }: { meeting: Meeting; etag: string; mask: string[] }) =>
      call(
        api().PATCH('/v1/meetings/{meeting.name}', {
          params: { path: { 'meeting.name': id }, query: { updateMask: mask.join(',') } },
          body: { ...meeting, name: `meetings/${id}`, etag } as Meeting,
        }),
      ),
    onSuccess: (m) => done(m),
    onError: (e) => {
      if (isStale(e)) void qc.invalidateQueries({ queryKey: outreachKeys.meeting(id) });
    },
  });
}

export type MeetingStep =
  | { kind: 'cancel'; reason: string }
  | { kind: 'postpone'; startTime: string; endTime?: string; reason: string }
  | { kind: 'report'; report: MeetingReport; requestId: string }
  | { kind: 'delete' };

export function runMeetingStep(id: string, etag: string, s: MeetingStep): Promise<Meeting | null> {
  const path = { params: { path: { name: id } } };
  const c = api();
  switch (s.kind) {
    case 'cancel':
      return call(c.POST('/v1/meetings/{name}:cancel', { ...path, body: { etag, reason: s.reason } }));
    case 'postpone':
      return call(c.POST('/v1/meetings/{name}:postpone', { ...path, body: { etag, startTime: s.startTime, ...(s.endTime ? { endTime: s.endTime } : {}), reason: s.reason } }));
    case 'report':
      return call(c.POST('/v1/meetings/{name}:report', { ...path, body: { etag, report: s.report, requestId: s.requestId } }));
    case 'delete':
      return call(c.DELETE('/v1/meetings/{name}', { params: { path: { name: id }, query: { etag } } })).then(() => null);
  }
}

/** Runs a step on one meeting; a stale etag reloads the card. */
export function useMeetingStep(id: string) {
  const done = useInvalidateOutreach();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ etag, step }: { etag: string; step: MeetingStep }) => runMeetingStep(id, etag, step),
    onSuccess: (m) => {
      if (m) done(m);
      else {
        qc.removeQueries({ queryKey: outreachKeys.meeting(id) });
        done();
      }
    },
    onError: (e) => {
      if (isStale(e)) void qc.invalidateQueries({ queryKey: outreachKeys.meeting(id) });
    },
  });
}

export type PlanStep = { kind: 'submit' } | { kind: 'approve' } | { kind: 'return'; comment: string };

export function usePlanStep(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ etag, step }: { etag: string; step: PlanStep }) => {
      const path = { params: { path: { name: id } } };
      const c = api();
      switch (step.kind) {
        case 'submit':
          return call(c.POST('/v1/meetingPlans/{name}:submit', { ...path, body: { etag } }));
        case 'approve':
          return call(c.POST('/v1/meetingPlans/{name}:approve', { ...path, body: { etag } }));
        case 'return':
          return call(c.POST('/v1/meetingPlans/{name}:return', { ...path, body: { etag, comment: step.comment } }));
      }
    },
    onSuccess: (plan) => {
      qc.setQueryData(outreachKeys.plan(id), plan);
      void qc.invalidateQueries({ queryKey: outreachKeys.plans });
      void qc.invalidateQueries({ queryKey: outreachKeys.meetings });
      void qc.invalidateQueries({ queryKey: ['outreach', 'meeting'] });
    },
    onError: (e) => {
      if (isStale(e)) void qc.invalidateQueries({ queryKey: outreachKeys.plan(id) });
    },
  });
}

/** Opens a plan explicitly (an election period's additional schedule, or a month before its first proposal). */
export function useCreatePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: { year: number; month: number; electionPeriod: boolean }) => call(api().POST('/v1/meetingPlans', { body: p })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: outreachKeys.plans }),
  });
}
