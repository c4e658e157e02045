/**
 * Resolves once every promise has settled (fulfilled or rejected: their failures are theirs to show elsewhere), or
 * after `ms` milliseconds, whichever comes first. For a screen that would rather render once with all its data but
 * not wait long on one slow answer.
 */
export function settledWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void Promise.allSettled(promises).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
