import { useEffect, useState } from 'react';

export interface Lookup<T> {
  hits: T[];
  loading: boolean;
  /** The last failure, for the caller to show in words. */
  error: unknown;
}

/**
 * Search-as-you-type: asks `find(text)` a moment after the typing stops
 * (`delayMs`), and keeps only the answer to the latest text, so a slow early
 * answer never replaces a later one. Empty text asks nothing unless
 * `askWhenEmpty`.
 */
export function useLookup<T>(text: string, find: (text: string) => Promise<T[]>, options: { delayMs?: number; askWhenEmpty?: boolean; enabled?: boolean } = {}): Lookup<T> {
  const { delayMs = 250, askWhenEmpty = false, enabled = true } = options;
  const [state, setState] = useState<Lookup<T>>({ hits: [], loading: false, error: null });
  useEffect(() => {
    const trimmed = text.trim();
    if (!enabled || (!trimmed && !askWhenEmpty)) {
      setState({ hits: [], loading: false, error: null });
      return;
    }
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    const timer = setTimeout(() => {
      find(trimmed).then(
        (hits) => current && setState({ hits, loading: false, error: null }),
        (error: unknown) => current && setState({ hits: [], loading: false, error }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `find` is usually an inline closure over stable inputs.
  }, [text, enabled, askWhenEmpty, delayMs]);
  return state;
}
