import { Alert, Anchor, Badge, Button, Grid, Group, Loader, Modal, Paper, SimpleGrid, Stack, Stepper, Text, TextInput, Textarea, Timeline, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, SessionExpiredError } from '../../api/errors';
import type { Meeting, Question } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { CardLoadState } from '../../components/CardLoadState';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ChevronLeft } from '../../components/icons';
import { PageTitle } from '../../components/PageTitle';
import { Refusal } from '../../components/Refusal';
import { cityDateOf, formatDateTime, isoDate, parseCityDateTimeLocal } from '../../lib/time';
import { useDraft } from '../../lib/useDraft';
import { classifierPath } from '../../reference/classifier';
import { useClassifier } from '../../reference/reference';
import { monthKey } from './calendar';
import { ChangeNote } from './ChangeNote';
import { MeetingDialog } from './MeetingDialog';
import { type MeetingAction, isFollowUp, meetingActions, meetingId, parsePlanId, planId, questionStep, runsMeeting } from './model';
import { Field, FeedLink, MeetingStateBadge, OverdueBadge, Section, cardClasses as classes, feeds, formatMonthLong, formatTime, formatWhen } from './parts';
import { type MeetingStep, isStale, useMeeting, useMeetingChanges, useMeetingStep, useQuestions } from './queries';
import { ReportDialog } from './ReportForm';
import './texts';

type Notice = { kind: 'done'; action: MeetingAction } | { kind: 'conflict' } | { kind: 'refused'; error: unknown };

/** Re-reads "now" every minute, so that the report button appears once the meeting's time comes. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 60_000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

/**
 * A meeting's card: its fields, the steps the state and the role allow (closing report, postpone,
 * cancel, edit, withdraw), the closing report with the residents' questions — a follow-up one
 * shows its way to an answer: referred → appeal registered (a link by number) → answered — and
 * the meeting's history.
 */
