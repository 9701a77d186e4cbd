import { Alert, Anchor, Button, Grid, Group, Loader, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { Suspense, lazy, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import type { Appeal, AppealHistoryEntry } from '../../api/types';
import { appealId } from '../../api/types';
import { PageTitle } from '../../components/PageTitle';
import { CardLoadState } from '../../components/CardLoadState';
import { ChevronLeft } from '../../components/icons';
import { usePrincipal } from '../../auth/AuthContext';
import { canRegister } from '../../auth/principal';
import { type CalendarDate, cityDateOf, compareDates, formatCalendarDate, formatDateTime, toCalendarDate } from '../../lib/time';
import { useToday } from '../../lib/useToday';
import { classifierPath } from '../../reference/classifier';
import { shortDepartmentName, useClassifier, useDepartments, useDistricts } from '../../reference/reference';
import { AppealLink } from './AppealLink';
import { ActionsPanel } from './actions/ActionsPanel';
import { ApplicantSection } from './ApplicantSection';
import { AttachmentsSection } from './AttachmentsSection';
import { AnswerDeadline } from './Deadline';
import { localizeNote } from './historyNotes';
import { OPEN_STATES, shortChannel } from './model';
import { useAppeal, useAppealHistory } from './queries';
import { StateBadge } from './StateBadge';
import { parseQuestionSource } from '../outreach/model';

import classes from './AppealCard.module.css';

// Only an appeal from a meeting's question needs it (and the meetings' texts).
const QuestionSource = lazy(() => import('../outreach/QuestionSource'));

export default function AppealCardPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const q = useAppeal(id);
  const location = useLocation();
  const registered = (location.state as { registered?: boolean } | null)?.registered;
  const principal = usePrincipal();

  if (q.isPending || q.isError) {
    return (
      <CardLoadState query={q} title={t('card.titleLoading')} notFoundTitle={t('card.notFound')} notFoundText={t('card.notFoundText')} back={<BackLink />} />
    );
  }
  const a = q.data;
  return (
    <Stack gap="md">
      <BackLink />
      <Group justify="space-between" align="center" gap="sm">
        <Group gap="sm" align="center">
          <PageTitle documentTitle={t('card.title', { number: a.registrationNumber })}>
            {t('card.title', { number: '' })}
            <span style={{ whiteSpace: 'nowrap' }}>{a.registrationNumber}</span>
          </PageTitle>
          <span data-testid="card-state">
            <StateBadge state={a.state} />
          </span>
        </Group>
      </Group>
      {registered && (
        <Alert color="teal" variant="light" role="status">
          <Group justify="space-between">
            <Text size="sm">{t('card.registeredNotice', { number: a.registrationNumber })}</Text>
            {canRegister(principal) && (
              <Button component={Link} to="/appeals/new" size="xs" variant="light" color="teal">
                {t('card.registerAnother')}
              </Button>
            )}
          </Group>
        </Alert>
      )}
      <ActionsPanel appeal={a} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <MainSection a={a} />
            <TextSection a={a} />
            <ApplicantSection appeal={a} />
            <AttachmentsSection appeal={a} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <DeadlinesSection a={a} />
            <OutcomeSection a={a} />
            <HistorySection a={a} />
            <ServiceSection a={a} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} to="/appeals" size="sm">
      <Group gap={4}>
        <ChevronLeft />
        {t('card.back')}
      </Group>
    </Anchor>
  );
}

