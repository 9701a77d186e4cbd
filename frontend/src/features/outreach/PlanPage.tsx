import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { MeetingPlan } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ChevronLeft, ChevronRight } from '../../components/icons';
import { PageTitle } from '../../components/PageTitle';
import { Refusal } from '../../components/Refusal';
import { formatDateTime } from '../../lib/time';
import { shortDepartmentName } from '../../reference/reference';
import { addMonths, monthKey } from './calendar';
import { ChangeNote } from './ChangeNote';
import { MeetingDialog } from './MeetingDialog';
import { type PlanAction, meetingId, parsePlanId, planActions, planIdOf } from './model';
import { MeetingStateBadge, OverdueBadge, PlanStateBadge, formatMonthLong, formatWhen } from './parts';
import { type PlanStep, isStale, usePlan, usePlanChanges, usePlanMeetings, usePlanStep } from './queries';
import './texts';

type Notice = { kind: 'done'; action: PlanAction } | { kind: 'conflict' } | null;

/**
 * A month's consolidated plan of meetings (or an election period's additional schedule): every
 * department's proposals, the plan's state and the steps the user may take on it (propose,
 * submit to the vice-mayor, approve, return with comments), and its change log.
 */
export default function PlanPage() {
  const { plan: id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const parsed = parsePlanId(id);
  const principal = usePrincipal();
  const plan = usePlan(id);
  const meetings = usePlanMeetings(id);
  const [notice, setNotice] = useState<Notice>(null);
  const [open, setOpen] = useState<PlanAction | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  if (!parsed) {
    return (
      <Stack>
        <PageTitle>{t('app.notFound')}</PageTitle>
        <Text>{t('app.notFoundText')}</Text>
      </Stack>
    );
  }
  const monthName = formatMonthLong(parsed.month.year, parsed.month.month, lang);
  const title = parsed.election ? t('outreach.plan.titleElection', { month: monthName }) : t('outreach.plan.title', { month: monthName });
  const p = plan.data ?? null;
  const list = meetings.data ?? [];
  const actions = plan.isSuccess ? planActions(principal, p) : [];
  const sibling = (n: number) => `/meetings/plans/${planIdOf(addMonths(parsed.month, n), parsed.election)}`;

  return (
    <Stack gap="md">
      <Group gap="xs">
        <Anchor component={Link} to={`/meetings?month=${monthKey(parsed.month)}`} size="sm">
          <Group gap={4}>
            <ChevronLeft />
            {t('outreach.plan.toCalendar')}
          </Group>
        </Anchor>
      </Group>
      <Group justify="space-between" align="center" gap="sm">
        <Group gap="sm">
          <PageTitle documentTitle={title}>{title}</PageTitle>
          {plan.isSuccess && <PlanStateBadge state={p?.state ?? 'MEETING_PLAN_STATE_UNSPECIFIED'} />}
          {(p?.revision ?? 0) > 0 && (
            <Badge variant="outline" color="gray" radius="sm" style={{ textTransform: 'none' }} data-testid="plan-revision">
              {t('outreach.plan.revision', { revision: p!.revision })}
            </Badge>
          )}
        </Group>
        <Group gap={4}>
          <Button component={Link} to={sibling(-1)} variant="subtle" size="xs" leftSection={<ChevronLeft />} aria-label={t('outreach.plan.prev')}>
            {formatMonthLong(addMonths(parsed.month, -1).year, addMonths(parsed.month, -1).month, lang)}
          </Button>
          <Button component={Link} to={sibling(1)} variant="subtle" size="xs" rightSection={<ChevronRight />} aria-label={t('outreach.plan.next')}>
            {formatMonthLong(addMonths(parsed.month, 1).year, addMonths(parsed.month, 1).month, lang)}
          </Button>
        </Group>
      </Group>
      {plan.isError && <ErrorAlert error={plan.error} onRetry={() => void plan.refetch()} />}
      {p?.state === 'MEETING_PLAN_STATE_RETURNED' && (
        <Alert color="orange" variant="light" title={t('outreach.plan.returned')} data-testid="plan-returned">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {p.returnComment}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {formatDateTime(p.returnTime, lang)}
          </Text>
        </Alert>
      )}
      {p?.state === 'MEETING_PLAN_STATE_SUBMITTED' && !actions.includes('approve') && (
        <Alert color="indigo" variant="light" data-testid="plan-frozen">
          {t('outreach.plan.frozen')}
        </Alert>
      )}
      {p && (p.submitTime || p.approveTime) && (
        <Text size="sm" c="dimmed" data-testid="plan-steps">
          {p.submitTime && t('outreach.plan.submittedBy', { who: p.submitter, time: formatDateTime(p.submitTime, lang) })}
          {p.submitTime && p.approveTime ? ' · ' : ''}
          {p.approveTime && t('outreach.plan.approvedBy', { who: p.approverName || p.approver, time: formatDateTime(p.approveTime, lang) })}
        </Text>
      )}
      {(actions.length > 0 || notice) && (
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="plan-actions" data-testid="plan-actions">
          <Stack gap="sm">
            <Title order={2} size="h4" id="plan-actions">
              {t('outreach.planActions.title')}
            </Title>
            {notice && (
              <div ref={noticeRef} tabIndex={-1} style={{ outline: 'none' }}>
                {notice.kind === 'done' ? (
                  <Alert color="teal" variant="light" role="status" data-testid="plan-done" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')}>
                    {t(`outreach.planActions.done.${notice.action}`)}
                  </Alert>
                ) : (
                  <Alert color="orange" variant="light" role="alert" data-testid="plan-conflict" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')}>
                    {t('outreach.planActions.conflict')}
                  </Alert>
                )}
              </div>
            )}
            <Group gap="xs">
              {actions.map((a) => (
                <Button
                  key={a}
                  size="sm"
                  variant={a === 'approve' || a === 'submit' ? 'filled' : a === 'return' ? 'light' : 'default'}
                  color={a === 'return' ? 'orange' : undefined}
                  data-testid={`plan-${a}`}
                  onClick={() => {
                    setNotice(null);
                    setOpen(a);
                  }}
                >
                  {t(`outreach.planActions.${a}`)}
                </Button>
              ))}
            </Group>
          </Stack>
        </Paper>
      )}
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="plan-meetings">
        <Title order={2} size="h4" id="plan-meetings">
          {t('outreach.plan.consolidated')}
        </Title>
        <Text size="xs" c="dimmed" mb="sm">
          {t('outreach.plan.consolidatedHint')} {t('app.timeZoneNote')}.
        </Text>
        {meetings.isError && <ErrorAlert error={meetings.error} onRetry={() => void meetings.refetch()} />}
        {meetings.isPending ? (
          <Loader aria-label={t('app.loading')} />
        ) : list.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="plan-empty">
            {plan.data ? t('outreach.plan.empty') : t('outreach.plan.notOpened')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing={6} striped highlightOnHover data-testid="plan-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={150}>{t('outreach.plan.when')}</Table.Th>
                  <Table.Th>{t('outreach.plan.topic')}</Table.Th>
                  <Table.Th>{t('outreach.plan.speakers')}</Table.Th>
                  <Table.Th>{t('outreach.plan.audience')}</Table.Th>
                  <Table.Th>{t('outreach.plan.venue')}</Table.Th>
                  <Table.Th>{t('outreach.plan.department')}</Table.Th>
                  <Table.Th w={130}>{t('outreach.plan.state')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.map((m) => (
                  <Table.Tr key={m.name} data-meeting={meetingId(m.name)}>
                    <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>
                      <Text size="sm">{formatWhen(m, lang)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/meetings/${meetingId(m.name)}`} size="sm" fw={500}>
                        {m.topic}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{(m.speakerDetails ?? []).map((s) => s.fullName).join(', ') || (m.speakers ?? []).length}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{m.audience}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{m.venue}</Text>
                      <Text size="xs" c="dimmed">
                        {m.districtDisplayName || (m.district ? m.district : t('outreach.cityWide'))}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{m.departmentDisplayName ? shortDepartmentName(m.departmentDisplayName) : m.department}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <MeetingStateBadge state={m.state} />
                        {m.reportOverdue && <OverdueBadge />}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {p && <ChangesSection id={id} />}
      {open === 'propose' && (
        <MeetingDialog
          mode="create"
          plan={id}
          planLabel={title}
          planMonth={parsed.month}
          defaultDate={`${monthKey(parsed.month)}-01`}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            setNotice({ kind: 'done', action: 'propose' });
          }}
        />
      )}
      {open && open !== 'propose' && (
        <PlanStepDialog
          id={id}
          kind={open}
          plan={p}
          count={list.length}
          onClose={() => setOpen(null)}
          onDone={(n) => {
            setOpen(null);
            setNotice(n);
          }}
        />
      )}
    </Stack>
  );
}

function PlanStepDialog({ id, kind, plan, count, onClose, onDone }: { id: string; kind: Exclude<PlanAction, 'propose'>; plan: MeetingPlan | null; count: number; onClose: () => void; onDone: (n: Notice) => void }) {
  const { t } = useTranslation();
  const mutation = usePlanStep(id);
  // The version on screen when the dialog opened: a change since then is a conflict.
  const [etag] = useState(plan?.etag ?? '');
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const step: PlanStep = kind === 'return' ? { kind, comment: comment.trim() } : { kind };
  return (
    <Modal opened onClose={() => !mutation.isPending && onClose()} title={t(`outreach.planActions.${kind}`)} centered size="md" data-testid={`dialog-plan-${kind}`}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (kind === 'return' && !comment.trim()) return;
          mutation.mutate(
            { etag, step },
            {
              onSuccess: () => onDone({ kind: 'done', action: kind }),
              onError: (err) => {
                if (isStale(err)) onDone({ kind: 'conflict' });
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          {kind === 'return' ? (
            <Textarea
              label={t('outreach.planActions.returnComment')}
              description={t('outreach.planActions.returnHint')}
              required
              autosize
              minRows={3}
              maxRows={10}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              error={touched && !comment.trim() ? t('actions.required') : undefined}
              data-autofocus
            />
          ) : (
            <Text size="sm">{t(`outreach.planActions.${kind}Confirm`, { count })}</Text>
          )}
          {mutation.error && !isStale(mutation.error) ? <Refusal error={mutation.error} reasons="outreach.reasons" /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={mutation.isPending}>
              {t('outreach.actions.back')}
            </Button>
            <Button type="submit" loading={mutation.isPending} color={kind === 'return' ? 'orange' : undefined} data-testid="plan-step-submit">
              {t(`outreach.planActions.${kind}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ChangesSection({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = usePlanChanges(id);
  const [afterOnly, setAfterOnly] = useState(false);
  const list = (q.data ?? []).filter((c) => !afterOnly || (c.planRevision ?? 0) > 0);
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="plan-changes" data-testid="plan-changes">
      <Group justify="space-between" mb={4}>
        <Title order={2} size="h4" id="plan-changes">
          {t('outreach.plan.changes')}
        </Title>
        <Button size="compact-xs" variant={afterOnly ? 'filled' : 'default'} onClick={() => setAfterOnly((x) => !x)} aria-pressed={afterOnly}>
          {t('outreach.plan.changesAfter')}
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {t('outreach.plan.changesHint')}
      </Text>
      {q.isError && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending ? (
        <Loader size="sm" />
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('outreach.plan.changesNone')}
        </Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} active={list.length - 1}>
          {list.map((c, i) => (
            <Timeline.Item key={`${c.time}-${i}`} data-kind={c.kind}>
              <ChangeNote c={c} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Paper>
  );
}
