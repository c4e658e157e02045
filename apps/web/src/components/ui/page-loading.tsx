/**
 * The status line a screen shows while its code or data loads: the same line as index.html's shell shows before any
 * code has arrived, so the page does not change as the app takes over.
 */
export function PageLoading() {
  return (
    <p className="page-status" role="status">
      …
    </p>
  );
}