function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" mb="sm" id={id}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className={classes.field}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function MainSection({ a }: { a: Appeal }) {
  const { t, i18n } = useTranslation();
  const districts = useDistricts().data;
  const departments = useDepartments().data;
  const classifier = useClassifier().data;
  const channel = shortChannel(a.channel ?? 'CHANNEL_UNSPECIFIED');
  const meetingQuestion = parseQuestionSource(a.source);
  const dept = departments?.find((d) => d.code === a.department);
  return (
    <Section title={t('card.main')} id="card-main">
      <dl className={classes.list}>
        <Field label={t('card.number')}>
          <Text fw={700} span>
            {a.registrationNumber}
          </Text>
        </Field>
        <Field label={t('card.state')}>
          <StateBadge state={a.state} />
        </Field>
        <Field label={t('card.channel')}>{t(`channels.${channel}`, { defaultValue: channel })}</Field>
        <Field label={t('card.receiveTime')}>{formatDateTime(a.receiveTime, i18n.language) || '—'}</Field>
        <Field label={t('card.registerTime')}>{formatDateTime(a.registerTime, i18n.language) || '—'}</Field>
        <Field label={t('card.district')}>{districts?.find((d) => d.code === a.district)?.name ?? (a.district || t('form.districtNone'))}</Field>
        <Field label={t('card.department')}>
          {a.departmentDisplayName || dept?.name || a.department || '—'}
          {a.department && (
            <Text span size="xs" c="dimmed" ml={6}>
              ({a.department})
            </Text>
          )}
        </Field>
        <Field label={t('card.collective')}>{a.collective ? t('card.collectiveYes', { count: a.signatories ?? 0 }) : t('common.no')}</Field>
        {a.anonymous && <Field label={t('card.applicant')}>{t('card.anonymous')}</Field>}
        {a.addressee && <Field label={t('card.addressee')}>{a.addressee}</Field>}
        {a.executor && <Field label={t('card.executor')}>{a.executor}</Field>}
        {(a.coExecutors?.length ?? 0) > 0 && (
          <Field label={t('card.coExecutors')}>
            <Stack gap={2} data-testid="co-executors">
              {a.coExecutors!.map((code) => {
                const d = departments?.find((x) => x.code === code);
                return (
                  <span key={code}>
                    {d ? shortDepartmentName(d.name) : code}
                    {d && (
                      <Text span size="xs" c="dimmed" ml={6}>
                        ({code})
                      </Text>
                    )}
                  </span>
                );
              })}
            </Stack>
          </Field>
        )}
        {a.repeated && (
          <Field label={t('card.repeated')}>
            <AppealLinks names={a.previousAppeals} fallback={t('common.yes')} />
          </Field>
        )}
        {a.duplicateOf && (
          <Field label={t('card.duplicateOf')}>
            <AppealLinks names={[a.duplicateOf]} />
          </Field>
        )}
        {(a.relatedAppeals?.length ?? 0) > 0 && (
          <Field label={t('card.related')}>
            <AppealLinks names={a.relatedAppeals} />
          </Field>
        )}
        {a.receptionCard && (
          <Field label={t('card.receptionCard')}>
            {[a.receptionCard.official, formatCalendarDate(a.receptionCard.receptionDate, i18n.language), a.receptionCard.oralAnswerConsented ? t('card.oralConsent') : '']
              .filter(Boolean)
              .join(' · ')}
            {a.receptionCard.summary && <Text size="sm">{a.receptionCard.summary}</Text>}
          </Field>
        )}
        {a.source && (
          <Field label={t('card.source')}>
            {meetingQuestion ? (
              <Suspense fallback={<Loader size="xs" />}>
                <QuestionSource meeting={meetingQuestion.meeting} question={meetingQuestion.question} />
              </Suspense>
            ) : (
              a.source
            )}
          </Field>
        )}
        <Field label={t('card.classifier')}>
          <Stack gap={8}>
            {(a.classifierCodes ?? []).map((code) => {
              const path = classifier ? classifierPath(classifier, code) : [];
              const entry = path[path.length - 1];
              return (
                <div key={code}>
                  <Text size="sm">
                    <span className={classes.code}>{code}</span> {entry?.name ?? (classifier ? t('classifier.unknown') : '')}
                  </Text>
                  {path.length > 1 && (
                    <Text size="xs" c="dimmed">
                      {path
                        .slice(0, -1)
                        .map((p) => p.name)
                        .join(' › ')}
                    </Text>
                  )}
                </div>
              );
            })}
          </Stack>
        </Field>
      </dl>
    </Section>
  );
}

function TextSection({ a }: { a: Appeal }) {
  const { t } = useTranslation();
  return (
    <Section title={t('card.text')} id="card-text">
      <Text className={classes.text}>{a.text}</Text>
    </Section>
  );
}

