import { describe, expect, it } from 'vitest';
import type { AppealState } from '../../api/types';
import type { Principal } from '../../auth/principal';
import { addDays, cityToday } from '../../lib/time';
import { appeal } from '../../test/utils';
import { availableActions, worksOnAppeal } from './workflow';

const today = cityToday();
const future = addDays(today, 20);
const who = (roles: string[], department = 'KUR-ZHD', login = 'x'): Principal => ({ login, name: login, roles, department });
const clerk = who(['clerk']);
const head = who(['head']);
const admin = who(['admin'], '');
const at = (state: AppealState, over = {}) => appeal({ state, answerDueDate: future, ...over });

describe('workflow buttons (a mirror of the service rules)', () => {
  it('follows the state machine for a clerk of the lead department', () => {
    expect(availableActions(clerk, at('APPEAL_STATE_REGISTERED'), today)).toEqual(['assign', 'forward', 'return', 'leave', 'markDuplicate']);
    expect(availableActions(clerk, at('APPEAL_STATE_ASSIGNED'), today)).toEqual(['assign', 'start', 'answer', 'forward', 'return', 'leave', 'markDuplicate']);
    expect(availableActions(clerk, at('APPEAL_STATE_IN_PROGRESS'), today)).toEqual(['assign', 'answer', 'forward', 'return', 'leave', 'markDuplicate']);
    for (const s of ['APPEAL_STATE_ANSWERED', 'APPEAL_STATE_RETURNED', 'APPEAL_STATE_LEFT_WITHOUT_ANSWER', 'APPEAL_STATE_CORRESPONDENCE_ENDED'] as const) {
      expect(availableActions(clerk, at(s), today)).toEqual(['reopen', 'markDuplicate']);
    }
    // A forwarded appeal belongs to the competent body: it is not reopened.
    expect(availableActions(clerk, at('APPEAL_STATE_FORWARDED'), today)).toEqual(['markDuplicate']);
  });

  it('gives the head her own steps: extend once before the deadline, end correspondence on a repeated appeal', () => {
    expect(availableActions(head, at('APPEAL_STATE_IN_PROGRESS'), today)).toContain('extend');
    expect(availableActions(head, at('APPEAL_STATE_IN_PROGRESS'), today)).not.toContain('endCorrespondence');
    expect(availableActions(head, at('APPEAL_STATE_IN_PROGRESS', { repeated: true }), today)).toContain('endCorrespondence');
    expect(availableActions(head, at('APPEAL_STATE_IN_PROGRESS', { extension: { days: 10, reason: 'r' } }), today)).not.toContain('extend');
    expect(availableActions(head, at('APPEAL_STATE_IN_PROGRESS', { answerDueDate: addDays(today, -1) }), today)).not.toContain('extend');
    expect(availableActions(head, at('APPEAL_STATE_IN_PROGRESS', { answerDueDate: today }), today)).toContain('extend');
    expect(availableActions(head, at('APPEAL_STATE_ANSWERED'), today)).not.toContain('extend');
    // Neither the clerk nor the admin (who is no head) extends.
    expect(availableActions(clerk, at('APPEAL_STATE_IN_PROGRESS', { repeated: true }), today)).not.toContain('extend');
    expect(availableActions(admin, at('APPEAL_STATE_IN_PROGRESS', { repeated: true }), today)).not.toContain('extend');
    expect(availableActions(admin, at('APPEAL_STATE_IN_PROGRESS', { repeated: true }), today)).not.toContain('endCorrespondence');
  });

  it('does not offer an answer to an anonymous appeal', () => {
    expect(availableActions(clerk, at('APPEAL_STATE_IN_PROGRESS', { anonymous: true }), today)).not.toContain('answer');
  });

  it('offers nothing to readers, co-executors and other departments', () => {
    const a = at('APPEAL_STATE_REGISTERED', { coExecutors: ['KUR-IND'] });
    expect(availableActions(who(['clerk'], 'KUR-IND'), a, today)).toEqual([]);
    expect(worksOnAppeal(who(['clerk'], 'KUR-IND'), a)).toBe(true);
    expect(availableActions(who(['clerk'], 'KUR-CEN'), a, today)).toEqual([]);
    for (const r of ['curator', 'vice_mayor', 'mayor', 'auditor', 'integrator']) expect(availableActions(who([r], ''), a, today)).toEqual([]);
    expect(availableActions(admin, a, today)).toEqual(['assign', 'forward', 'return', 'leave', 'markDuplicate']);
    expect(worksOnAppeal(admin, a)).toBe(false);
  });
});
