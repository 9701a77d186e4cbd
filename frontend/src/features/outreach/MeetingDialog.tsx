/**
 * The meeting form in a dialog: a proposal into a plan, an unscheduled meeting, or an edit of a
 * meeting. Checks what it can before sending, keeps a draft until the meeting is saved, and
 * shows the server's field violations beside the fields they name.
 */
import { Alert, Button, Group, Loader, Modal, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, SessionExpiredError } from '../../api/errors';
import { localizeViolation } from '../../api/messages';
import type { Meeting } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { Refusal } from '../../components/Refusal';
import { useDraft } from '../../lib/useDraft';
import { uuid4 } from '../../lib/uuid';
import { useDistricts } from '../../reference/reference';
import type { MonthRef } from './calendar';
import { type MeetingErrors, type MeetingField, type MeetingValues, changedFields, checkMeeting, emptyMeeting, fromMeeting, meetingViolationField, toMeeting } from './meetingForm';
import { DISTRICTS, meetingId } from './model';
import { isStale, useCreateMeeting, useOfficials, useUpdateMeeting } from './queries';
import './texts';

type Props =
  | { mode: 'create'; plan: string; planLabel?: string; planMonth: MonthRef | null; defaultDate?: string; onDone: (m: Meeting) => void; onClose: () => void }
  | { mode: 'edit'; meeting: Meeting; planMonth: MonthRef | null; onDone: (m: Meeting) => void; onConflict: () => void; onClose: () => void };

export function MeetingDialog(props: Props) {
  const { t } = useTranslation();
  const title = props.mode === 'edit' ? t('outreach.form.titleEdit') : props.plan ? t('outreach.form.titleNew') : t('outreach.form.titleUnscheduled');
  return (
    <Modal opened onClose={props.onClose} title={title} size="lg" centered data-testid="meeting-dialog">
      {props.mode === 'edit' ? <EditForm {...props} /> : <CreateForm {...props} />}
    </Modal>
  );
}

type Draft = MeetingValues & { requestId: string };

function CreateForm(props: Extract<Props, { mode: 'create' }>) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const d = useDraft<Draft>(`${p.login}:meeting:new:${props.plan || 'unscheduled'}`, () => ({ ...emptyMeeting(props.defaultDate ?? ''), requestId: uuid4() }));
  const mutation = useCreateMeeting();
  return (
    <MeetingFields
      values={d.values}
      setValues={(f) => d.setValues((s) => ({ ...s, ...f(s) }))}
      restored={d.restored}
      onClear={d.clear}
      planMonth={props.planMonth}
      note={props.plan ? t('outreach.form.plan', { plan: props.planLabel ?? props.plan }) : t('outreach.form.unscheduledHint')}
      pending={mutation.isPending}
      error={mutation.error}
      submitLabel={props.plan ? t('outreach.form.submit') : t('outreach.form.submitUnscheduled')}
      onClose={props.onClose}
      onSubmit={(v) =>
        mutation.mutate(
          { meeting: toMeeting(v, props.plan ? `meetingPlans/${props.plan}` : ''), requestId: d.values.requestId },
          {
            onSuccess: (m) => {
              d.clear();
              props.onDone(m);
            },
          },
        )
      }
    />
  );
}

function EditForm(props: Extract<Props, { mode: 'edit' }>) {
  const { t } = useTranslation();
  const p = usePrincipal();
  const id = meetingId(props.meeting.name);
  // The version the user saw when the dialog opened: a change since then is a conflict.
  const [seen] = useState(() => ({ etag: props.meeting.etag ?? '', values: fromMeeting(props.meeting) }));
  const d = useDraft<MeetingValues>(`${p.login}:meeting:edit:${id}`, () => seen.values);
  const mutation = useUpdateMeeting(id);
  const [nothing, setNothing] = useState(false);
  return (
    <MeetingFields
      values={d.values}
      setValues={(f) => {
        setNothing(false);
        d.setValues((s) => ({ ...s, ...f(s) }));
      }}
      restored={d.restored}
      onClear={d.clear}
      planMonth={props.planMonth}
      pending={mutation.isPending}
      error={mutation.error && !isStale(mutation.error) ? mutation.error : null}
      submitLabel={t('outreach.form.save')}
      extra={nothing ? <Text size="sm" c="dimmed">{t('outreach.form.noChanges')}</Text> : null}
      onClose={props.onClose}
      onSubmit={(v) => {
        const mask = changedFields(seen.values, v);
        if (mask.length === 0) {
          setNothing(true);
          return;
        }
        mutation.mutate(
          { meeting: toMeeting(v, ''), etag: seen.etag, mask },
          {
            onSuccess: (m) => {
              d.clear();
              props.onDone(m);
            },
            onError: (e) => {
              if (isStale(e)) props.onConflict();
            },
          },
        );
      }}
    />
  );
}