function DeadlinesSection({ a }: { a: Appeal }) {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const due = toCalendarDate(a.registerDueDate);
  const registeredOn: CalendarDate | null = a.registerTime ? cityDateOf(new Date(a.registerTime)) : null;
  const onTime = due && registeredOn ? compareDates(registeredOn, due) <= 0 : null;
  const forwardDue = toCalendarDate(a.forwardDueDate);
  const forwardPassed = !!forwardDue && compareDates(today, forwardDue) > 0 && OPEN_STATES.includes(a.state ?? 'APPEAL_STATE_UNSPECIFIED');
  return (
    <Section title={t('card.deadlines')} id="card-deadlines">
      <dl className={`${classes.list} ${classes.stacked}`}>
        <Field label={t('card.answerDue')}>
          <AnswerDeadline appeal={a} today={today} />
        </Field>
        {a.extension && (a.extension.days ?? 0) > 0 && (
          <Field label={t('card.extension')}>
            <Text size="sm">{t('card.extensionDays', { count: a.extension.days })}</Text>
            <Text size="xs" c="dimmed">
              {[a.extension.reason, a.extension.extendedBy, formatDateTime(a.extension.extendTime, i18n.language)].filter(Boolean).join(' · ')}
            </Text>
          </Field>
        )}
        {a.forwardDueDate && (a.state === 'APPEAL_STATE_REGISTERED' || a.state === 'APPEAL_STATE_ASSIGNED' || a.state === 'APPEAL_STATE_IN_PROGRESS') && (
          <Field label={t('card.forwardDue')}>
            <Text size="sm" data-testid="forward-due-date">
              {formatCalendarDate(a.forwardDueDate, i18n.language) || '—'}
            </Text>
            {forwardPassed && (
              <Text size="xs" c="dimmed">
                {t('card.forwardDuePassed')}
              </Text>
            )}
          </Field>
        )}
        {a.forwarding && (
          <Field label={t('card.forwarded')}>
            <Text size="sm">{formatDateTime(a.forwarding.forwardTime, i18n.language)}</Text>
            <Text size="xs" c={a.forwarding.late ? 'red.8' : 'teal.8'}>
              {a.forwarding.late ? t('card.forwardedLate') : t('card.forwardedOnTime')}
            </Text>
          </Field>
        )}
        <Field label={t('card.registerDue')}>
          <Text size="sm">{formatCalendarDate(a.registerDueDate, i18n.language) || '—'}</Text>
          {onTime !== null && (
            <Text size="xs" c={onTime ? 'teal.8' : 'red.8'}>
              {onTime ? t('card.registeredOnTime') : t('card.registeredLate')}
            </Text>
          )}
        </Field>
      </dl>
    </Section>
  );
}

/** How the appeal ended so far: the answer, where it was forwarded, why it was closed. */
function OutcomeSection({ a }: { a: Appeal }) {
  const { t, i18n } = useTranslation();
  const leave = a.leaveReason && a.leaveReason !== 'LEAVE_REASON_UNSPECIFIED' ? a.leaveReason.replace(/^LEAVE_REASON_/, '') : '';
  if (!a.answer && !a.forwarding && !a.closingReason && !leave) return null;
  const result = a.answer?.result && a.answer.result !== 'ANSWER_RESULT_UNSPECIFIED' ? a.answer.result.replace(/^ANSWER_RESULT_/, '') : '';
  return (
    <Section title={t('card.outcome')} id="card-outcome">
      <dl className={`${classes.list} ${classes.stacked}`}>
        {a.answer && (
          <Field label={t('card.answer')}>
            <Text size="sm">
              {[result ? t(`answerResults.${result}`, { defaultValue: result }) : '', formatDateTime(a.answer.answerTime, i18n.language), a.answer.signer].filter(Boolean).join(' · ')}
            </Text>
            <Text size="xs" c={a.answer.onTime ? 'teal.8' : 'red.8'}>
              {a.answer.onTime ? t('card.answeredOnTime') : t('card.answeredLate')}
              {a.answer.oral ? ` · ${t('card.oral')}` : ''}
            </Text>
            {a.answer.text && <Text size="sm" className={classes.text} mt={4}>{a.answer.text}</Text>}
          </Field>
        )}
        {a.forwarding && (
          <Field label={t('card.forwarded')}>
            <Text size="sm">{[a.forwarding.body, formatDateTime(a.forwarding.forwardTime, i18n.language)].filter(Boolean).join(' · ')}</Text>
            <Text size="xs" c="dimmed">
              {a.forwarding.applicantNotified ? t('card.applicantNotified') : t('card.applicantNotNotified')}
              {a.forwarding.late ? ` · ${t('card.forwardedLate')}` : ''}
            </Text>
          </Field>
        )}
        {leave && <Field label={t('card.leaveReason')}>{t(`leaveReasons.${leave}`, { defaultValue: leave })}</Field>}
        {a.closingReason && <Field label={t('card.closingReason')}>{a.closingReason}</Field>}
      </dl>
    </Section>
  );
}

