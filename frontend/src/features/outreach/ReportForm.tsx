/**
 * The closing report of a meeting in a dialog: attendance (required, ≥ 0), the residents'
 * questions (text, classifier topic, answered on the spot with the answer, or follow-up with the
 * department to answer), materials and a summary. A draft is kept until the report is filed;
 * one request id per form, so a retry files it once; the server's field violations are shown
 * beside the fields they name.
 */
import { ActionIcon, Alert, Button, Divider, Group, Modal, NumberInput, Paper, Radio, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, SessionExpiredError } from '../../api/errors';
import { localizeViolation } from '../../api/messages';
import type { Meeting } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { CloseIcon } from '../../components/icons';
import { Refusal } from '../../components/Refusal';
import { useDraft } from '../../lib/useDraft';
import { uuid4 } from '../../lib/uuid';
import { shortDepartmentName } from '../../reference/reference';
import { ClassifierSelect } from '../appeals/ClassifierSelect';
import { useDirectoryDepartments } from '../appeals/queries';
import { meetingId } from './model';
import { type QuestionValues, type ReportValues, MAX_MATERIALS, MAX_QUESTIONS, checkReport, emptyMaterial, emptyQuestion, reportViolationPath, toReport } from './reportForm';
import type { MeetingStep } from './queries';
import './texts';