export default function MeetingCardPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const q = useMeeting(id);
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created;

  if (q.isPending || q.isError) {
    return (
      <CardLoadState query={q} title={t('outreach.card.titleLoading')} notFoundTitle={t('outreach.card.notFound')} notFoundText={t('outreach.card.notFoundText')} back={<BackLink />} />
    );
  }
  const m = q.data;
  return (
    <Stack gap="md">
      <BackLink m={m} />
      <Group gap="sm" align="center">
        <PageTitle documentTitle={m.topic}>{m.topic}</PageTitle>
        <MeetingStateBadge state={m.state} />
        {m.unscheduled && (
          <Badge variant="outline" color="gray" radius="sm" style={{ textTransform: 'none' }}>
            {t('outreach.unscheduled')}
          </Badge>
        )}
        {m.reportOverdue && <OverdueBadge />}
      </Group>
      {created && (
        <Alert color="teal" variant="light" role="status">
          {t('outreach.form.created')}
        </Alert>
      )}
      <ActionsPanel m={m} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <MainSection m={m} />
            {m.report && <ReportSection m={m} />}
            {m.state === 'MEETING_STATE_HELD' && <QuestionsSection m={m} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <HistorySection id={id} />
            <ServiceSection m={m} id={id} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function ServiceSection({ m, id }: { m: Meeting; id: string }) {
  const { t, i18n } = useTranslation();
  return (
            <Section title={t('outreach.card.service')} id="meeting-service">
              <dl className={`${classes.list} ${classes.small}`}>
                <Field label={t('outreach.card.id')}>
                  <span className={classes.code}>{id}</span>
                </Field>
                <Field label={t('outreach.card.updateTime')}>{formatDateTime(m.updateTime, i18n.language) || '—'}</Field>
                <Field label={t('outreach.card.etag')}>
                  <span className={classes.code}>{m.etag || '—'}</span>
                </Field>
              </dl>
            </Section>
  );
}

function BackLink({ m }: { m?: Meeting }) {
  const { t } = useTranslation();
  const month = m?.startTime ? monthKey(cityDateOf(new Date(m.startTime))) : '';
  return (
    <Anchor component={Link} to={month ? `/meetings?month=${month}` : '/meetings'} size="sm">
      <Group gap={4}>
        <ChevronLeft />
        {t('outreach.card.back')}
      </Group>
    </Anchor>
  );
}

function MainSection({ m }: { m: Meeting }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const plan = planId(m.plan);
  const parsed = parsePlanId(plan);
  return (
    <Section title={t('outreach.card.main')} id="meeting-main">
      <dl className={classes.list}>
        <Field label={t('outreach.card.when')}>
          <Text size="sm" fw={600} span data-testid="meeting-when">
            {formatWhen(m, lang)}
          </Text>
        </Field>
        {m.previousStartTime && <Field label={t('outreach.card.previousStart')}>{formatDateTime(m.previousStartTime, lang)}</Field>}
        {m.stateReason && <Field label={t('outreach.card.stateReason')}>{m.stateReason}</Field>}
        <Field label={t('outreach.card.speakers')}>
          <Stack gap={4}>
            {(m.speakerDetails?.length ? m.speakerDetails : (m.speakers ?? []).map((s) => ({ official: s, fullName: s, position: '' }))).map((s) => (
              <div key={s.official}>
                <Text size="sm" fw={500}>
                  {s.fullName}
                </Text>
                {s.position && (
                  <Text size="xs" c="dimmed">
                    {s.position}
                  </Text>
                )}
                {s.official && (
                  <FeedLink href={feeds.speaker(s.official)}>
                    <Text span size="xs">
                      {t('outreach.feeds.speakerIcs')}
                    </Text>
                  </FeedLink>
                )}
              </div>
            ))}
          </Stack>
        </Field>
        {m.audience && <Field label={t('outreach.card.audience')}>{m.audience}</Field>}
        <Field label={t('outreach.card.district')}>{m.districtDisplayName || m.district || t('outreach.cityWide')}</Field>
        <Field label={t('outreach.card.venue')}>{m.venue}</Field>
        <Field label={t('outreach.card.department')}>
          {m.departmentDisplayName || m.department}
          {m.department && (
            <FeedLink href={feeds.department(m.department)}>
              <Text span size="xs">
                {t('outreach.feeds.departmentIcsOf')}
              </Text>
            </FeedLink>
          )}
        </Field>
        <Field label={t('outreach.card.plan')}>
          {plan && parsed ? (
            <Anchor component={Link} to={`/meetings/plans/${plan}`} size="sm" data-testid="meeting-plan-link">
              {parsed.election ? t('outreach.plan.titleElection', { month: formatMonthLong(parsed.month.year, parsed.month.month, lang) }) : t('outreach.plan.title', { month: formatMonthLong(parsed.month.year, parsed.month.month, lang) })}
            </Anchor>
          ) : (
            t('outreach.card.unscheduled')
          )}
        </Field>
        {(m.organiserName || m.organiser) && <Field label={t('outreach.card.organiser')}>{m.organiserName || m.organiser}</Field>}
      </dl>
    </Section>
  );
}

function ReportSection({ m }: { m: Meeting }) {
  const { t, i18n } = useTranslation();
  const r = m.report!;
  return (
    <Section title={t('outreach.card.report')} id="meeting-report" testId="meeting-report">
      <dl className={classes.list}>
        <Field label={t('outreach.card.attendance')}>
          <Text size="sm" fw={700} span data-testid="attendance">
            {(r.attendance ?? 0).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ru-RU')}
          </Text>
        </Field>
        {r.summary && (
          <Field label={t('outreach.card.summary')}>
            <Text size="sm" className={classes.text}>
              {r.summary}
            </Text>
          </Field>
        )}
        {(r.materials?.length ?? 0) > 0 && (
          <Field label={t('outreach.card.materials')}>
            <Stack gap={2}>
              {r.materials!.map((x, i) =>
                x.uri ? (
                  <Anchor key={i} href={x.uri} target="_blank" rel="noopener noreferrer" size="sm">
                    {x.title}
                  </Anchor>
                ) : (
                  <Text key={i} size="sm">
                    {x.title}
                  </Text>
                ),
              )}
            </Stack>
          </Field>
        )}
        <Field label={t('outreach.card.reporter')}>{[r.reporterName || r.reporter, formatDateTime(r.reportTime, i18n.language)].filter(Boolean).join(' · ')}</Field>
      </dl>
    </Section>
  );
}

function QuestionsSection({ m }: { m: Meeting }) {
  const { t } = useTranslation();
  const id = meetingId(m.name);
  // The list endpoint has the questions' current state (appeal registered, answered).
  const q = useQuestions(id);
  const list = q.data ?? m.report?.questions ?? [];
  return (
    <Section title={t('outreach.card.questions')} id="meeting-questions" testId="meeting-questions">
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('outreach.card.questionsNone')}
        </Text>
      ) : (
        <Stack gap="sm">
          {list.map((x, i) => (
            <QuestionItem key={x.name ?? i} q={x} n={i + 1} />
          ))}
        </Stack>
      )}
    </Section>
  );
}

