import { Alert, Button, Checkbox, Fieldset, Grid, Group, Input, NumberInput, Paper, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, SessionExpiredError, locateViolation } from '../../api/errors';
import { localizeViolation } from '../../api/messages';
import { appealId } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { canRegister, registersForCity } from '../../auth/principal';
import { clearResumed, resumedAfterExpiry } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { clearDraft, loadDraft, saveDraft } from '../../lib/drafts';
import { toCityDateTimeLocal } from '../../lib/time';
import { uuid4 } from '../../lib/uuid';
import { useDepartments, useDistricts } from '../../reference/reference';
import { ClassifierCodesField } from './ClassifierCodesField';
import { CHANNELS, shortChannel } from './model';
import { useCreateAppeal } from './queries';
import { type FieldName, type FormValues, FIELD_ORDER, MAX_CODES, MAX_TEXT, emptyForm, hasContent, isFormValues, toRequest, validate, withDefaults } from './registerForm';
import classes from './RegisterPage.module.css';

const fieldId = (f: FieldName) => `f-${f}`;

interface ServerErrors {
  fields: Partial<Record<FieldName, string[]>>;
  /** Per classifier code (by value, so that removing one does not shift the others). */
  codes: Record<string, string>;
  form: string[];
}
const noServerErrors: ServerErrors = { fields: {}, codes: {}, form: [] };

export default function RegisterPage() {
  const { t } = useTranslation();
  const principal = usePrincipal();
  if (!canRegister(principal)) {
    return (
      <Stack maw={720}>
        <PageTitle>{t('form.title')}</PageTitle>
        <Alert color="gray">{t('form.cannotRegister')}</Alert>
      </Stack>
    );
  }
  return <RegisterForm draftKey={`${principal.login}:register`} cityWide={registersForCity(principal)} ownDepartment={principal.department} />;
}

