import type { UndoEntryDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { useLoad } from '../use-load.js';

export function UndoView({ history }: { history: UndoEntryDto[] }) {
  const { api, version, undo } = useApp();
  const stack = useLoad(() => api.undoStack(), [api, version]);
  const entries = stack.data ?? history;
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
      {entries.length === 0 && <p className="muted empty">Nothing to undo.</p>}
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
