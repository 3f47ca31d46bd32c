/** What the browser UI says when `facenet serve` cannot be used: it stopped, or it refuses this tab. */

/** Above the view, which keeps the last content it showed: the user sees why nothing updates any more. */
export function StoppedBanner() {
  return (
    <div className="stopped-banner" role="alert" data-testid="stopped-banner">
      <strong>FaceNet Photos stopped.</strong> Restart <code>facenet serve</code> (or the app), then reload this page
      from the address it prints. What you see is how things stood when it stopped.
    </div>
  );
}

/**
 * Instead of the app, in a tab that has no access key: the key is in the address `facenet serve` prints and
 * stays with the tab it was opened in, so a second tab opened on the plain address has none.
 */
export function NoAccessPage() {
  return (
    <main className="no-access" data-testid="no-access">
      <h1>Open FaceNet Photos from the address it printed</h1>
      <p>
        This tab has no access key. For your privacy, FaceNet Photos only answers the address that{' '}
        <code>facenet serve</code> printed when it started (it ends in <code>?token=…</code>).
      </p>
      <p>
        Copy that address from the terminal where <code>facenet serve</code> runs into this tab. If it is no longer
        running, start it again with <code>npx facenet serve</code> and open the new address.
      </p>
    </main>
  );
}
