import { parseCityDateTimeLocal } from '../../lib/time';
import { uuid4 } from '../../lib/uuid';
import { CODE_RE } from './ClassifierCodesField';
import type { NewAppeal, NewApplicant } from './queries';

export const MAX_TEXT = 20000;
export const MAX_CODES = 10;
/** The server allows this much clock difference for the receive time. */
const SKEW_MS = 5 * 60_000;

export interface FormValues {
  /** One per form: a retry or a double click never registers twice (AIP-155). */
  requestId: string;
  channel: string;
  receiveTime: string; // <input type="datetime-local">, city time
  text: string;
  codes: string[];
  district: string;
  department: string;
  collective: boolean;
  signatories: string;
  /** No name or no address to answer to (59-FZ art. 11 p. 1): no applicant is sent. */
  anonymous: boolean;
  fullName: string;
  postalAddress: string;
  email: string;
  phone: string;
}

export const emptyForm = (): FormValues => ({
  requestId: uuid4(),
  channel: '',
  receiveTime: '',
  text: '',
  codes: [],
  district: '',
  department: '',
  collective: false,
  signatories: '',
  anonymous: false,
  fullName: '',
  postalAddress: '',
  email: '',
  phone: '',
});

export function hasContent(v: FormValues): boolean {
  return !!(v.channel || v.receiveTime || v.text.trim() || v.codes.length || v.district || v.department || v.collective || v.fullName.trim() || v.postalAddress.trim());
}

export function isFormValues(v: unknown): v is FormValues {
  const f = v as FormValues;
  return !!f && typeof f === 'object' && typeof f.requestId === 'string' && typeof f.text === 'string' && Array.isArray(f.codes);
}

/** A draft saved by an older version of the form gets the fields it lacks. */
export const withDefaults = (v: FormValues): FormValues => ({ ...emptyForm(), ...v });

/** Channels whose answer may go to an e-mail address instead of a postal one (59-FZ art. 7 p. 3). */
const ELECTRONIC = ['CHANNEL_ELECTRONIC', 'CHANNEL_FEEDBACK_PLATFORM'];
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^\+?[0-9 ()-]{5,20}$/;

export type FieldName =
  | 'channel'
  | 'receiveTime'
  | 'applicant'
  | 'fullName'
  | 'postalAddress'
  | 'email'
  | 'phone'
  | 'text'
  | 'codes'
  | 'district'
  | 'department'
  | 'signatories';
/** Order of the fields on the page: the first invalid one gets the focus. */
export const FIELD_ORDER: FieldName[] = ['channel', 'receiveTime', 'applicant', 'fullName', 'postalAddress', 'email', 'phone', 'text', 'codes', 'district', 'department', 'signatories'];

/** Error message keys (i18n) per field; empty when the form may be sent. */
export function validate(v: FormValues, opts: { cityWide: boolean; now?: number }): Partial<Record<FieldName, { key: string; values?: Record<string, unknown> }>> {
  const e: ReturnType<typeof validate> = {};
  const now = opts.now ?? Date.now();
  if (!v.channel) e.channel = { key: 'form.errors.channel' };
  if (v.receiveTime) {
    const t = parseCityDateTimeLocal(v.receiveTime);
    if (!t) e.receiveTime = { key: 'form.errors.receiveInvalid' };
    else if (t.getTime() > now + SKEW_MS) e.receiveTime = { key: 'form.errors.receiveFuture' };
  }
  if (!v.anonymous) {
    if (!v.fullName.trim()) e.fullName = { key: 'form.errors.fullName' };
    const byEmail = ELECTRONIC.includes(v.channel) && v.email.trim() !== '';
    if (!v.postalAddress.trim() && !byEmail) e.postalAddress = { key: ELECTRONIC.includes(v.channel) ? 'form.errors.addressOrEmail' : 'form.errors.postalAddress' };
    if (v.email.trim() && !EMAIL_RE.test(v.email.trim())) e.email = { key: 'form.errors.email' };
    if (v.phone.trim() && !PHONE_RE.test(v.phone.trim())) e.phone = { key: 'form.errors.phone' };
  }
  if (!v.text.trim()) e.text = { key: 'form.errors.text' };
  else if (v.text.length > MAX_TEXT) e.text = { key: 'form.errors.textTooLong', values: { max: MAX_TEXT } };
  if (v.codes.length === 0) e.codes = { key: 'form.errors.codes' };
  else if (v.codes.length > MAX_CODES) e.codes = { key: 'form.errors.codesMax', values: { max: MAX_CODES } };
  else if (v.codes.some((c) => !CODE_RE.test(c))) e.codes = { key: 'form.errors.codeFormat' };
  if (opts.cityWide && !v.department) e.department = { key: 'form.errors.department' };
  if (v.collective && v.signatories !== '') {
    const n = Number(v.signatories);
    if (!Number.isInteger(n) || n < 2 || n > 1_000_000) e.signatories = { key: 'form.errors.signatories' };
  }
  return e;
}

/** The request: the appeal and, unless it is anonymous, the applicant. Empty optional fields are left out. */
export function toRequest(v: FormValues): { appeal: NewAppeal; applicant?: NewApplicant } {
  const appeal = toAppeal(v);
  if (v.anonymous) return { appeal: { ...appeal, anonymous: true } };
  const applicant: NewApplicant = { fullName: v.fullName.trim() };
  if (v.postalAddress.trim()) applicant.postalAddress = v.postalAddress.trim();
  if (v.email.trim()) applicant.email = v.email.trim();
  if (v.phone.trim()) applicant.phone = v.phone.trim();
  return { appeal, applicant };
}

function toAppeal(v: FormValues): NewAppeal {
  const a: NewAppeal = { channel: v.channel as NewAppeal['channel'], text: v.text, classifierCodes: v.codes };
  const t = v.receiveTime ? parseCityDateTimeLocal(v.receiveTime) : null;
  if (t) a.receiveTime = t.toISOString();
  if (v.district) a.district = v.district;
  if (v.department) a.department = v.department;
  if (v.collective) {
    a.collective = true;
    if (v.signatories !== '') a.signatories = Number(v.signatories);
  }
  return a;
}
