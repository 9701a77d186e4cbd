import { describe, expect, it } from 'vitest';
import { emptyFilters, normaliseNumber, parseQuery, toApiQuery, toSearchParams } from './filters';

const q = (s: string) => parseQuery(new URLSearchParams(s));

describe('registry query in the URL', () => {
  it('round-trips and leaves defaults out', () => {
    const parsed = q('state=registered&code=0005.0005.0000.0000&district=ZHD&from=2026-03-01&to=2026-03-05&deadline=soon&sort=due_asc&size=20&page=abc');
    expect(parsed).toMatchObject({ state: 'REGISTERED', code: '0005.0005.0000.0000', district: 'ZHD', deadline: 'soon', sort: 'due_asc', size: 20, page: 'abc' });
    expect(toSearchParams(parsed).toString()).toBe(
      'state=REGISTERED&code=0005.0005.0000.0000&district=ZHD&from=2026-03-01&to=2026-03-05&deadline=soon&sort=due_asc&size=20&page=abc',
    );
    expect(toSearchParams(q('')).toString()).toBe('');
  });

  it('drops what the API would reject', () => {
    expect(q('state=NOPE&code=5&from=2026-02-30&deadline=later&sort=x&size=7&dept=a"b')).toEqual({ ...emptyFilters, sort: 'reg_desc', size: 50, page: '' });
  });
});

describe('API filter', () => {
  it('joins conditions with AND', () => {
    const f = toApiQuery(q('state=REGISTERED&channel=LETTER&dept=KUR-ZHD&district=ZHD&code=0005.0005.0000.0000'));
    expect(f.filter).toBe('state = REGISTERED AND channel = LETTER AND department = "KUR-ZHD" AND district = "ZHD" AND classifier_code = "0005.0005*"');
    expect(f.orderBy).toBe('register_time desc');
    expect(f.empty).toBe(false);
  });

  it('selects a question with its sub-questions, a sub-question exactly', () => {
    expect(toApiQuery(q('code=0005.0005.0056.1149')).filter).toBe('classifier_code = "0005.0005.0056.1149*"');
    expect(toApiQuery(q('code=0003.0008.0086.0548.0093')).filter).toBe('classifier_code = "0003.0008.0086.0548.0093"');
  });

  it('makes the registration period inclusive of its last day', () => {
    expect(toApiQuery(q('from=2026-03-01&to=2026-03-05')).filter).toBe('register_time >= "2026-03-01" AND register_time < "2026-03-06"');
  });

  it("filters deadlines by the service's deadline state", () => {
    expect(toApiQuery(q('deadline=soon')).filter).toBe('deadline_state = DUE_SOON');
    expect(toApiQuery(q('deadline=overdue&from=2026-02-10')).filter).toBe('register_time >= "2026-02-10" AND deadline_state = OVERDUE');
  });

  it('knows when nothing can match', () => {
    expect(toApiQuery(q('from=2026-03-05&to=2026-03-01')).empty).toBe(true);
    expect(toApiQuery(q('deadline=overdue&state=ANSWERED')).empty).toBe(true);
    expect(toApiQuery(q('deadline=overdue&state=IN_PROGRESS')).empty).toBe(false);
  });

  it('finds by registration number, repeated appeals, and the signed-in executor', () => {
    const parsed = q('number=2026-000123&repeated=1&mine=1&deadline=ontime');
    expect(parsed).toMatchObject({ number: '2026-000123', repeated: '1', mine: '1', deadline: 'ontime' });
    expect(toSearchParams(parsed).toString()).toBe('number=2026-000123&deadline=ontime&repeated=1&mine=1');
    expect(toApiQuery(parsed, 'clerk.zhd').filter).toBe('registration_number = "2026-000123" AND deadline_state = ON_TIME AND repeated = true AND executor = "clerk.zhd"');
    expect(toApiQuery(q('deadline=closed')).filter).toBe('deadline_state = CLOSED');
    expect(toApiQuery(q('deadline=closed&state=IN_PROGRESS')).empty).toBe(true);
    expect(toApiQuery(q('deadline=closed&state=ANSWERED')).empty).toBe(false);
    expect(q('number=2026"1').number).toBe('');
  });

  it('reads a typed registration number as the service writes it', () => {
    expect(normaliseNumber('123', 2026)).toBe('2026-000123');
    expect(normaliseNumber(' № 2025-42 ', 2026)).toBe('2025-000042');
    expect(normaliseNumber('2026-000123', 2026)).toBe('2026-000123');
  });

  it('orders as asked', () => {
    expect(toApiQuery(q('sort=due_desc')).orderBy).toBe('answer_due_date desc');
    expect(toApiQuery(q('sort=reg_asc')).orderBy).toBe('register_time');
  });
});