function MeetingFields({
  values: v,
  setValues,
  restored,
  onClear,
  planMonth,
  note,
  pending,
  error,
  submitLabel,
  onSubmit,
  onClose,
  extra,
}: {
  values: MeetingValues;
  setValues: (f: (s: MeetingValues) => Partial<MeetingValues>) => void;
  restored: boolean;
  onClear: () => void;
  planMonth: MonthRef | null;
  note?: string;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (v: MeetingValues) => void;
  onClose: () => void;
  extra?: React.ReactNode;
}) {
  const { t } = useTranslation();
  const officials = useOfficials();
  const districts = useDistricts();
  const [touched, setTouched] = useState(false);
  const client: MeetingErrors = touched ? checkMeeting(v, planMonth) : {};
  const server = useMemo(() => {
    const out: Partial<Record<MeetingField, string>> = {};
    const rest: string[] = [];
    if (error instanceof ApiError) {
      for (const x of error.violations) {
        const f = meetingViolationField(x);
        const msg = localizeViolation(f, x.description, t);
        if (f) out[f] = out[f] ? `${out[f]}; ${msg}` : msg;
        else rest.push(msg);
      }
    }
    return out;
  }, [error, t]);
  const err = (f: MeetingField) => (client[f] ? t(client[f]!) : server[f]);

  const speakerOptions = useMemo(() => {
    const list = (officials.data ?? []).filter((o) => o.name);
    const known = new Set(list.map((o) => o.name!));
    const extraIds = v.speakers.filter((s) => !known.has(s)).map((s) => ({ value: s, label: s }));
    return [...list.map((o) => ({ value: o.name!, label: `${o.fullName} — ${o.position}` })), ...extraIds];
  }, [officials.data, v.speakers]);
  const districtOptions = [{ value: '', label: t('outreach.form.cityWide') }, ...DISTRICTS.map((c) => ({ value: c, label: districts.data?.find((d) => d.code === c)?.name ?? c }))];
  const shown = error && !(error instanceof SessionExpiredError) ? error : null;
  const text = (f: 'topic' | 'audience' | 'venue') => (e: React.ChangeEvent<HTMLInputElement>) => {
    const x = e.currentTarget.value;
    setValues(() => ({ [f]: x }));
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (pending) return;
        setTouched(true);
        if (Object.keys(checkMeeting(v, planMonth)).length > 0) return;
        onSubmit(v);
      }}
    >
      <Stack gap="sm">
        {restored && (
          <Alert color="blue" variant="light" role="status" py={6} data-testid="draft-restored">
            <Group justify="space-between" gap="xs">
              <Text size="sm">{t('actions.draftRestored')}</Text>
              <Button size="compact-xs" variant="subtle" onClick={onClear} disabled={pending}>
                {t('actions.clearDraft')}
              </Button>
            </Group>
          </Alert>
        )}
        {note && (
          <Text size="sm" c="dimmed">
            {note}
          </Text>
        )}
        <fieldset disabled={pending} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="sm">
            <TextInput label={t('outreach.form.topic')} placeholder={t('outreach.form.topicPlaceholder')} required value={v.topic} onChange={text('topic')} error={err('topic')} data-autofocus />
            <MultiSelect
              label={t('outreach.form.speakers')}
              description={t('outreach.form.speakersHint')}
              placeholder={v.speakers.length ? undefined : t('outreach.form.speakersPlaceholder')}
              required
              searchable
              clearable
              data={speakerOptions}
              value={v.speakers}
              onChange={(x) => setValues(() => ({ speakers: x }))}
              error={err('speakers') ?? (officials.isError ? t('outreach.form.officialsError') : undefined)}
              rightSection={officials.isPending ? <Loader size="xs" /> : undefined}
              comboboxProps={{ withinPortal: true }}
              maxDropdownHeight={280}
            />
            <TextInput label={t('outreach.form.audience')} placeholder={t('outreach.form.audiencePlaceholder')} value={v.audience} onChange={text('audience')} error={err('audience')} />
            <Select
              label={t('outreach.form.district')}
              data={districtOptions}
              value={v.district}
              allowDeselect={false}
              onChange={(x) => setValues(() => ({ district: x ?? '' }))}
              error={err('district')}
              comboboxProps={{ withinPortal: true }}
            />
            <TextInput label={t('outreach.form.venue')} placeholder={t('outreach.form.venuePlaceholder')} required value={v.venue} onChange={text('venue')} error={err('venue')} />
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              <TextInput
                type="date"
                label={t('outreach.form.date')}
                required
                value={v.date}
                onChange={(e) => {
                  const x = e.currentTarget.value;
                  setValues(() => ({ date: x }));
                }}
                error={err('date')}
              />
              <TextInput
                type="time"
                label={t('outreach.form.start')}
                required
                value={v.start}
                onChange={(e) => {
                  const x = e.currentTarget.value;
                  setValues(() => ({ start: x }));
                }}
                error={err('start')}
              />
              <TextInput
                type="time"
                label={t('outreach.form.end')}
                description={t('outreach.form.endHint')}
                value={v.end}
                onChange={(e) => {
                  const x = e.currentTarget.value;
                  setValues(() => ({ end: x }));
                }}
                error={err('end')}
                inputWrapperOrder={['label', 'input', 'description', 'error']}
              />
            </SimpleGrid>
            <Text size="xs" c="dimmed">
              {t('outreach.form.timeNote')}
            </Text>
          </Stack>
        </fieldset>
        {extra}
        {shown ? <Refusal error={shown} reasons="outreach.reasons" /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={pending}>
            {t('outreach.form.cancel')}
          </Button>
          <Button type="submit" loading={pending} data-testid="meeting-submit">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
