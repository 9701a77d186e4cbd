/**
 * The dialogs of the workflow steps: one form per step, each keeping a draft (lib/useDraft)
 * until the step is done, checking what it can before sending, and showing the server's
 * refusal (its reason and message, and the fields it names) when the service says no.
 */
import { Alert, Anchor, Autocomplete, Button, Checkbox, Group, Loader, Modal, MultiSelect, NumberInput, Radio, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, SessionExpiredError } from '../../../api/errors';
import { localizeViolation } from '../../../api/messages';
import type { Appeal, AnswerResult, LeaveReason } from '../../../api/types';
import { appealId } from '../../../api/types';
import { usePrincipal } from '../../../auth/AuthContext';
import { Refusal } from '../../../components/Refusal';
import { addDays, cityToday, compareDates, formatCalendarDate, toCalendarDate } from '../../../lib/time';
import { useDraft } from '../../../lib/useDraft';
import { useToday } from '../../../lib/useToday';
import { shortDepartmentName } from '../../../reference/reference';
import { normaliseNumber } from '../filters';
import { type ActionRequest, findByNumber, useDirectoryDepartments } from '../queries';
import { StateBadge } from '../StateBadge';
import { ANSWER_RESULTS, type ActionKind, LEAVE_REASONS, MAX_EXTENSION_DAYS } from '../workflow';

/** The steps that ask for something before they are sent ("start" needs nothing). */
export type DialogKind = Exclude<ActionKind, 'start'>;

export interface DialogProps {
  kind: DialogKind;
  appeal: Appeal;
  pending: boolean;
  /** The last refusal of this dialog's step (not a stale etag: the card handles that). */
  error: unknown;
  onSubmit: (r: ActionRequest, done: () => void) => void;
  onClose: () => void;
}

export function ActionDialog(props: DialogProps) {
  const { t } = useTranslation();
  const Form = FORMS[props.kind];
  return (
    <Modal opened onClose={props.onClose} title={t(`actions.titles.${props.kind}`)} size="lg" centered closeOnClickOutside={!props.pending} data-testid={`dialog-${props.kind}`}>
      <Form {...props} />
    </Modal>
  );
}

/* ------------------------------------------------------------------ shared parts */

/** Server field violations by the request's field (snake_case, index dropped). */
function useServerFields(error: unknown): Record<string, string> {
  const { t } = useTranslation();
  return useMemo(() => {
    const out: Record<string, string> = {};
    if (error instanceof ApiError) {
      for (const v of error.violations) {
        const f = v.field.replace(/\[\d+\]$/, '');
        out[f] = out[f] ? `${out[f]}; ${localizeViolation(f, v.description, t)}` : localizeViolation(f, v.description, t);
      }
    }
    return out;
  }, [error, t]);
}

