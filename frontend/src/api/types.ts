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
export type Attachment = S['cityhall.appeals.v1.Attachment'];
export type AuditRecord = S['cityhall.appeals.v1.AuditRecord'];
export type AppealStatistics = S['cityhall.appeals.v1.AppealStatistics'];
export type StatisticsRow = S['cityhall.appeals.v1.StatisticsRow'];
export type TopicGrowth = S['cityhall.appeals.v1.TopicGrowth'];
export type LeaveReason = S['cityhall.appeals.v1.LeaveReason'];
export type AnswerResult = S['cityhall.appeals.v1.AnswerResult'];
export type DirectoryDepartment = S['cityhall.planning.v1.Department'];

/** "appeals/{a}/attachments/{b}" → [a, b]. */
export function attachmentIds(name: string | undefined): [string, string] {
  const m = /^appeals\/([^/]+)\/attachments\/([^/]+)$/.exec(name ?? '');
  return m ? [m[1], m[2]] : ['', ''];
}

export type Official = S['cityhall.planning.v1.Official'];
export type MeetingPlan = S['cityhall.outreach.v1.MeetingPlan'];
export type MeetingPlanState = S['cityhall.outreach.v1.MeetingPlanState'];
export type Meeting = S['cityhall.outreach.v1.Meeting'];
export type MeetingState = S['cityhall.outreach.v1.MeetingState'];
export type MeetingReport = S['cityhall.outreach.v1.MeetingReport'];
export type Question = S['cityhall.outreach.v1.Question'];
export type QuestionResolution = S['cityhall.outreach.v1.QuestionResolution'];
export type QuestionState = S['cityhall.outreach.v1.QuestionState'];
export type Material = S['cityhall.outreach.v1.Material'];
export type MeetingChange = S['cityhall.outreach.v1.Change'];
export type ChangeKind = S['cityhall.outreach.v1.ChangeKind'];
export type OutreachStatistics = S['cityhall.outreach.v1.OutreachStatistics'];
export type OutreachStatisticsRow = S['cityhall.outreach.v1.OutreachStatisticsRow'];
export type PublicMeeting = S['cityhall.outreach.v1.PublicMeeting'];
export type Speaker = S['cityhall.outreach.v1.Speaker'];
