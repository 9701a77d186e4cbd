import { useCallback, useEffect, useRef, useState } from 'react';
import { clearDraft, loadDraft, saveDraft } from './drafts';

/**
 * A form's values kept as a draft in sessionStorage (lib/drafts.ts) under key: restored when the
 * form opens again (after closing the dialog, reloading the card, or signing in again), dropped
 * by clear() once the form has done its work. Only what differs from the form's initial values
 * is a draft (opening and closing a form leaves nothing behind). Personal data never goes into
 * a draft.
 */
export function useDraft<T extends object>(key: string, initial: () => T, isValid: (v: unknown) => v is T = isObject as (v: unknown) => v is T) {
  const initialJson = useRef<string>('');
  const [restored, setRestored] = useState(() => {
    initialJson.current = JSON.stringify(initial());
    const d = loadDraft<unknown>(key);
    if (!isValid(d)) return null;
    const merged = { ...initial(), ...d };
    return JSON.stringify(merged) === initialJson.current ? null : merged;
  });
  const [values, setValues] = useState<T>(() => restored ?? initial());
  useEffect(() => {
    if (JSON.stringify(values) === initialJson.current) clearDraft(key);
    else saveDraft(key, values);
  }, [key, values]);
  const clear = useCallback(() => {
    clearDraft(key);
    setRestored(null);
    setValues(JSON.parse(initialJson.current) as T);
  }, [key]);
  return { values, setValues, restored: restored !== null, clear };
}

function isObject(v: unknown): v is object {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