function RegisterForm({ draftKey, cityWide, ownDepartment }: { draftKey: string; cityWide: boolean; ownDepartment: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const districts = useDistricts();
  const departments = useDepartments();
  const create = useCreateAppeal();

  const [restored] = useState(() => {
    const d = loadDraft<unknown>(draftKey);
    return isFormValues(d) && hasContent(d) ? { values: withDefaults(d), afterSignIn: resumedAfterExpiry() } : null;
  });
  const [values, setValues] = useState<FormValues>(() => restored?.values ?? emptyForm());
  const [showErrors, setShowErrors] = useState(false);
  const [server, setServer] = useState<ServerErrors>(noServerErrors);
  const [conflict, setConflict] = useState(false);
  const sending = useRef(false);

  useEffect(() => saveDraft(draftKey, values), [draftKey, values]);

  const clientErrors = useMemo(() => validate(values, { cityWide }), [values, cityWide]);

  const set = <K extends keyof FormValues>(k: K, v: FormValues[K]) => {
    setValues((prev) => ({ ...prev, [k]: v }));
    setServer((s) => ({ ...s, fields: { ...s.fields, [k]: undefined } }));
  };

  const errorOf = (f: FieldName): string | undefined => {
    const c = showErrors ? clientErrors[f] : undefined;
    if (c) return t(c.key, c.values);
    const s = server.fields[f];
    return s && s.length ? s.join('; ') : undefined;
  };

  const focusFirst = (fields: FieldName[]) => {
    const f = FIELD_ORDER.find((x) => fields.includes(x));
    if (f) window.setTimeout(() => document.getElementById(fieldId(f))?.focus(), 0);
  };

  const send = (requestId: string) => {
    if (sending.current) return;
    sending.current = true;
    setConflict(false);
    create.mutate(
      { ...toRequest(values), requestId },
      {
        onSuccess: (a) => {
          clearDraft(draftKey);
          clearResumed();
          navigate(`/appeals/${appealId(a)}`, { state: { registered: true } });
        },
        onError: (e) => {
          if (e instanceof ApiError && e.httpStatus === 400 && e.violations.length > 0) {
            const next: ServerErrors = { fields: {}, codes: {}, form: [] };
            for (const v of e.violations.map((x) => locateViolation(x, ['appeal.', 'applicant.']))) {
              const msg = localizeViolation(v.field, v.description, t);
              if (v.field === 'classifierCodes' && v.index !== null && values.codes[v.index]) {
                next.codes[values.codes[v.index]] = msg;
              } else if (v.field === 'classifierCodes') {
                (next.fields.codes ??= []).push(msg);
              } else if ((FIELD_ORDER as string[]).includes(v.field)) {
                (next.fields[v.field as FieldName] ??= []).push(msg);
              } else {
                next.form.push(v.field ? `${v.path}: ${msg}` : msg);
              }
            }
            setServer(next);
            focusFirst([...(Object.keys(next.fields) as FieldName[]), ...(Object.keys(next.codes).length ? (['codes'] as FieldName[]) : [])]);
          } else if (e instanceof ApiError && e.httpStatus === 409) {
            setConflict(true);
          }
        },
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };

  const onSubmit = (e: React.FormEvent) => {
    e.preventDefault();
    if (create.isPending || sending.current) return;
    setShowErrors(true);
    const invalid = Object.keys(clientErrors) as FieldName[];
    if (invalid.length > 0) {
      focusFirst(invalid);
      return;
    }
    send(values.requestId);
  };

  const sendAsNew = () => {
    const requestId = uuid4();
    setValues((v) => ({ ...v, requestId }));
    send(requestId);
  };

  const reset = () => {
    clearDraft(draftKey);
    clearResumed();
    setValues(emptyForm());
    setShowErrors(false);
    setServer(noServerErrors);
    setConflict(false);
    create.reset();
  };

  const pending = create.isPending;
  const hasAnyError = (showErrors && Object.keys(clientErrors).length > 0) || Object.values(server.fields).some((x) => x?.length) || Object.keys(server.codes).length > 0;
  const otherError = create.error && !(create.error instanceof SessionExpiredError) && !(create.error instanceof ApiError && (create.error.httpStatus === 400 || create.error.httpStatus === 409)) ? create.error : null;
  const ownDeptName = departments.data?.find((d) => d.code === ownDepartment)?.name;

  return (
    <Stack gap="md" maw={880}>
      <PageTitle>{t('form.title')}</PageTitle>
      <Text size="sm" c="dimmed">
        {t('form.intro')}
      </Text>
      {restored && (
        <Alert color="blue" variant="light" role="status" data-testid="draft-restored">
          <Group justify="space-between" gap="xs">
            <Text size="sm">{restored.afterSignIn ? t('form.restoredAfterSignIn') : t('form.restored')}</Text>
            <Button size="compact-sm" variant="subtle" onClick={reset}>
              {t('form.reset')}
            </Button>
          </Group>
        </Alert>
      )}
      {hasAnyError && (
        <Alert color="red" variant="light" role="alert" data-testid="form-errors">
          {t('form.fixErrors')}
          {server.form.map((m) => (
            <Text size="sm" key={m}>
              {m}
            </Text>
          ))}
        </Alert>
      )}
      {!hasAnyError && server.form.length > 0 && (
        <Alert color="red" variant="light" role="alert">
          {server.form.join('; ')}
        </Alert>
      )}
      {conflict && (
        <Alert color="orange" variant="light" role="alert">
          <Stack gap="xs">
            <Text size="sm">{t('form.conflict')}</Text>
            <Group>
              <Button size="xs" color="orange" variant="light" onClick={sendAsNew}>
                {t('form.sendAsNew')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {otherError && <ErrorAlert error={otherError} />}

      <Paper withBorder radius="md" p="lg" component="form" noValidate onSubmit={onSubmit} aria-labelledby="page-title">
        <fieldset disabled={pending} className={classes.fieldset}>
          <Stack gap="md">
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  id={fieldId('channel')}
                  label={t('form.channel')}
                  placeholder={t('form.channelPlaceholder')}
                  required
                  value={values.channel || null}
                  onChange={(v) => set('channel', v ?? '')}
                  data={CHANNELS.map((c) => ({ value: c, label: t(`channels.${shortChannel(c)}`) }))}
                  error={errorOf('channel')}
                  allowDeselect={false}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput
                  id={fieldId('receiveTime')}
                  type="datetime-local"
                  label={t('form.receiveTime')}
                  description={t('form.receiveTimeHint')}
                  value={values.receiveTime}
                  max={toCityDateTimeLocal(new Date())}
                  onChange={(e) => set('receiveTime', e.currentTarget.value)}
                  error={errorOf('receiveTime')}
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                />
              </Grid.Col>
            </Grid>
            <Fieldset legend={t('form.applicant')} className={classes.applicant} id={fieldId('applicant')} tabIndex={-1}>
              <Stack gap="sm">
                <Checkbox
                  id="f-anonymous"
                  label={t('form.anonymous')}
                  checked={values.anonymous}
                  onChange={(e) => {
                    set('anonymous', e.currentTarget.checked);
                    setServer((s) => ({ ...s, fields: { ...s.fields, applicant: undefined } }));
                  }}
                  error={errorOf('applicant')}
                />
                {values.anonymous ? (
                  <Text size="xs" c="dimmed">
                    {t('form.anonymousNote')}
                  </Text>
                ) : (
                  <>
                    <Grid gap="md">
                      <Grid.Col span={{ base: 12, sm: 6 }}>
                        <TextInput id={fieldId('fullName')} label={t('form.fullName')} required autoComplete="off" value={values.fullName} onChange={(e) => set('fullName', e.currentTarget.value)} error={errorOf('fullName')} />
                      </Grid.Col>
                      <Grid.Col span={{ base: 12, sm: 6 }}>
                        <TextInput
                          id={fieldId('postalAddress')}
                          label={t('form.postalAddress')}
                          required={!['CHANNEL_ELECTRONIC', 'CHANNEL_FEEDBACK_PLATFORM'].includes(values.channel)}
                          autoComplete="off"
                          value={values.postalAddress}
                          onChange={(e) => set('postalAddress', e.currentTarget.value)}
                          error={errorOf('postalAddress')}
                        />
                      </Grid.Col>
                      <Grid.Col span={{ base: 12, sm: 6 }}>
                        <TextInput id={fieldId('email')} type="email" label={t('form.email')} autoComplete="off" value={values.email} onChange={(e) => set('email', e.currentTarget.value)} error={errorOf('email')} />
                      </Grid.Col>
                      <Grid.Col span={{ base: 12, sm: 6 }}>
                        <TextInput id={fieldId('phone')} type="tel" label={t('form.phone')} autoComplete="off" value={values.phone} onChange={(e) => set('phone', e.currentTarget.value)} error={errorOf('phone')} />
                      </Grid.Col>
                    </Grid>
                    <Text size="xs" c="dimmed">
                      {t('form.applicantNote')}
                    </Text>
                  </>
                )}
              </Stack>
            </Fieldset>
            <Textarea
              id={fieldId('text')}
              label={t('form.text')}
              required
              autosize
              minRows={6}
              maxRows={18}
              value={values.text}
              onChange={(e) => set('text', e.currentTarget.value)}
              error={errorOf('text')}
              description={t('form.textCount', { count: values.text.length, max: MAX_TEXT })}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
            />
            <ClassifierCodesField
              id={fieldId('codes')}
              required
              codes={values.codes}
              onChange={(codes) => {
                setValues((prev) => ({ ...prev, codes }));
                setServer((s) => ({
                  ...s,
                  fields: { ...s.fields, codes: undefined },
                  codes: Object.fromEntries(Object.entries(s.codes).filter(([c]) => codes.includes(c))),
                }));
              }}
              error={errorOf('codes')}
              codeErrors={server.codes}
              max={MAX_CODES}
            />
            <Grid gap="md">
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  id={fieldId('district')}
                  label={t('form.district')}
                  value={values.district}
                  onChange={(v) => set('district', v ?? '')}
                  allowDeselect={false}
                  data={[{ value: '', label: t('form.districtNone') }, ...(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))]}
                  error={errorOf('district')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                {cityWide ? (
                  <Select
                    id={fieldId('department')}
                    label={t('form.department')}
                    required
                    searchable
                    value={values.department || null}
                    onChange={(v) => set('department', v ?? '')}
                    data={(departments.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
                    error={errorOf('department')}
                  />
                ) : (
                  <Input.Wrapper label={t('form.department')} description={t('form.departmentOwn')} error={errorOf('department')} inputWrapperOrder={['label', 'input', 'description', 'error']}>
                    <Text size="sm" id={fieldId('department')} tabIndex={-1} py={6} lh={1.35}>
                      {ownDeptName ?? ownDepartment}
                    </Text>
                  </Input.Wrapper>
                )}
              </Grid.Col>
            </Grid>
            <Group align="flex-end" gap="lg">
              <Checkbox
                id="f-collective"
                label={t('form.collective')}
                checked={values.collective}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setValues((prev) => ({ ...prev, collective: on, signatories: on ? prev.signatories : '' }));
                }}
                mb={values.collective ? 8 : 0}
              />
              {values.collective && (
                <NumberInput
                  id={fieldId('signatories')}
                  label={t('form.signatories')}
                  min={2}
                  max={1_000_000}
                  allowDecimal={false}
                  allowNegative={false}
                  w={200}
                  value={values.signatories === '' ? '' : Number(values.signatories)}
                  onChange={(v) => set('signatories', v === '' ? '' : String(v))}
                  error={errorOf('signatories')}
                />
              )}
            </Group>
            <Group justify="space-between" mt="sm">
              <Button type="submit" size="md" loading={pending} disabled={pending} data-testid="submit">
                {pending ? t('form.submitting') : t('form.submit')}
              </Button>
              <Button variant="subtle" color="gray" onClick={reset} disabled={pending}>
                {t('form.reset')}
              </Button>
            </Group>
          </Stack>
        </fieldset>
      </Paper>
    </Stack>
  );
}