function Shell({
  kind,
  restored,
  onClear,
  error,
  pending,
  onClose,
  onSubmit,
  children,
  submitDisabled = false,
}: {
  kind: DialogKind;
  restored: boolean;
  onClear: () => void;
  error: unknown;
  pending: boolean;
  onClose: () => void;
  onSubmit: () => void;
  children: ReactNode;
  submitDisabled?: boolean;
}) {
  const { t } = useTranslation();
  const shown = error && !(error instanceof SessionExpiredError) ? error : null;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!pending) onSubmit();
      }}
    >
      <Stack gap="md">
        {restored && (
          <Alert color="blue" variant="light" role="status" py={6} data-testid="action-draft-restored">
            <Group justify="space-between" gap="xs">
              <Text size="sm">{t('actions.draftRestored')}</Text>
              <Button size="compact-xs" variant="subtle" onClick={onClear} disabled={pending}>
                {t('actions.clearDraft')}
              </Button>
            </Group>
          </Alert>
        )}
        <fieldset disabled={pending} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="sm">{children}</Stack>
        </fieldset>
        {shown ? <Refusal error={shown} /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={pending}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={pending} disabled={submitDisabled} data-testid="action-submit">
            {t(`actions.${kind}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function useActionDraft<T extends object>(kind: DialogKind, appeal: Appeal, initial: () => T) {
  const p = usePrincipal();
  return useDraft<T>(`${p.login}:action:${appealId(appeal)}:${kind}`, initial);
}

/** A required text: trimmed, not empty. */
const filled = (s: string) => s.trim().length > 0;

/* ------------------------------------------------------------------ the forms */

function AssignForm({ appeal, pending, error, onSubmit, onClose, kind }: DialogProps) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const directory = useDirectoryDepartments();
  const d = useActionDraft(kind, appeal, () => ({
    department: appeal.department ?? '',
    coExecutors: [...(appeal.coExecutors ?? [])],
    executor: appeal.executor || p.login,
  }));
  const v = d.values;
  const [touched, setTouched] = useState(false);
  const server = useServerFields(error);
  const options = useMemo(() => {
    const list = (directory.data ?? []).filter((x) => x.active !== false && x.code);
    // Keep what the appeal names now even if the directory did not load.
    const codes = new Set(list.map((x) => x.code!));
    const extra = [appeal.department, ...(appeal.coExecutors ?? [])].filter((c): c is string => !!c && !codes.has(c)).map((c) => ({ code: c, displayName: c }));
    return [...list.map((x) => ({ code: x.code!, displayName: x.displayName })), ...extra]
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'ru'))
      .map((x) => ({ value: x.code, label: `${shortDepartmentName(x.displayName)} (${x.code})` }));
  }, [directory.data, appeal.department, appeal.coExecutors]);
  const executorError = touched && !filled(v.executor) ? t('actions.required') : server.executor;
  const coError = v.coExecutors.includes(v.department) ? t('reasons.CO_EXECUTOR_IS_LEAD') : server.co_executors;
  return (
    <Shell
      kind={kind}
      restored={d.restored}
      onClear={d.clear}
      error={error}
      pending={pending}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!filled(v.executor) || v.coExecutors.includes(v.department)) return;
        onSubmit(
          { kind: 'assign', ...(v.department && v.department !== appeal.department ? { department: v.department } : {}), coExecutors: v.coExecutors, executor: v.executor.trim() },
          d.clear,
        );
      }}
    >
      {directory.isError && (
        <Text size="xs" c="orange.8">
          {t('actions.directoryError')}
        </Text>
      )}
      <Select
        label={t('actions.department')}
        description={t('actions.departmentHint')}
        searchable
        allowDeselect={false}
        data={options}
        value={v.department || null}
        onChange={(x) => d.setValues((s) => ({ ...s, department: x ?? s.department, coExecutors: s.coExecutors.filter((c) => c !== x) }))}
        error={server.department}
        rightSection={directory.isPending ? <Loader size="xs" /> : undefined}
        comboboxProps={{ withinPortal: true }}
      />
      <MultiSelect
        label={t('actions.coExecutors')}
        description={t('actions.coExecutorsHint')}
        placeholder={v.coExecutors.length ? undefined : t('actions.coExecutorsPlaceholder')}
        searchable
        clearable
        data={options.filter((o) => o.value !== v.department)}
        value={v.coExecutors}
        onChange={(x) => d.setValues((s) => ({ ...s, coExecutors: x }))}
        error={coError}
        comboboxProps={{ withinPortal: true }}
      />
      <Autocomplete
        label={t('actions.executor')}
        description={t('actions.executorHint')}
        required
        autoComplete="off"
        data={[...new Set([p.login, appeal.executor].filter((x): x is string => !!x))]}
        value={v.executor}
        onChange={(x) => d.setValues((s) => ({ ...s, executor: x }))}
        error={executorError}
      />
    </Shell>
  );
}

function ForwardForm({ appeal, pending, error, onSubmit, onClose, kind }: DialogProps) {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const d = useActionDraft(kind, appeal, () => ({ body: '', complaintAgainst: '', applicantNotified: false }));
  const v = d.values;
  const [touched, setTouched] = useState(false);
  const server = useServerFields(error);
  const due = toCalendarDate(appeal.forwardDueDate);
  const late = due ? compareDates(today, due) > 0 : false;
  const notifyMissing = !appeal.anonymous && !v.applicantNotified;
  return (
    <Shell
      kind={kind}
      restored={d.restored}
      onClear={d.clear}
      error={error}
      pending={pending}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!filled(v.body) || notifyMissing) return;
        onSubmit({ kind: 'forward', body: v.body.trim(), complaintAgainst: v.complaintAgainst.trim(), applicantNotified: !appeal.anonymous && v.applicantNotified }, d.clear);
      }}
    >
      {due && (
        <Text size="sm" c={late ? 'red.8' : undefined} data-testid="forward-due">
          {late ? t('actions.forwardLate', { date: formatCalendarDate(due, i18n.language) }) : t('actions.forwardDue', { date: formatCalendarDate(due, i18n.language) })}
        </Text>
      )}
      <TextInput
        label={t('actions.body')}
        placeholder={t('actions.bodyPlaceholder')}
        required
        value={v.body}
        onChange={(e) => {
          const x = e.currentTarget.value;
          d.setValues((s) => ({ ...s, body: x }));
        }}
        error={(touched && !filled(v.body) ? t('actions.required') : undefined) ?? server.body}
        data-autofocus
      />
      <TextInput
        label={t('actions.complaintAgainst')}
        description={t('actions.complaintAgainstHint')}
        value={v.complaintAgainst}
        onChange={(e) => {
          const x = e.currentTarget.value;
          d.setValues((s) => ({ ...s, complaintAgainst: x }));
        }}
        error={server.complaint_against}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
      />
      {appeal.anonymous ? (
        <Text size="sm" c="dimmed">
          {t('actions.anonymousNoNotice')}
        </Text>
      ) : (
        <Checkbox
          label={t('actions.applicantNotified')}
          description={t('actions.applicantNotifiedHint')}
          checked={v.applicantNotified}
          onChange={(e) => {
            const x = e.currentTarget.checked;
            d.setValues((s) => ({ ...s, applicantNotified: x }));
          }}
          error={touched && notifyMissing ? t('reasons.APPLICANT_NOT_NOTIFIED') : server.applicant_notified}
        />
      )}
    </Shell>
  );
}

function ExtendForm({ appeal, pending, error, onSubmit, onClose, kind }: DialogProps) {
  const { t, i18n } = useTranslation();
  const d = useActionDraft(kind, appeal, () => ({ days: 30 as number | '', reason: '' }));
  const v = d.values;
  const [touched, setTouched] = useState(false);
  const server = useServerFields(error);
  const due = toCalendarDate(appeal.answerDueDate);
  const daysOk = typeof v.days === 'number' && Number.isInteger(v.days) && v.days >= 1 && v.days <= MAX_EXTENSION_DAYS;
  return (
    <Shell
      kind={kind}
      restored={d.restored}
      onClear={d.clear}
      error={error}
      pending={pending}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!daysOk || !filled(v.reason)) return;
        onSubmit({ kind: 'extend', days: v.days as number, reason: v.reason.trim() }, d.clear);
      }}
    >
      <NumberInput
        label={t('actions.days')}
        description={t('actions.daysHint')}
        required
        min={1}
        max={MAX_EXTENSION_DAYS}
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="none"
        w={260}
        value={v.days}
        onChange={(x) => d.setValues((s) => ({ ...s, days: x === '' ? '' : Number(x) }))}
        error={(touched && !daysOk ? t('actions.daysRange') : undefined) ?? server.days}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        data-autofocus
      />
      {due && daysOk && (
        <Text size="sm" fw={500} data-testid="new-due">
          {t('actions.newDue', { date: formatCalendarDate(addDays(due, v.days as number), i18n.language) })}
        </Text>
      )}
      <Textarea
        label={t('actions.extendReason')}
        required
        autosize
        minRows={3}
        maxRows={8}
        value={v.reason}
        onChange={(e) => {
          const x = e.currentTarget.value;
          d.setValues((s) => ({ ...s, reason: x }));
        }}
        error={(touched && !filled(v.reason) ? t('actions.required') : undefined) ?? server.reason}
      />
      <Text size="xs" c="dimmed">
        {t('actions.extendNote')}
      </Text>
    </Shell>
  );
}

function AnswerForm({ appeal, pending, error, onSubmit, onClose, kind }: DialogProps) {
  const { t, i18n } = useTranslation();
  const today = useToday();
  const d = useActionDraft(kind, appeal, () => ({ text: '', result: '', signer: '', oral: false }));
  const v = d.values;
  const [touched, setTouched] = useState(false);
  const server = useServerFields(error);
  const oralAllowed = !!appeal.receptionCard?.oralAnswerConsented;
  const due = toCalendarDate(appeal.answerDueDate);
  const late = due ? compareDates(today, due) > 0 : false;
  return (
    <Shell
      kind={kind}
      restored={d.restored}
      onClear={d.clear}
      error={error}
      pending={pending}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!filled(v.text) || !v.result || !filled(v.signer)) return;
        onSubmit({ kind: 'answer', text: v.text.trim(), result: `ANSWER_RESULT_${v.result}` as AnswerResult, signer: v.signer.trim(), oral: oralAllowed && v.oral }, d.clear);
      }}
    >
      {late && due && (
        <Text size="sm" c="red.8">
          {t('actions.answerLate', { date: formatCalendarDate(due, i18n.language) })}
        </Text>
      )}
      <Textarea
        label={t('actions.answerText')}
        required
        autosize
        minRows={5}
        maxRows={14}
        value={v.text}
        onChange={(e) => {
          const x = e.currentTarget.value;
          d.setValues((s) => ({ ...s, text: x }));
        }}
        error={(touched && !filled(v.text) ? t('actions.required') : undefined) ?? server.text}
        data-autofocus
      />
      <Group grow align="flex-start" gap="sm" wrap="wrap">
        <Select
          label={t('actions.result')}
          placeholder={t('actions.resultPlaceholder')}
          required
          allowDeselect={false}
          data={ANSWER_RESULTS.map((r) => ({ value: r, label: t(`answerResults.${r}`) }))}
          value={v.result || null}
          onChange={(x) => d.setValues((s) => ({ ...s, result: x ?? '' }))}
          error={(touched && !v.result ? t('actions.required') : undefined) ?? server.result}
          comboboxProps={{ withinPortal: true }}
          miw={200}
        />
        <TextInput
          label={t('actions.signer')}
          placeholder={t('actions.signerPlaceholder')}
          required
          value={v.signer}
          onChange={(e) => {
            const x = e.currentTarget.value;
            d.setValues((s) => ({ ...s, signer: x }));
          }}
          error={(touched && !filled(v.signer) ? t('actions.required') : undefined) ?? server.signer}
          miw={200}
        />
      </Group>
      {oralAllowed && (
        <Checkbox
          label={t('actions.oral')}
          description={t('actions.oralHint')}
          checked={v.oral}
          onChange={(e) => {
            const x = e.currentTarget.checked;
            d.setValues((s) => ({ ...s, oral: x }));
          }}
        />
      )}
    </Shell>
  );
}

/** Return, end correspondence, reopen: a reason in words. */
function ReasonForm({ appeal, pending, error, onSubmit, onClose, kind }: DialogProps) {
  const { t } = useTranslation();
  const d = useActionDraft(kind, appeal, () => ({ reason: '' }));
  const [touched, setTouched] = useState(false);
  const server = useServerFields(error);
  const label = kind === 'return' ? t('actions.returnReason') : kind === 'endCorrespondence' ? t('actions.endReason') : t('actions.reopenReason');
  const hint = kind === 'return' ? t('actions.returnHint') : kind === 'endCorrespondence' ? t('actions.endHint') : t('actions.reopenHint');
  return (
    <Shell
      kind={kind}
      restored={d.restored}
      onClear={d.clear}
      error={error}
      pending={pending}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!filled(d.values.reason)) return;
        const reason = d.values.reason.trim();
        onSubmit(kind === 'return' ? { kind, reason } : kind === 'endCorrespondence' ? { kind, reason } : { kind: 'reopen', reason }, d.clear);
      }}
    >
      <Text size="sm" c="dimmed">
        {hint}
      </Text>
      {kind === 'endCorrespondence' && (appeal.previousAppeals?.length ?? 0) > 0 && (
        <Text size="sm">
          {t('actions.previousAppeals')}:{' '}
          {appeal.previousAppeals!.map((n, i) => (
            <span key={n}>
              {i > 0 ? ', ' : ''}
              <Anchor component={Link} to={`/${n}`} size="sm" target="_blank">
                {n.replace(/^appeals\//, '').slice(0, 8)}…
              </Anchor>
            </span>
          ))}
        </Text>
      )}
      <Textarea
        label={label}
        required
        autosize
        minRows={3}
        maxRows={8}
        value={d.values.reason}
        onChange={(e) => {
          const x = e.currentTarget.value;
          d.setValues((s) => ({ ...s, reason: x }));
        }}
        error={(touched && !filled(d.values.reason) ? t('actions.required') : undefined) ?? server.reason}
        data-autofocus
      />
    </Shell>
  );
}

function LeaveForm({ appeal, pending, error, onSubmit, onClose, kind }: DialogProps) {
  const { t } = useTranslation();
  const d = useActionDraft(kind, appeal, () => ({ reason: appeal.anonymous ? 'ANONYMOUS' : '', comment: '' }));
  const v = d.values;
  const [touched, setTouched] = useState(false);
  const server = useServerFields(error);
  // LEAVE_REASON_ANONYMOUS only for an anonymous appeal (NOT_ANONYMOUS otherwise).
  const reasons = LEAVE_REASONS.filter((r) => r !== 'ANONYMOUS' || appeal.anonymous);
  return (
    <Shell
      kind={kind}
      restored={d.restored}
      onClear={d.clear}
      error={error}
      pending={pending}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!v.reason) return;
        onSubmit({ kind: 'leave', reason: `LEAVE_REASON_${v.reason}` as LeaveReason, comment: v.comment.trim() }, d.clear);
      }}
    >
      <Radio.Group
        label={t('actions.leaveReason')}
        required
        value={v.reason}
        onChange={(x) => d.setValues((s) => ({ ...s, reason: x }))}
        error={(touched && !v.reason ? t('actions.required') : undefined) ?? server.reason}
      >
        <Stack gap={8} mt={6}>
          {reasons.map((r) => (
            <Radio key={r} value={r} label={t(`leaveReasonsLong.${r}`)} />
          ))}
        </Stack>
      </Radio.Group>
      <Textarea
        label={t('actions.comment')}
        autosize
        minRows={2}
        maxRows={6}
        value={v.comment}
        onChange={(e) => {
          const x = e.currentTarget.value;
          d.setValues((s) => ({ ...s, comment: x }));
        }}
        error={server.comment}
      />
    </Shell>
  );
}

function DuplicateForm({ appeal, pending, error, onSubmit, onClose, kind }: DialogProps) {
  const { t } = useTranslation();
  const d = useActionDraft(kind, appeal, () => ({ number: '', target: '' }));
  const v = d.values;
  const server = useServerFields(error);
  const [search, setSearch] = useState<{ state: 'idle' | 'busy' | 'done'; found: Appeal[]; error: unknown; number: string }>({ state: 'idle', found: [], error: null, number: '' });
  const [touched, setTouched] = useState(false);

  const find = async () => {
    const n = v.number.trim() ? normaliseNumber(v.number, cityToday().year) : '';
    if (!n) return;
    setSearch({ state: 'busy', found: [], error: null, number: n });
    try {
      const found = await findByNumber(n);
      setSearch({ state: 'done', found, error: null, number: n });
      const others = found.filter((a) => a.name !== appeal.name);
      d.setValues((s) => ({ ...s, target: others.length === 1 ? others[0].name! : '' }));
    } catch (e) {
      setSearch({ state: 'done', found: [], error: e, number: n });
    }
  };

  return (
    <Shell
      kind={kind}
      restored={d.restored}
      onClear={() => {
        d.clear();
        setSearch({ state: 'idle', found: [], error: null, number: '' });
      }}
      error={error}
      pending={pending}
      onClose={onClose}
      onSubmit={() => {
        setTouched(true);
        if (!v.target) return;
        onSubmit({ kind: 'markDuplicate', duplicateOf: v.target }, d.clear);
      }}
    >
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <TextInput
          label={t('actions.duplicateNumber')}
          placeholder={t('actions.duplicatePlaceholder')}
          value={v.number}
          onChange={(e) => {
            const x = e.currentTarget.value;
            d.setValues((s) => ({ ...s, number: x, target: '' }));
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void find();
            }
          }}
          style={{ flex: 1 }}
          error={server.duplicate_of}
          data-autofocus
        />
        <Button variant="light" onClick={() => void find()} loading={search.state === 'busy'} disabled={!filled(v.number)} data-testid="duplicate-find">
          {t('actions.find')}
        </Button>
      </Group>
      {search.error ? <Refusal error={search.error} title={t('errors.title')} testId="duplicate-search-error" /> : null}
      {search.state === 'done' && !search.error && search.found.length === 0 && (
        <Text size="sm" c="orange.8" role="status">
          {t('actions.notFoundNumber', { number: search.number })}
        </Text>
      )}
      {search.found.length > 0 && (
        <Radio.Group label={t('actions.pickFound')} value={v.target} onChange={(x) => d.setValues((s) => ({ ...s, target: x }))}>
          <Stack gap={8} mt={6}>
            {search.found.map((a) => {
              const same = a.name === appeal.name;
              return (
                <Radio
                  key={a.name}
                  value={a.name!}
                  disabled={same}
                  label={
                    <Group gap={8} wrap="nowrap" align="center">
                      <Text size="sm" fw={600}>
                        {a.registrationNumber}
                      </Text>
                      <StateBadge state={a.state} />
                    </Group>
                  }
                  description={same ? t('actions.sameAppeal') : (a.text ?? '').slice(0, 160)}
                />
              );
            })}
          </Stack>
        </Radio.Group>
      )}
      {touched && !v.target && (
        <Text size="sm" c="red.8">
          {t('actions.findFirst')}
        </Text>
      )}
    </Shell>
  );
}

const FORMS: Record<DialogKind, (p: DialogProps) => ReactNode> = {
  assign: AssignForm,
  forward: ForwardForm,
  extend: ExtendForm,
  answer: AnswerForm,
  return: ReasonForm,
  leave: LeaveForm,
  endCorrespondence: ReasonForm,
  reopen: ReasonForm,
  markDuplicate: DuplicateForm,
};
