import { describe, expect, it } from 'vitest';
import i18n from '../i18n/i18n';
import { ApiError, locateViolation } from './errors';
import { localizeViolation } from './messages';

const body = {
  error: {
    code: 400,
    status: 'INVALID_ARGUMENT',
    message: 'the appeal cannot be registered',
    details: [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'INVALID_APPEAL', domain: 'appeals.cityhall' },
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: [
          { field: 'appeal.classifier_codes[1]', description: '0005.0005.0056.9999 is not in the ССТУ classifier' },
          { field: 'appeal.receive_time', description: 'an appeal cannot be received in the future' },
        ],
      },
    ],
  },
};

describe('API errors', () => {
  it('reads status, reason and field violations', () => {
    const e = new ApiError(400, body);
    expect(e.httpStatus).toBe(400);
    expect(e.status).toBe('INVALID_ARGUMENT');
    expect(e.reason).toBe('INVALID_APPEAL');
    expect(e.violations).toHaveLength(2);
    expect(e.message).toBe('the appeal cannot be registered');
  });

  it('survives bodies that are not the API’s', () => {
    const e = new ApiError(502, '<html>Bad gateway</html>');
    expect(e.violations).toEqual([]);
    expect(e.message).toBe('HTTP 502');
  });

  it('maps proto paths to form fields', () => {
    expect(locateViolation({ field: 'appeal.classifier_codes[1]', description: 'x' })).toMatchObject({ field: 'classifierCodes', index: 1 });
    expect(locateViolation({ field: 'appeal.receive_time', description: 'x' })).toMatchObject({ field: 'receiveTime', index: null });
    expect(locateViolation({ field: 'request_id', description: 'x' })).toMatchObject({ field: '', path: 'request_id' });
  });

  it('says the known messages in the interface language and keeps the rest as written', () => {
    const t = i18n.t.bind(i18n);
    expect(localizeViolation('classifierCodes', '0005.0005.0056.9999 is not in the ССТУ classifier', t)).toBe('Кода 0005.0005.0056.9999 нет в классификаторе ССТУ');
    expect(localizeViolation('receiveTime', 'an appeal cannot be received in the future', t)).toBe('Обращение не может поступить позже текущего момента');
    expect(localizeViolation('text', 'something new', t)).toBe('something new');
  });
});