export function ReportDialog({
  meeting,
  pending,
  error,
  onSubmit,
  onClose,
}: {
  meeting: Meeting;
  pending: boolean;
  error: unknown;
  onSubmit: (s: MeetingStep, done: () => void) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const d = useDraft<ReportValues>(`${p.login}:meeting:report:${meetingId(meeting.name)}`, () => ({ attendance: '', summary: '', questions: [], materials: [], requestId: uuid4() }));
  const v = d.values;
  const [touched, setTouched] = useState(false);
  const departments = useDirectoryDepartments();
  const client = touched ? checkReport(v) : {};
  const server = useMemo(() => {
    const out: Record<string, string> = {};
    if (error instanceof ApiError) {
      for (const x of error.violations) {
        const path = reportViolationPath(x);
        if (!path) continue;
        const msg = localizeViolation(path.split('.').pop() ?? '', x.description, t);
        out[path] = out[path] ? `${out[path]}; ${msg}` : msg;
      }
    }
    return out;
  }, [error, t]);
  const err = (path: string) => (client[path] ? t(client[path]) : server[path]);
  const deptOptions = useMemo(
    () => [
      { value: '', label: t('outreach.report.departmentHint') },
      ...(departments.data ?? []).filter((x) => x.active !== false && x.code).map((x) => ({ value: x.code!, label: `${shortDepartmentName(x.displayName)} (${x.code})` })),
    ],
    [departments.data, t],
  );
  const setQ = (i: number, patch: Partial<QuestionValues>) => d.setValues((s) => ({ ...s, questions: s.questions.map((q, j) => (j === i ? { ...q, ...patch } : q)) }));
  const shown = error && !(error instanceof SessionExpiredError) ? error : null;
  const invalid = touched && Object.keys(checkReport(v)).length > 0;

  return (
    <Modal opened onClose={() => !pending && onClose()} title={t('outreach.actions.titles.report')} size="xl" centered closeOnClickOutside={false} data-testid="dialog-report">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (pending) return;
          setTouched(true);
          if (Object.keys(checkReport(v)).length > 0) return;
          onSubmit({ kind: 'report', report: toReport(v), requestId: v.requestId }, d.clear);
        }}
      >
        <Stack gap="md">
          {d.restored && (
            <Alert color="blue" variant="light" role="status" py={6} data-testid="draft-restored">
              <Group justify="space-between" gap="xs">
                <Text size="sm">{t('actions.draftRestored')}</Text>
                <Button size="compact-xs" variant="subtle" onClick={d.clear} disabled={pending}>
                  {t('actions.clearDraft')}
                </Button>
              </Group>
            </Alert>
          )}
          <Text size="sm" fw={500}>
            {meeting.topic}
          </Text>
          <fieldset disabled={pending} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
            <Stack gap="md">
              <NumberInput
                label={t('outreach.report.attendance')}
                description={t('outreach.report.attendanceHint')}
                required
                min={0}
                max={100000}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="none"
                w={260}
                value={v.attendance}
                onChange={(x) => d.setValues((s) => ({ ...s, attendance: x === '' ? '' : Number(x) }))}
                error={err('attendance')}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
                data-autofocus
              />
              <Divider />
              <Title order={3} size="h5">
                {t('outreach.report.questions')}
              </Title>
              {v.questions.map((q, i) => (
                <Paper key={i} withBorder radius="sm" p="sm" data-testid={`question-${i}`} role="group" aria-label={t('outreach.report.questionN', { n: i + 1 })}>
                  <Stack gap="xs">
                    <Group justify="space-between">
                      <Text size="sm" fw={600} aria-hidden="true">
                        {t('outreach.report.questionN', { n: i + 1 })}
                      </Text>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={t('outreach.report.removeQuestion', { n: i + 1 })}
                        onClick={() => d.setValues((s) => ({ ...s, questions: s.questions.filter((_, j) => j !== i) }))}
                      >
                        <CloseIcon />
                      </ActionIcon>
                    </Group>
                    <Textarea
                      label={t('outreach.report.questionText')}
                      required
                      autosize
                      minRows={2}
                      maxRows={6}
                      value={q.text}
                      onChange={(e) => {
                        const x = e.currentTarget.value;
                        setQ(i, { text: x });
                      }}
                      error={err(`questions.${i}.text`)}
                    />
                    <ClassifierSelect id={`q-${i}-code`} label={t('outreach.report.code')} required value={q.code} onChange={(code) => setQ(i, { code })} error={err(`questions.${i}.code`)} />
                    <Radio.Group
                      label={t('outreach.report.resolution')}
                      required
                      value={q.resolution}
                      onChange={(x) => setQ(i, { resolution: x as QuestionValues['resolution'] })}
                      error={err(`questions.${i}.resolution`)}
                    >
                      <Group gap="lg" mt={6}>
                        <Radio value="ANSWERED" label={t('outreach.report.answered')} />
                        <Radio value="FOLLOW_UP" label={t('outreach.report.followUp')} />
                      </Group>
                    </Radio.Group>
                    {q.resolution === 'ANSWERED' && (
                      <Textarea
                        label={t('outreach.report.answer')}
                        required
                        autosize
                        minRows={2}
                        maxRows={8}
                        value={q.answer}
                        onChange={(e) => {
                          const x = e.currentTarget.value;
                          setQ(i, { answer: x });
                        }}
                        error={err(`questions.${i}.answer`)}
                      />
                    )}
                    {q.resolution === 'FOLLOW_UP' && (
                      <Select
                        label={t('outreach.report.department')}
                        searchable
                        data={deptOptions}
                        value={q.department}
                        allowDeselect={false}
                        onChange={(x) => setQ(i, { department: x ?? '' })}
                        error={err(`questions.${i}.department`)}
                        comboboxProps={{ withinPortal: true }}
                      />
                    )}
                  </Stack>
                </Paper>
              ))}
              {err('questions') && (
                <Text size="sm" c="red.8">
                  {err('questions')}
                </Text>
              )}
              <Group>
                <Button
                  variant="light"
                  size="xs"
                  disabled={v.questions.length >= MAX_QUESTIONS}
                  onClick={() => d.setValues((s) => ({ ...s, questions: [...s.questions, emptyQuestion()] }))}
                  data-testid="add-question"
                >
                  {t('outreach.report.addQuestion')}
                </Button>
                {v.questions.some((q) => q.resolution === 'FOLLOW_UP') && (
                  <Text size="xs" c="dimmed">
                    {t('outreach.report.followUpNote')}
                  </Text>
                )}
              </Group>
              <Divider />
              <Title order={3} size="h5">
                {t('outreach.report.materials')}
              </Title>
              {v.materials.map((m, i) => (
                <Group key={i} align="flex-start" gap="sm" wrap="nowrap" data-testid={`material-${i}`} role="group" aria-label={`${t('outreach.report.materials')} ${i + 1}`}>
                  <TextInput
                    label={t('outreach.report.materialTitle')}
                    required
                    style={{ flex: 1 }}
                    value={m.title}
                    onChange={(e) => {
                      const x = e.currentTarget.value;
                      d.setValues((s) => ({ ...s, materials: s.materials.map((y, j) => (j === i ? { ...y, title: x } : y)) }));
                    }}
                    error={err(`materials.${i}.title`)}
                  />
                  <TextInput
                    label={t('outreach.report.materialUri')}
                    style={{ flex: 1 }}
                    value={m.uri}
                    onChange={(e) => {
                      const x = e.currentTarget.value;
                      d.setValues((s) => ({ ...s, materials: s.materials.map((y, j) => (j === i ? { ...y, uri: x } : y)) }));
                    }}
                    error={err(`materials.${i}.uri`)}
                  />
                  <ActionIcon
                    mt={26}
                    variant="subtle"
                    color="gray"
                    aria-label={t('outreach.report.removeMaterial', { n: i + 1 })}
                    onClick={() => d.setValues((s) => ({ ...s, materials: s.materials.filter((_, j) => j !== i) }))}
                  >
                    <CloseIcon />
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button variant="light" size="xs" disabled={v.materials.length >= MAX_MATERIALS} onClick={() => d.setValues((s) => ({ ...s, materials: [...s.materials, emptyMaterial()] }))}>
                  {t('outreach.report.addMaterial')}
                </Button>
              </Group>
              <Textarea
                label={t('outreach.report.summary')}
                autosize
                minRows={3}
                maxRows={10}
                value={v.summary}
                onChange={(e) => {
                  const x = e.currentTarget.value;
                  d.setValues((s) => ({ ...s, summary: x }));
                }}
                error={err('summary')}
              />
            </Stack>
          </fieldset>
          {invalid && (
            <Text size="sm" c="red.8" role="alert" data-testid="report-invalid">
              {t('outreach.report.fix')}
            </Text>
          )}
          {shown ? <Refusal error={shown} reasons="outreach.reasons" /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={pending}>
              {t('outreach.actions.back')}
            </Button>
            <Button type="submit" loading={pending} data-testid="report-submit">
              {t('outreach.report.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
