import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useDraft } from './useDraft';

const KEY = 'cityhall:draft:u:form';

describe('form drafts', () => {
  it('keeps only what was typed, restores it, and forgets it when cleared', () => {
    const init = () => ({ reason: '', days: 30 });
    const first = renderHook(() => useDraft('u:form', init));
    expect(first.result.current.restored).toBe(false);
    // Opening a form leaves no draft behind.
    expect(sessionStorage.getItem(KEY)).toBeNull();
    act(() => first.result.current.setValues({ reason: 'проверка', days: 10 }));
    expect(JSON.parse(sessionStorage.getItem(KEY)!)).toEqual({ reason: 'проверка', days: 10 });
    first.unmount();

    const again = renderHook(() => useDraft('u:form', init));
    expect(again.result.current.restored).toBe(true);
    expect(again.result.current.values).toEqual({ reason: 'проверка', days: 10 });
    act(() => again.result.current.clear());
    expect(again.result.current.values).toEqual({ reason: '', days: 30 });
    expect(again.result.current.restored).toBe(false);
    expect(sessionStorage.getItem(KEY)).toBeNull();
  });
});
