import { describe, expect, it } from 'vitest';
import i18n from '../../i18n/i18n';
import { localizeNote } from './historyNotes';

const t = i18n.t.bind(i18n);
const n = (action: string, note: string) => localizeNote(action, note, t, 'ru');

describe('history notes in Russian', () => {
  it('translates the shapes the service writes', () => {
    expect(n('assigned', 'lead KUR-ZHD, co-executors KUR-IND, UDVB, executor clerk.zhd').text).toBe('ответственное: KUR-ZHD, соисполнители: KUR-IND, UDVB, исполнитель: clerk.zhd');
    expect(n('assigned', 'lead KUR-ZHD').text).toBe('ответственное: KUR-ZHD');
    expect(n('extended', 'by 10 days to 2026-12-30: нужна проверка').text).toBe('на 10 дн., до 30.12.2026: нужна проверка');
    expect(n('answered', 'signed by Попов Д. С.; late: the answer was due on 2026-03-31').text).toBe('подписал: Попов Д. С.; с нарушением срока (срок — 31.03.2026)');
    expect(n('forwarded', 'to Министерство ЖКХ; late: the forward due date was 2026-03-08').text).toBe('в Министерство ЖКХ; с нарушением семидневного срока (до 08.03.2026)');
    expect(n('left_without_answer', 'obscene or threatening: угрозы').text).toBe('нецензурные выражения или угрозы: угрозы');
    const id = '01900000-0000-7000-8000-000000000001';
    expect(n('marked_duplicate', `duplicate of appeals/${id}`)).toEqual({ text: 'дубликат обращения', link: `appeals/${id}` });
    expect(n('registered', `repeated: appeals/${id}`)).toEqual({ text: 'повторное обращение; предыдущее —', link: `appeals/${id}` });
  });

  it('keeps anything else as written', () => {
    expect(n('attachment_added', 'скан.pdf (application/pdf)').text).toBe('скан.pdf (application/pdf)');
    expect(n('returned', 'заявитель отозвал').text).toBe('заявитель отозвал');
    expect(n('started', '').text).toBe('');
  });
});
