import { describe, expect, it } from 'vitest';
import { changedFields, checkMeeting, emptyMeeting, fromMeeting, meetingViolationField, toMeeting } from './meetingForm';
import { checkReport, emptyQuestion, reportViolationPath, toReport, type ReportValues } from './reportForm';

const SPEAKER = 'officials/01900000-0000-7000-8000-0000000000aa';
const valid = () => ({ ...emptyMeeting('2026-03-12'), topic: 'О благоустройстве', speakers: [SPEAKER], venue: 'Школа № 5', start: '15:00' });

describe('meeting form', () => {
  it('asks for topic, a speaker, venue, date and time', () => {
    expect(checkMeeting(emptyMeeting(), null)).toEqual({
      topic: 'outreach.form.required',
      speakers: 'outreach.form.speakersRequired',
      venue: 'outreach.form.required',
      date: 'outreach.form.required',
      start: 'outreach.form.required',
    });
    expect(checkMeeting(valid(), { year: 2026, month: 3 })).toEqual({});
  });

  it("keeps a plan's meeting within the plan's month (city time) and the end after the start", () => {
    expect(checkMeeting({ ...valid(), date: '2026-04-01' }, { year: 2026, month: 3 }).date).toBe('outreach.form.outsideMonth');
    expect(checkMeeting({ ...valid(), date: '2026-04-01' }, null).date).toBeUndefined();
    expect(checkMeeting({ ...valid(), end: '14:00' }, null).end).toBe('outreach.form.endBeforeStart');
    expect(checkMeeting({ ...valid(), end: '16:30' }, null).end).toBeUndefined();
  });

  it('sends the start and end as instants of Khabarovsk time', () => {
    const m = toMeeting({ ...valid(), end: '16:30', audience: '  жители  ' }, 'meetingPlans/2026-03');
    expect(m).toMatchObject({ plan: 'meetingPlans/2026-03', startTime: '2026-03-12T05:00:00.000Z', endTime: '2026-03-12T06:30:00.000Z', audience: 'жители', district: '' });
    expect(toMeeting(valid(), '')).not.toHaveProperty('plan');
    expect(fromMeeting({ ...m, speakers: [SPEAKER] })).toMatchObject({ date: '2026-03-12', start: '15:00', end: '16:30' });
  });

  it('names in the update mask only what changed', () => {
    const before = valid();
    expect(changedFields(before, { ...before })).toEqual([]);
    expect(changedFields(before, { ...before, venue: 'Клуб' })).toEqual(['venue']);
    expect(changedFields(before, { ...before, date: '2026-03-19' })).toEqual(['start_time']);
    expect(changedFields({ ...before, end: '16:00' }, { ...before, date: '2026-03-19', end: '16:00' })).toEqual(['start_time', 'end_time']);
  });

  it("places the server's violations on the fields", () => {
    expect(meetingViolationField({ field: 'meeting.start_time', description: '' })).toBe('date');
    expect(meetingViolationField({ field: 'meeting.speakers[1]', description: '' })).toBe('speakers');
    expect(meetingViolationField({ field: 'meeting.venue', description: '' })).toBe('venue');
    expect(meetingViolationField({ field: 'request_id', description: '' })).toBe('');
  });
});

describe('closing report', () => {
  const report = (over: Partial<ReportValues> = {}): ReportValues => ({ attendance: 25, summary: '', questions: [], materials: [], requestId: 'r', ...over });

  it('requires the attendance, a whole number from 0', () => {
    expect(checkReport(report({ attendance: '' })).attendance).toBe('outreach.report.attendanceRequired');
    expect(checkReport(report({ attendance: -1 })).attendance).toBe('outreach.report.attendanceRange');
    expect(checkReport(report({ attendance: 2.5 })).attendance).toBe('outreach.report.attendanceRange');
    expect(checkReport(report({ attendance: 0 }))).toEqual({});
  });

  it('checks each question: text, classifier code, resolution, the answer given on the spot', () => {
    const e = checkReport(
      report({
        questions: [emptyQuestion(), { ...emptyQuestion(), text: 'Когда отремонтируют крышу?', code: '0005.0005.0056.1149', resolution: 'ANSWERED' }, { ...emptyQuestion(), text: 'Свет во дворе', code: '12', resolution: 'FOLLOW_UP' }],
      }),
    );
    expect(e).toEqual({
      'questions.0.text': 'outreach.form.required',
      'questions.0.code': 'outreach.report.codeRequired',
      'questions.0.resolution': 'outreach.report.resolutionRequired',
      'questions.1.answer': 'outreach.report.answerRequired',
      'questions.2.code': 'violations.codeFormat',
    });
  });

  it('accepts http(s) links for materials only', () => {
    expect(checkReport(report({ materials: [{ title: 'Презентация', uri: 'javascript:alert(1)' }] }))['materials.0.uri']).toBe('outreach.report.badUri');
    expect(checkReport(report({ materials: [{ title: '', uri: 'https://khabarovskadm.ru/x.pdf' }] }))).toEqual({ 'materials.0.title': 'outreach.form.required' });
    expect(checkReport(report({ materials: [{ title: 'Фото', uri: '' }] }))).toEqual({});
  });

  it('sends the answer only for a question answered on the spot and the department only for a follow-up', () => {
    const r = toReport(
      report({
        questions: [
          { text: ' Крыша ', code: '0005.0005.0056.1149', resolution: 'ANSWERED', answer: ' Летом ', department: 'KUR-IND' },
          { text: 'Свет', code: '0005.0005.0056.1149', resolution: 'FOLLOW_UP', answer: 'забыто', department: 'KUR-IND' },
        ],
        materials: [{ title: 'Фото', uri: ' ' }],
      }),
    );
    expect(r).toEqual({
      attendance: 25,
      summary: '',
      questions: [
        { text: 'Крыша', classifierCode: '0005.0005.0056.1149', resolution: 'QUESTION_RESOLUTION_ANSWERED', answer: 'Летом' },
        { text: 'Свет', classifierCode: '0005.0005.0056.1149', resolution: 'QUESTION_RESOLUTION_FOLLOW_UP', department: 'KUR-IND' },
      ],
      materials: [{ title: 'Фото' }],
    });
  });

  it("places the server's violations on the report's fields", () => {
    expect(reportViolationPath({ field: 'report.attendance' })).toBe('attendance');
    expect(reportViolationPath({ field: 'report.questions[1].classifier_code' })).toBe('questions.1.code');
    expect(reportViolationPath({ field: 'report.questions[0].answer' })).toBe('questions.0.answer');
    expect(reportViolationPath({ field: 'report.materials[2].uri' })).toBe('materials.2.uri');
    expect(reportViolationPath({ field: 'etag' })).toBe('');
  });
});
