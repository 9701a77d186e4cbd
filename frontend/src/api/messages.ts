import type { TFunction } from 'i18next';
import { ApiError, NetworkError, SessionExpiredError } from './errors';

/**
 * The server's field descriptions are English sentences meant for developers. Known ones are
 * shown in the interface's language; anything else is shown as the server wrote it.
 */
const known: [RegExp, (m: RegExpExecArray, t: TFunction) => string][] = [
  [/^(\S+) is not in the ССТУ classifier/, (m, t) => t('violations.unknownCode', { code: m[1] })],
  [/cannot be received in the future/, (_, t) => t('violations.futureReceive')],
  [/text is empty/, (_, t) => t('violations.emptyText')],
  [/signatories are counted only/, (_, t) => t('violations.signatoriesNotCollective')],
  [/^unknown department/, (_, t) => t('violations.unknownDepartment')],
  [/deactivated/, (_, t) => t('violations.departmentDeactivated')],
  [/required when registering on behalf/, (_, t) => t('violations.departmentRequired')],
  [/the applicant is required unless/, (_, t) => t('violations.applicantRequired')],
  [/at least 1 item/, (_, t) => t('violations.codesRequired')],
  [/unique items/, (_, t) => t('violations.codesUnique')],
  [/at most 10 item/, (_, t) => t('violations.codesMax')],
  [/greater than or equal to 1 and less than or equal to 30/, (_, t) => t('actions.daysRange')],
  [/must be at least (\d+) character/, (m, t) => (Number(m[1]) <= 1 ? t('actions.required') : t('violations.minLength', { count: Number(m[1]) }))],
  [/no such appeal that you can see/, (_, t) => t('reasons.UNKNOWN_APPEAL')],
  [/must not be in list \[0\]|must be one of the defined enum values/, (_, t) => t('violations.pick')],
  // The outreach service's meeting and report checks.
  [/is outside the plan's month/, (_, t) => t('outreach.form.outsideMonth')],
  [/name at least one speaker/, (_, t) => t('outreach.form.speakersRequired')],
  [/must be after start_time/, (_, t) => t('outreach.form.endBeforeStart')],
  [/not in the organisation directory|unknown official/, (_, t) => t('outreach.reasons.INVALID_SPEAKER')],
];

export function localizeViolation(field: string, description: string, t: TFunction): string {
  for (const [re, f] of known) {
    const m = re.exec(description);
    if (m) return f(m, t);
  }
  if (field === 'classifierCodes' && /does not match regex pattern/.test(description)) return t('violations.codeFormat');
  if (field === 'phone' && /does not match regex pattern/.test(description)) return t('form.errors.phone');
  if (field === 'email' && /email/.test(description)) return t('form.errors.email');
  if (field === 'channel' && /not be in list|defined/.test(description)) return t('violations.channelRequired');
  if (field === 'district' && /must be in list/.test(description)) return t('violations.districtUnknown');
  return description;
}

/** A sentence for an error of any kind, in the interface's language. */
export function errorMessage(e: unknown, t: TFunction): string {
  if (e instanceof SessionExpiredError) return t('auth.expiredTitle');
  if (e instanceof NetworkError) return t('errors.network');
  if (e instanceof ApiError) {
    if (e.httpStatus === 403) return t('errors.forbidden');
    if (e.httpStatus === 404) return t('errors.notFound');
    if (e.httpStatus === 409) return t('errors.conflict');
    if (e.httpStatus === 400) return t('errors.invalid');
    if (e.httpStatus >= 500 || e.httpStatus === 429) return t('errors.unavailable');
  }
  return t('errors.unknown');
}
