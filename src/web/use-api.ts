/** Loading state for one API call: re-runs when `deps` change, ignores answers that arrive after a newer call. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isUnreachable, onRetry } from './api-client.js';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  /** Replace the data locally (after a mutation whose answer already says what changed). */
  setData: (data: T) => void;
}

export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const generation = useRef(0);
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    load().then(
      (d) => {
        if (mine !== generation.current) return;
        setData(d);
        setError(undefined);
        setLoading(false);
      },
      (e: Error) => {
        if (mine !== generation.current) return;
        setError(e);
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  // the shell's "server did not answer" Retry reloads every load that failed that way
  useEffect(() => onRetry(() => { if (isUnreachable(error)) reload(); }), [error, reload]);
  return { data, error, loading, reload, setData };
}
