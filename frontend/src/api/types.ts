import type { components } from './schema';

type S = components['schemas'];
export type Appeal = S['cityhall.appeals.v1.Appeal'];
export type AppealState = S['cityhall.appeals.v1.AppealState'];
export type Channel = S['cityhall.appeals.v1.Channel'];
export type ListAppealsResponse = S['cityhall.appeals.v1.ListAppealsResponse'];
export type Applicant = S['cityhall.appeals.v1.Applicant'];
export type AppealHistoryEntry = S['cityhall.appeals.v1.AppealHistoryEntry'];
export type DeadlineState = S['cityhall.appeals.v1.DeadlineState'];

/** The appeal's id from its resource name "appeals/{id}". */
export function appealId(a: Pick<Appeal, 'name'>): string {
  return (a.name ?? '').replace(/^appeals\//, '');
}
