import { Alert, Autocomplete, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/errors';
import type { Appeal, Applicant } from '../../api/types';
import { appealId } from '../../api/types';
import { usePrincipal } from '../../auth/AuthContext';
import { Refusal } from '../../components/Refusal';
import { formatDateTime } from '../../lib/time';
import { useDraft } from '../../lib/useDraft';
import { parseQuestionSource } from '../outreach/model';
import { readApplicant } from './queries';
import { worksOnAppeal } from './workflow';
import classes from './AppealCard.module.css';

const MIN_PURPOSE = 3;

/**
 * The applicant's personal data, behind a button: the read needs a purpose and is written to
 * the audit log (the dialog says so). What was read lives in this component only: never in
 * the query cache, a draft or the URL, and it is gone when the card is left.
 */
export function ApplicantSection({ appeal }: { appeal: Appeal }) {
  const { t, i18n } = useTranslation();
  const p = usePrincipal();
  const id = appealId(appeal);
  const [asking, setAsking] = useState(false);
  const [shown, setShown] = useState<{ applicant: Applicant | null; purpose: string; time: string } | null>(null);
  const allowed = worksOnAppeal(p, appeal);
  // A residents' question from an outreach meeting has no applicant record: its answer goes
  // back to the meeting's organiser, so there is nothing to read (or to audit).
  const fromMeeting = appeal.channel === 'CHANNEL_OUTREACH_MEETING' && parseQuestionSource(appeal.source) !== null;

  // Another appeal (the route changed): nothing of the previous one stays on screen.
  useEffect(() => setShown(null), [id]);

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="card-applicant" data-testid="applicant">
      <Group justify="space-between" align="flex-start" gap="sm" mb="sm">
        <Title order={2} size="h4" id="card-applicant">
          {t('applicant.title')}
        </Title>
        {shown && (
          <Button size="compact-sm" variant="subtle" onClick={() => setShown(null)}>
            {t('applicant.hide')}
          </Button>
        )}
      </Group>
      {appeal.applicantDataDestroyed ? (
        <Text size="sm">{t('card.applicantDestroyed')}</Text>
      ) : fromMeeting ? (
        <Text size="sm" data-testid="applicant-meeting">
          {t('applicant.meetingQuestion')}
        </Text>
      ) : shown ? (
        <ApplicantData shown={shown} lang={i18n.language} />
      ) : (
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{appeal.anonymous ? t('card.anonymous') : t('applicant.stored')}</Text>
          {allowed ? (
            <Button variant="light" onClick={() => setAsking(true)} data-testid="show-applicant">
              {t('applicant.show')}
            </Button>
          ) : (
            <Text size="xs" c="dimmed">
              {t('applicant.notAllowed')}
            </Text>
          )}
        </Stack>
      )}
      {asking && (
        <PurposeDialog
          appealId={id}
          onClose={() => setAsking(false)}
          onRead={(applicant, purpose) => {
            setAsking(false);
            setShown({ applicant, purpose, time: new Date().toISOString() });
          }}
        />
      )}
    </Paper>
  );
}

function ApplicantData({ shown, lang }: { shown: { applicant: Applicant | null; purpose: string; time: string }; lang: string }) {
  const { t } = useTranslation();
  const a = shown.applicant;
  const rows: [string, string | undefined][] = a
    ? [
        [t('applicant.fullName'), a.fullName],
        [t('applicant.postalAddress'), a.postalAddress],
        [t('applicant.email'), a.email],
        [t('applicant.phone'), a.phone],
      ]
    : [];
  const present = rows.filter(([, v]) => !!v);
  return (
    <Stack gap="sm" data-testid="applicant-data">
      {a?.destroyTime ? (
        <Text size="sm">{t('applicant.destroyed', { time: formatDateTime(a.destroyTime, lang) })}</Text>
      ) : present.length === 0 ? (
        <Text size="sm">{t('applicant.noData')}</Text>
      ) : (
        <dl className={classes.list}>
          {present.map(([label, value]) => (
            <div className={classes.field} key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <Text size="xs" c="dimmed" role="status">
        {t('applicant.recorded', { time: formatDateTime(shown.time, lang), purpose: shown.purpose })}
      </Text>
    </Stack>
  );
}

function PurposeDialog({ appealId: id, onClose, onRead }: { appealId: string; onClose: () => void; onRead: (a: Applicant | null, purpose: string) => void }) {
  const { t } = useTranslation();
  const p = usePrincipal();
  // The purpose is no personal data: it is kept as a draft like any form.
  const d = useDraft(`${p.login}:applicant-purpose`, () => ({ purpose: '' }));
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const purpose = d.values.purpose.trim();
  const tooShort = purpose.length < MIN_PURPOSE;
  const purposes = t('applicant.purposes', { returnObjects: true }) as unknown as string[];

  const submit = async () => {
    setTouched(true);
    if (tooShort || busy) return;
    setBusy(true);
    setError(null);
    try {
      const a = await readApplicant(id, purpose);
      d.clear();
      onRead(a, purpose);
    } catch (e) {
      // No applicant stored (an anonymous appeal registered without one).
      if (e instanceof ApiError && e.httpStatus === 404) {
        d.clear();
        onRead(null, purpose);
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={() => !busy && onClose()} title={t('applicant.dialogTitle')} centered size="md" data-testid="purpose-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          <Alert color="blue" variant="light" data-testid="purpose-explain">
            <Text size="sm">{t('applicant.explain')}</Text>
          </Alert>
          <Autocomplete
            label={t('applicant.purpose')}
            description={t('applicant.purposeHint')}
            required
            data-autofocus
            data-testid="purpose-input"
            autoComplete="off"
            data={Array.isArray(purposes) ? purposes : []}
            value={d.values.purpose}
            onChange={(v) => d.setValues({ purpose: v })}
            error={touched && tooShort ? t('applicant.purposeShort') : undefined}
            comboboxProps={{ withinPortal: true }}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          {error ? <Refusal error={error} /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="purpose-submit">
              {t('applicant.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
