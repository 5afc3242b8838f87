import { useCallback, useState } from 'react';
import { errorText } from '../api/error-text';
import { useI18n, type Translate } from '../i18n/i18n';

export interface Submit {
  busy: boolean;
  /** The last failure in words, ready for an Alert; null when the last try worked. */
  error: string | null;
  /** Runs `action` once at a time; resolves true when it worked. */
  run(action: () => Promise<void>): Promise<boolean>;
  reset(): void;
}

/**
 * The busy flag and error text every dialog and confirm needs around one API call.
 * `describe` puts a failure in words; a page that knows particular refusals passes its own.
 */
export function useSubmit(describe: (err: unknown, t: Translate) => string = errorText): Submit {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async (action: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await action();
        return true;
      } catch (err) {
        setError(describe(err, t));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [t, describe],
  );
  const reset = useCallback(() => setError(null), []);
  return { busy, error, run, reset };
}
