/**
 * The closing report of a held meeting: the form's values, its checks (attendance required and
 * ≥ 0; each question with its text, classifier code and resolution, an answer given on the spot
 * or follow-up; materials with a title and an http(s) link), the request body, and where the
 * server's field violations ("report.questions[1].answer") go on the form.
 */
import type { FieldViolation } from '../../api/errors';
import type { MeetingReport, QuestionResolution } from '../../api/types';
import { CODE_RE } from '../appeals/ClassifierCodesField';

export interface QuestionValues {
  text: string;
  code: string;
  resolution: '' | 'ANSWERED' | 'FOLLOW_UP';
  answer: string;
  /** Department to answer a follow-up; the organiser's when empty. */
  department: string;
}
export interface MaterialValues {
  title: string;
  uri: string;
}
export interface ReportValues {
  attendance: number | '';
  summary: string;
  questions: QuestionValues[];
  materials: MaterialValues[];
  /** One per form (kept in the draft): a retry or a double click files the report once. */
  requestId: string;
}

export const emptyQuestion = (): QuestionValues => ({ text: '', code: '', resolution: '', answer: '', department: '' });
export const emptyMaterial = (): MaterialValues => ({ title: '', uri: '' });

export const MAX_ATTENDANCE = 100000;
export const MAX_QUESTIONS = 200;
export const MAX_MATERIALS = 50;

/**
 * Problems by path — "attendance", "questions.1.text", "materials.0.uri" — as i18n keys. Empty
 * when the report can be sent.
 */
export function checkReport(v: ReportValues): Record<string, string> {
  const e: Record<string, string> = {};
  if (v.attendance === '' || v.attendance === null || v.attendance === undefined) e.attendance = 'outreach.report.attendanceRequired';
  else if (!Number.isInteger(v.attendance) || v.attendance < 0 || v.attendance > MAX_ATTENDANCE) e.attendance = 'outreach.report.attendanceRange';
  if (v.questions.length > MAX_QUESTIONS) e.questions = 'outreach.report.tooManyQuestions';
  v.questions.forEach((q, i) => {
    if (!q.text.trim()) e[`questions.${i}.text`] = 'outreach.form.required';
    else if (q.text.trim().length > 5000) e[`questions.${i}.text`] = 'outreach.form.tooLong';
    if (!q.code) e[`questions.${i}.code`] = 'outreach.report.codeRequired';
    else if (!CODE_RE.test(q.code)) e[`questions.${i}.code`] = 'violations.codeFormat';
    if (!q.resolution) e[`questions.${i}.resolution`] = 'outreach.report.resolutionRequired';
    if (q.resolution === 'ANSWERED' && !q.answer.trim()) e[`questions.${i}.answer`] = 'outreach.report.answerRequired';
  });
  if (v.materials.length > MAX_MATERIALS) e.materials = 'outreach.report.tooManyMaterials';
  v.materials.forEach((m, i) => {
    if (!m.title.trim()) e[`materials.${i}.title`] = 'outreach.form.required';
    if (m.uri.trim() && !isHttpUrl(m.uri.trim())) e[`materials.${i}.uri`] = 'outreach.report.badUri';
  });
  return e;
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
  } catch {
    return false;
  }
}

/** The request's report: trimmed; an answer only for a question answered on the spot, a department only for a follow-up. */
export function toReport(v: ReportValues): MeetingReport {
  return {
    attendance: v.attendance === '' ? 0 : v.attendance,
    summary: v.summary.trim(),
    questions: v.questions.map((q) => ({
      text: q.text.trim(),
      classifierCode: q.code,
      resolution: `QUESTION_RESOLUTION_${q.resolution || 'UNSPECIFIED'}` as QuestionResolution,
      ...(q.resolution === 'ANSWERED' ? { answer: q.answer.trim() } : {}),
      ...(q.resolution === 'FOLLOW_UP' && q.department ? { department: q.department } : {}),
    })),
    materials: v.materials.map((m) => ({ title: m.title.trim(), ...(m.uri.trim() ? { uri: m.uri.trim() } : {}) })),
  };
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const FIELD_OF: Record<string, string> = { classifierCode: 'code' };

/**
 * A server violation's place on the form: "report.questions[1].classifier_code" →
 * "questions.1.code"; "report.attendance" → "attendance"; "" when it names no field of the form.
 */
export function reportViolationPath(v: Pick<FieldViolation, 'field'>): string {
  const path = v.field.replace(/^report\./, '');
  const m = /^(questions|materials)\[(\d+)\](?:\.([a-z_]+))?$/.exec(path);
  if (m) {
    const f = m[3] ? camel(m[3]) : '';
    return f ? `${m[1]}.${m[2]}.${FIELD_OF[f] ?? f}` : `${m[1]}.${m[2]}.text`;
  }
  if (/^(attendance|summary|questions|materials)$/.test(path)) return path;
  return '';
}
