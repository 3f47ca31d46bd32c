import { useApp } from '../app-context.js';
import { useLoad } from '../use-load.js';

/** The engine's undo stack, reloaded after every change (a list kept in the page would miss re-groupings). */
export function UndoView() {
  const { api, version, undo } = useApp();
  const stack = useLoad(() => api.undoStack(), [api, version]);
  const entries = stack.data ?? [];
  return (
    <section className="view" aria-label="History">
      <header className="view-header">
        <h1>History</h1>
        <span className="muted">Everything here can be undone until the app closes, most recent first.</span>
        <div className="spacer" />
        <button type="button" className="primary" onClick={undo} disabled={entries.length === 0}>
          Undo last <kbd>Ctrl+Z</kbd>
        </button>
      </header>
      {stack.data === undefined && stack.error === null && <p className="muted empty">Loading…</p>}
      {stack.error !== null && <p className="error">Could not read the history: {stack.error}</p>}
      {stack.data !== undefined && entries.length === 0 && <p className="muted empty">Nothing to undo.</p>}
      <ol className="history">
        {entries.map((e) => (
          <li key={e.id}>
            <span>{e.label}</span> <time className="muted num">{new Date(e.at).toLocaleTimeString()}</time>
          </li>
        ))}
      </ol>
    </section>
  );
}
