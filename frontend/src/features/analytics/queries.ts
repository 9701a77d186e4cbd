import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type DownloadedFile, api, call, callFile } from '../../api/client';
import type { AppealStatistics } from '../../api/types';
import { isoDate } from '../../lib/time';
import { type Period, statisticsQuery } from './period';

export const statisticsKeys = {
  period: (p: Period, departments: string[]) => ['statistics', isoDate(p.from), isoDate(p.to), departments] as const,
};

export function getStatistics(p: Period, departments: string[] = [], signal?: AbortSignal): Promise<AppealStatistics> {
  return call(
    api().GET('/v1/appeals:statistics', {
      params: { query: { ...statisticsQuery(p), ...(departments.length ? { departments } : {}) } },
      signal,
    }),
  );
}

/** The figures of a period (GET /v1/appeals:statistics), for what the caller may see. */
export function useStatistics(p: Period, departments: string[] = [], enabled = true) {
  return useQuery({
    queryKey: statisticsKeys.period(p, departments),
    queryFn: ({ signal }) => getStatistics(p, departments, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled,
  });
}

export type ExportFormat = 'EXPORT_FORMAT_CSV' | 'EXPORT_FORMAT_XLSX';

/** The federal monthly report as a file (the bearer token goes with the request, so fetch + blob). */
export function exportStatistics(p: Period, format: ExportFormat, departments: string[] = []): Promise<DownloadedFile> {
  const ext = format === 'EXPORT_FORMAT_XLSX' ? 'xlsx' : 'csv';
  return callFile(
    api().GET('/v1/appeals:exportStatistics', {
      params: { query: { ...statisticsQuery(p), format, ...(departments.length ? { departments } : {}) } },
      parseAs: 'blob',
    }),
    `appeal-statistics_${isoDate(p.from)}_${isoDate(p.to)}.${ext}`,
  );
}
