import { useEffect, useState } from 'react';
import type { ExportResultDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { reportErrors } from '../report-errors.js';
import {
  buildExportRequest,
  EXPORT_FORMATS,
  exportSummary,
  INITIAL_EXPORT_FORM,
  needsOutFolder,
  type ExportForm,
  type ExportFormat,
  type LinkMode,
  type SidecarNaming,
} from '../logic/export-form.js';

/** Export people (one person, or all named people when `personIds` is left out) as folders, manifests or XMP. */
export function ExportDialog({ title, personIds, onClose }: { title: string; personIds?: number[]; onClose(): void }) {
  const { api, transport } = useApp();
  const [form, setForm] = useState<ExportForm>(INITIAL_EXPORT_FORM);
  const [busy, setBusy] = useState(false);
  const [task, setTask] = useState<{ phase: string; done: number; total: number } | null>(null);
  const [result, setResult] = useState<ExportResultDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<ExportForm>): void => setForm((f) => ({ ...f, ...patch }));

  useEffect(() => {
    if (!busy) return;
    return transport.subscribe((e) => {
      if (e.type === 'task-progress' && e.task === 'export') setTask({ phase: e.phase, done: e.done, total: e.total });
    });
  }, [transport, busy]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !busy) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const submit = (): void => {
    const built = buildExportRequest(form, personIds);
    if ('error' in built) {
      setError(built.error);
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    setTask(null);
    api.exportPeople(built.request).then(
      (r) => {
        setBusy(false);
        setResult(r);
      },
      (e: unknown) => {
        setBusy(false);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        <form
          className="dialog-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label>
            Format
            <select
              value={form.format}
              disabled={busy}
              onChange={(e) => set({ format: e.target.value as ExportFormat })}
            >
              {EXPORT_FORMATS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          {needsOutFolder(form.format) && (
            <div className="row">
              <label className="grow">
                Output folder
                <input
                  className="wide"
                  placeholder="/path/to/export"
                  value={form.out}
                  disabled={busy}
                  onChange={(e) => set({ out: e.target.value })}
                />
              </label>
              {transport.pickFolder && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={reportErrors(
                    (e) => setError(e instanceof Error ? e.message : String(e)),
                    () => transport.pickFolder!().then((p) => p && set({ out: p })),
                  )}
                >
                  Choose…
                </button>
              )}
            </div>
          )}
          {form.format === 'folders' && (
            <label>
              Link mode
              <select value={form.link} disabled={busy} onChange={(e) => set({ link: e.target.value as LinkMode })}>
                <option value="symlink">Symbolic links</option>
                <option value="hardlink">Hard links</option>
                <option value="copy">Copies</option>
              </select>
            </label>
          )}
          {form.format === 'xmp' && (
            <label>
              Sidecar naming
              <select
                value={form.sidecar}
                disabled={busy}
                onChange={(e) => set({ sidecar: e.target.value as SidecarNaming })}
              >
                <option value="photo.jpg.xmp">photo.jpg.xmp</option>
                <option value="photo.xmp">photo.xmp</option>
              </select>
            </label>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={form.confirmedOnly}
              disabled={busy}
              onChange={(e) => set({ confirmedOnly: e.target.checked })}
            />
            Confirmed faces only
          </label>
          {busy && (
            <p className="muted num" role="status">
              {task ? `${task.phase}: ${task.done} / ${task.total}` : 'Exporting…'}
            </p>
          )}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {result && (
            <div data-testid="export-result" role="status">
              <p>{exportSummary(result)}</p>
              {result.out && <p className="muted path">{result.out}</p>}
              {result.errors.length > 0 && (
                <ul className="error-list">
                  {result.errors.map((e) => (
                    <li key={e.path}>
                      <span className="path">{e.path}</span> <span className="muted">{e.error}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              Export
            </button>
            <button type="button" onClick={onClose} disabled={busy}>
              Close
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
