import type { TFunction } from 'i18next';
import { formatCalendarDate, parseIsoDate } from '../../lib/time';

/**
 * The history's notes are written by the service in English for the record ("lead KUR-ZHD,
 * executor clerk.zhd", "by 10 days to 2026-12-30: ..."). The known shapes are shown in the
 * interface's language; anything else as written. `link` names an appeal the note refers to.
 */
export function localizeNote(action: string | undefined, note: string | undefined, t: TFunction, lang: string): { text: string; link?: string } {
  const n = (note ?? '').trim();
  if (!n) return { text: '' };
  const date = (s: string | undefined) => (s ? formatCalendarDate(parseIsoDate(s), lang) || s : '');
  let m: RegExpExecArray | null;
  switch (action) {
    case 'assigned':
      if ((m = /^lead (\S+?)(?:, co-executors (.+?))?(?:, executor (\S+))?$/.exec(n))) {
        return {
          text: [t('historyNotes.lead', { value: m[1] }), m[2] ? t('historyNotes.coExecutors', { value: m[2] }) : '', m[3] ? t('historyNotes.executor', { value: m[3] }) : '']
            .filter(Boolean)
            .join(', '),
        };
      }
      break;
    case 'extended':
      if ((m = /^by (\d+) days to (\d{4}-\d{2}-\d{2}): ([\s\S]*)$/.exec(n))) return { text: t('historyNotes.extended', { days: m[1], date: date(m[2]), reason: m[3] }) };
      break;
    case 'answered':
      if ((m = /^signed by (.+?)(?:; late: the answer was due on (\d{4}-\d{2}-\d{2}))?$/.exec(n))) {
        return { text: [t('historyNotes.signedBy', { signer: m[1] }), m[2] ? t('historyNotes.answeredLate', { date: date(m[2]) }) : ''].filter(Boolean).join('; ') };
      }
      break;
    case 'forwarded':
      if ((m = /^to (.+?)(?:; late: the forward due date was (\d{4}-\d{2}-\d{2}))?$/.exec(n))) {
        return { text: [t('historyNotes.forwardedTo', { body: m[1] }), m[2] ? t('historyNotes.forwardedLate', { date: date(m[2]) }) : ''].filter(Boolean).join('; ') };
      }
      break;
    case 'left_without_answer':
      if ((m = /^(anonymous|obscene or threatening|unreadable|decided by a court|protected secret|no substance)(?:: ([\s\S]*))?$/.exec(n))) {
        const name = t(`historyNotes.leave.${m[1]}`, { defaultValue: m[1] });
        return { text: m[2] ? `${name}: ${m[2]}` : name };
      }
      break;
    case 'registered':
      if ((m = /^repeated: (appeals\/[0-9a-f-]{36})$/.exec(n))) return { text: t('historyNotes.repeated'), link: m[1] };
      break;
    case 'marked_duplicate':
      if ((m = /^duplicate of (appeals\/[0-9a-f-]{36})$/.exec(n))) return { text: t('historyNotes.duplicateOf'), link: m[1] };
      break;
  }
  return { text: n };
}
