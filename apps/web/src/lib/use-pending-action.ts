import { useState } from 'react';

/**
 * A one-off action started from a button (downloading a file behind the token): which one runs, and what went
 * wrong last, for the button's disabled state and an error notice.
 */
export function usePendingAction() {
  const [running, setRunning] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (key: string, action: () => Promise<unknown>) => {
    setRunning(key);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setRunning(null);
    }
  };
  return { running, error, run };
}