function QuestionItem({ q, n }: { q: Question; n: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const classifier = useClassifier().data;
  const entry = classifier ? classifierPath(classifier, q.classifierCode).slice(-1)[0] : undefined;
  const follow = isFollowUp(q);
  const step = questionStep(q);
  const narrow = useMediaQuery('(max-width: 40em)');
  const result = q.appealAnswerResult && q.appealAnswerResult !== 'ANSWER_RESULT_UNSPECIFIED' ? q.appealAnswerResult.replace(/^ANSWER_RESULT_/, '') : '';
  return (
    <Paper withBorder radius="sm" p="sm" data-testid="question" data-state={q.state}>
      <Text size="xs" c="dimmed">
        {t('outreach.report.questionN', { n })} · <span className={classes.code}>{q.classifierCode}</span> {q.classifierDisplayName || entry?.name || ''}
      </Text>
      <Text size="sm" className={classes.text} mt={2}>
        {q.text}
      </Text>
      {!follow ? (
        <>
          <Text size="xs" c="teal.8" mt={6} fw={600}>
            {t('outreach.card.answeredOnSpot')}
          </Text>
          {q.answer && (
            <Text size="sm" className={classes.text}>
              {q.answer}
            </Text>
          )}
        </>
      ) : (
        <>
          <Text size="xs" c="dimmed" mt={6}>
            {q.departmentDisplayName || q.department ? t('outreach.card.followUp', { department: q.departmentDisplayName || q.department }) : t('outreach.card.followUpOrganiser')}
          </Text>
          <Stepper active={step + 1} size="xs" orientation={narrow ? 'vertical' : 'horizontal'} mt="xs" allowNextStepsSelect={false} data-testid="question-progress">
            <Stepper.Step label={t('outreach.card.stepReferred')} />
            <Stepper.Step
              label={t('outreach.card.stepRegistered')}
              description={
                q.appeal ? (
                  <Anchor component={Link} to={`/${q.appeal}`} size="xs" data-testid="question-appeal">
                    {t('outreach.card.appealLink', { number: q.appealRegistrationNumber || q.appeal.replace(/^appeals\//, '').slice(0, 8) })}
                  </Anchor>
                ) : undefined
              }
            />
            <Stepper.Step
              label={t('outreach.card.stepAnswered')}
              description={
                q.appealAnswerTime ? (
                  <span data-testid="question-answer">
                    {[formatDateTime(q.appealAnswerTime, lang), result ? t(`answerResults.${result}`, { defaultValue: result }) : '', q.appealAnsweredOnTime ? t('outreach.card.answeredOnTime') : t('outreach.card.answeredLate')]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                ) : undefined
              }
            />
          </Stepper>
        </>
      )}
    </Paper>
  );
}

function HistorySection({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useMeetingChanges(id);
  const list = q.data ?? [];
  return (
    <Section title={t('outreach.card.history')} id="meeting-history" testId="meeting-history">
      {q.isPending ? (
        <Loader size="sm" />
      ) : q.isError ? (
        <Text size="xs" c="dimmed">
          {t('outreach.card.historyUnavailable')}
        </Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} active={list.length - 1}>
          {list.map((c, i) => (
            <Timeline.Item key={`${c.time}-${i}`}>
              <ChangeNote c={c} withTopic={false} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Section>
  );
}

/* ------------------------------------------------------------------ actions */

function ActionsPanel({ m }: { m: Meeting }) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const now = useNow();
  const navigate = useNavigate();
  const id = meetingId(m.name);
  const actions = meetingActions(p, m, now);
  const mutation = useMeetingStep(id);
  const [open, setOpen] = useState<MeetingAction | null>(null);
  const [seenEtag, setSeenEtag] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const run = (step: MeetingStep, done?: () => void) => {
    setNotice(null);
    mutation.mutate(
      { etag: seenEtag, step },
      {
        onSuccess: () => {
          done?.();
          setOpen(null);
          if (step.kind === 'delete') {
            const month = m.startTime ? monthKey(cityDateOf(new Date(m.startTime))) : '';
            navigate(m.plan ? `/meetings/plans/${planId(m.plan)}` : `/meetings?month=${month}`, { replace: true });
            return;
          }
          setNotice({ kind: 'done', action: step.kind });
        },
        onError: (e) => {
          if (isStale(e)) {
            setOpen(null);
            setNotice({ kind: 'conflict' });
          }
        },
      },
    );
  };
  const runs = runsMeeting(p, m);
  const open_ = (a: MeetingAction) => {
    mutation.reset();
    setNotice(null);
    setSeenEtag(m.etag ?? '');
    setOpen(a);
  };
  const planFrozen = m.planState === 'MEETING_PLAN_STATE_SUBMITTED';
  const waiting = runs && !actions.includes('report') && (m.state === 'MEETING_STATE_PLANNED' || m.state === 'MEETING_STATE_POSTPONED');
  const dialogError = mutation.error && !isStale(mutation.error) ? mutation.error : null;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="meeting-actions" data-testid="meeting-actions">
      <Stack gap="sm">
        <Title order={2} size="h4" id="meeting-actions">
          {t('outreach.actions.title')}
        </Title>
        {notice && (
          <div ref={noticeRef} tabIndex={-1} style={{ outline: 'none' }}>
            {notice.kind === 'done' && (
              <Alert color="teal" variant="light" role="status" data-testid="meeting-done" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')}>
                {t(`outreach.actions.done.${notice.action}`)}
              </Alert>
            )}
            {notice.kind === 'conflict' && (
              <Alert color="orange" variant="light" role="alert" title={t('outreach.actions.conflictTitle')} data-testid="meeting-conflict" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')}>
                {t('outreach.actions.conflict')}
              </Alert>
            )}
            {notice.kind === 'refused' && <Refusal error={notice.error} reasons="outreach.reasons" />}
          </div>
        )}
        {!runs ? (
          <Text size="sm" c="dimmed" data-testid="meeting-read-only">
            {t('outreach.actions.readOnly')}
          </Text>
        ) : actions.length === 0 ? (
          planFrozen ? null : <Text size="sm" c="dimmed" data-testid="meeting-actions-none">
            {t('outreach.actions.noneNow')}
          </Text>
        ) : (
          <>
            <Group gap="xs">
              {actions.map((a) => (
                <Button key={a} size="sm" variant={a === 'report' ? 'filled' : 'default'} color={a === 'delete' || a === 'cancel' ? 'red' : undefined} data-testid={`meeting-${a}`} onClick={() => open_(a)}>
                  {t(`outreach.actions.${a}`)}
                </Button>
              ))}
            </Group>
            {waiting && (
              <Text size="xs" c="dimmed">
                {t('outreach.actions.notYet')}
              </Text>
            )}
          </>
        )}
        {runs && planFrozen && (
          <Text size="sm" c="dimmed" data-testid="meeting-frozen">
            {t('outreach.actions.frozen')}
          </Text>
        )}
      </Stack>
      {open === 'report' && <ReportDialog meeting={m} pending={mutation.isPending} error={dialogError} onSubmit={run} onClose={() => setOpen(null)} />}
      {open === 'edit' && (
        <MeetingDialog
          mode="edit"
          meeting={m}
          planMonth={parsePlanId(planId(m.plan))?.month ?? null}
          onClose={() => setOpen(null)}
          onConflict={() => {
            setOpen(null);
            setNotice({ kind: 'conflict' });
          }}
          onDone={() => {
            setOpen(null);
            setNotice({ kind: 'done', action: 'edit' });
          }}
        />
      )}
      {(open === 'cancel' || open === 'delete') && <ReasonDialog kind={open} m={m} pending={mutation.isPending} error={dialogError} onSubmit={run} onClose={() => setOpen(null)} />}
      {open === 'postpone' && <PostponeDialog m={m} pending={mutation.isPending} error={dialogError} onSubmit={run} onClose={() => setOpen(null)} />}
    </Paper>
  );
}

interface StepDialogProps {
  m: Meeting;
  pending: boolean;
  error: unknown;
  onSubmit: (s: MeetingStep, done: () => void) => void;
  onClose: () => void;
}

function DialogButtons({ pending, label, onClose, danger }: { pending: boolean; label: string; onClose: () => void; danger?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onClose} disabled={pending}>
        {t('outreach.actions.back')}
      </Button>
      <Button type="submit" loading={pending} color={danger ? 'red' : undefined} data-testid="meeting-step-submit">
        {label}
      </Button>
    </Group>
  );
}

const serverField = (error: unknown, name: string) =>
  error instanceof ApiError
    ? error.violations
        .filter((v) => v.field === name || v.field.endsWith(`.${name}`))
        .map((v) => v.description)
        .join('; ') || undefined
    : undefined;

function ReasonDialog({ kind, m, pending, error, onSubmit, onClose }: StepDialogProps & { kind: 'cancel' | 'delete' }) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const d = useDraft(`${p.login}:meeting:${kind}:${meetingId(m.name)}`, () => ({ reason: '' }));
  const [touched, setTouched] = useState(false);
  const shown = error && !(error instanceof SessionExpiredError) ? error : null;
  return (
    <Modal opened onClose={() => !pending && onClose()} title={t(`outreach.actions.titles.${kind}`)} centered data-testid={`dialog-${kind}`}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (kind === 'cancel' && !d.values.reason.trim()) return;
          onSubmit(kind === 'cancel' ? { kind, reason: d.values.reason.trim() } : { kind: 'delete' }, d.clear);
        }}
      >
        <Stack gap="sm">
          {kind === 'delete' ? (
            <Text size="sm">{t('outreach.actions.deleteConfirm', { topic: m.topic })}</Text>
          ) : (
            <Textarea
              label={t('outreach.actions.reason')}
              required
              autosize
              minRows={3}
              value={d.values.reason}
              onChange={(e) => {
                const x = e.currentTarget.value;
                d.setValues({ reason: x });
              }}
              error={(touched && !d.values.reason.trim() ? t('actions.required') : undefined) ?? serverField(error, 'reason')}
              data-autofocus
            />
          )}
          {shown ? <Refusal error={shown} reasons="outreach.reasons" /> : null}
          <DialogButtons pending={pending} label={t(`outreach.actions.${kind}`)} onClose={onClose} danger />
        </Stack>
      </form>
    </Modal>
  );
}

function PostponeDialog({ m, pending, error, onSubmit, onClose }: StepDialogProps) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const d = useDraft(`${p.login}:meeting:postpone:${meetingId(m.name)}`, () => ({ date: m.startTime ? isoDate(cityDateOf(new Date(m.startTime))) : '', start: formatTime(m.startTime), end: '', reason: '' }));
  const v = d.values;
  const [touched, setTouched] = useState(false);
  const start = v.date && v.start ? parseCityDateTimeLocal(`${v.date}T${v.start}`) : null;
  const end = v.date && v.end ? parseCityDateTimeLocal(`${v.date}T${v.end}`) : null;
  const same = !!start && !!m.startTime && start.getTime() === new Date(m.startTime).getTime();
  const errs = {
    date: !v.date ? t('actions.required') : undefined,
    start: !v.start ? t('actions.required') : !start ? t('outreach.form.badTime') : same ? t('outreach.actions.sameTime') : undefined,
    end: v.end && (!end || (start && end.getTime() <= start.getTime())) ? t('outreach.form.endBeforeStart') : undefined,
    reason: !v.reason.trim() ? t('actions.required') : undefined,
  };
  const shown = error && !(error instanceof SessionExpiredError) ? error : null;
  const set = (k: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    const x = e.currentTarget.value;
    d.setValues((s) => ({ ...s, [k]: x }));
  };
  return (
    <Modal opened onClose={() => !pending && onClose()} title={t('outreach.actions.titles.postpone')} centered size="lg" data-testid="dialog-postpone">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (Object.values(errs).some(Boolean) || !start) return;
          onSubmit({ kind: 'postpone', startTime: start.toISOString(), ...(end ? { endTime: end.toISOString() } : {}), reason: v.reason.trim() }, d.clear);
        }}
      >
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {formatWhen(m, 'ru')}
          </Text>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <TextInput type="date" label={t('outreach.actions.newDate')} required value={v.date} onChange={set('date')} error={(touched ? errs.date : undefined) ?? serverField(error, 'start_time')} data-autofocus />
            <TextInput type="time" label={t('outreach.actions.newStart')} required value={v.start} onChange={set('start')} error={touched ? errs.start : undefined} />
            <TextInput type="time" label={t('outreach.actions.newEnd')} value={v.end} onChange={set('end')} error={(touched ? errs.end : undefined) ?? serverField(error, 'end_time')} />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('outreach.form.timeNote')}
          </Text>
          <Textarea label={t('outreach.actions.reason')} required autosize minRows={2} value={v.reason} onChange={set('reason')} error={(touched ? errs.reason : undefined) ?? serverField(error, 'reason')} />
          {shown ? <Refusal error={shown} reasons="outreach.reasons" /> : null}
          <DialogButtons pending={pending} label={t('outreach.actions.postpone')} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