/** At most this many links to other appeals are named (each is one read). */
const MAX_LINKS = 8;

/** Links to other appeals by resource name, named by their registration numbers. */
function AppealLinks({ names, fallback = '' }: { names?: string[]; fallback?: string }) {
  const { t } = useTranslation();
  const list = (names ?? []).filter(Boolean);
  if (list.length === 0) return <>{fallback}</>;
  return (
    <Group gap="xs">
      {list.slice(0, MAX_LINKS).map((n) => (
        <AppealLink key={n} name={n} />
      ))}
      {list.length > MAX_LINKS && (
        <Text size="sm" c="dimmed">
          {t('card.moreLinks', { count: list.length - MAX_LINKS })}
        </Text>
      )}
    </Group>
  );
}


function HistorySection({ a }: { a: Appeal }) {
  const { t, i18n } = useTranslation();
  const history = useAppealHistory(appealId(a));
  // Until the history answers (or if it cannot), the registration is the first entry.
  const entries: AppealHistoryEntry[] =
    history.data && history.data.length > 0
      ? history.data
      : [{ time: a.registerTime, action: 'registered', actor: '', actorName: '', state: 'APPEAL_STATE_REGISTERED', note: '' }];
  return (
    <Section title={t('card.history')} id="card-history">
      <Timeline bulletSize={14} lineWidth={2} active={entries.length - 1} data-testid="history">
        {entries.map((e, i) => (
          <Timeline.Item
            key={`${e.time}-${i}`}
            title={
              <Text size="sm" fw={600}>
                {t(`history.${e.action}`, { defaultValue: e.action ?? '' })}
              </Text>
            }
          >
            <Text size="xs" c="dimmed">
              {formatDateTime(e.time, i18n.language)}
              {e.actorName || e.actor ? ` · ${e.actorName || e.actor}` : ''}
            </Text>
            <HistoryNote action={e.action} note={e.note} />
          </Timeline.Item>
        ))}
      </Timeline>
      {history.isError && (
        <Text size="xs" c="dimmed" mt="md" data-testid="history-unavailable">
          {t('card.historyUnavailable')}
        </Text>
      )}
    </Section>
  );
}

function HistoryNote({ action, note }: { action?: string; note?: string }) {
  const { t, i18n } = useTranslation();
  const n = localizeNote(action, note, t, i18n.language);
  if (!n.text && !n.link) return null;
  return (
    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
      {n.text}
      {n.link && (
        <>
          {' '}
          <AppealLink name={n.link} />
        </>
      )}
    </Text>
  );
}

function ServiceSection({ a }: { a: Appeal }) {
  const { t, i18n } = useTranslation();
  return (
    <Section title={t('card.service')} id="card-service">
      <dl className={`${classes.list} ${classes.small}`}>
        <Field label={t('card.id')}>
          <span className={classes.code}>{appealId(a)}</span>
        </Field>
        <Field label={t('card.updateTime')}>{formatDateTime(a.updateTime, i18n.language) || '—'}</Field>
        <Field label={t('card.etag')}>
          <span className={classes.code}>{a.etag || '—'}</span>
        </Field>
      </dl>
    </Section>
  );
}
