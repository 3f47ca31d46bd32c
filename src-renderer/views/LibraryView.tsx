import { useState } from 'react';
import type { ImportResultDto } from '../../src-shared/api.js';
import { describeSkipped } from '../../src-shared/photo-formats.js';
import { useApp } from '../app-context.js';
import { importSummary } from '../logic/export-form.js';
import { reportErrors } from '../report-errors.js';
import { useLoad } from '../use-load.js';
import { ExportDialog } from './ExportDialog.js';
import { FolderBrowser } from './FolderBrowser.js';
import { ProgressBar } from './ProgressBar.js';

export function LibraryView() {
  const { api, version, progress, showError, refresh, transport, navigate } = useApp();
  const folders = useLoad(() => api.listFolders(), [api, version]);
  const status = useLoad(() => api.status(), [api, version, progress?.done]);
  const errors = useLoad(() => api.listErrors(), [api, version]);
  const [path, setPath] = useState('');
  const [exporting, setExporting] = useState(false);
  // The browser's folder list (the desktop app opens the system's dialog instead).
  const [browsing, setBrowsing] = useState(false);
  const [importing, setImporting] = useState<string | null>(null);
  const [imported, setImported] = useState<{ folder: string; result: ImportResultDto } | null>(null);

  const importXmp = (folder: string): void => {
    setImporting(folder);
    setImported(null);
    api.importXmp({ folders: [folder] }).then(
      (result) => {
        setImporting(null);
        setImported({ folder, result });
        refresh();
      },
      (e: unknown) => {
        setImporting(null);
        showError(e);
      },
    );
  };

  const add = (p: string): void => {
    if (!p.trim()) return;
    api
      .addFolder({ path: p.trim() })
      .then(() => {
        setPath('');
        refresh();
        return api.startIndexing();
      })
      .catch(showError);
  };

  const s = status.data;
  const indexing = progress ?? s?.indexing ?? null;
  return (
    <section className="view" aria-label="Library">
      <header className="view-header">
        <h1>Library</h1>
        <span className="muted num">
          {s
            ? `${s.photos.total} photos · ${s.faces} faces · ${s.people} people` +
              (s.ignoredFaces ? ` · ${s.ignoredFaces} ignored` : '')
            : '\u00a0'}
        </span>
        <div className="spacer" />
        <button type="button" onClick={() => setExporting(true)}>
          Export people…
        </button>
      </header>
      {exporting && <ExportDialog title="Export all named people" onClose={() => setExporting(false)} />}

      <h2>Folders</h2>
      <ul className="folder-list">
        {(folders.data ?? []).map((f) => (
          <li key={f.id}>
            <span className="path">{f.path}</span>
            <button type="button" onClick={() => navigate({ view: 'photos', folderId: f.id })}>
              Photos
            </button>
            <button type="button" onClick={() => importXmp(f.path)} disabled={importing !== null}>
              {importing === f.path ? 'Importing…' : 'Import face names from XMP'}
            </button>
            <button
              type="button"
              onClick={() => {
                if (
                  window.confirm(
                    `Remove ${f.path} from the library? Photos stay on disk. Undo (Ctrl+Z) puts the folder back; adding it again later brings its people and names back.`,
                  )
                )
                  api.removeFolder({ folderId: f.id }).then(refresh, showError);
              }}
            >
              Remove
            </button>
          </li>
        ))}
        {folders.data && folders.data.length === 0 && <li className="muted">No folders yet.</li>}
      </ul>
      {imported && (
        <p className="muted" role="status" data-testid="import-result">
          {imported.folder}: {importSummary(imported.result)}
        </p>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          add(path);
        }}
      >
        <input
          aria-label="Folder path"
          placeholder="/path/to/photos or ~/Pictures"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          className="wide"
        />
        <button type="submit" className="primary">
          Add folder
        </button>
        <button
          type="button"
          onClick={
            transport.pickFolder
              ? reportErrors(showError, () => transport.pickFolder!().then((p) => p && add(p)))
              : () => setBrowsing(true)
          }
        >
          Browse…
        </button>
      </form>
      {browsing && (
        <FolderBrowser
          start={path.trim() || undefined}
          onClose={() => setBrowsing(false)}
          onPick={(p) => {
            setBrowsing(false);
            add(p);
          }}
        />
      )}

      <h2>Indexing</h2>
      <ProgressBar progress={indexing} />
      <div className="row">
        <button
          type="button"
          onClick={reportErrors(showError, () => api.startIndexing().then(refresh))}
          disabled={!!indexing}
        >
          Index now
        </button>
        <button
          type="button"
          onClick={reportErrors(showError, () => api.cancelIndexing().then(refresh))}
          disabled={!indexing}
        >
          Cancel
        </button>
        {s && (
          <span className="muted num" data-testid="library-counts">
            {s.photos.done} done · {s.photos.pending} pending · {s.photos.error} failed
          </span>
        )}
      </div>

      {s && ((s.formats?.length ?? 0) > 0 || (s.skipped?.length ?? 0) > 0) && (
        <>
          <h2>Kinds of photos</h2>
          {s.formats && s.formats.length > 0 && (
            <p className="num" data-testid="library-formats">
              {s.formats.map((f) => `${f.photos} ${f.format}`).join(' · ')}
            </p>
          )}
          {(s.skipped ?? []).length > 0 && (
            <ul className="skipped-list" data-testid="library-skipped">
              {(s.skipped ?? []).map((k) => (
                <li key={k.reason} className="muted" title={k.examples.join('\n')}>
                  {describeSkipped(k)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      <h2>Photos that could not be read</h2>
      {errors.data && errors.data.length === 0 && <p className="muted">None.</p>}
      <ul className="error-list">
        {(errors.data ?? []).map((e) => (
          <li key={e.photoId}>
            <span className="path">{e.path}</span> <span className="tag">{e.reason}</span>
            {e.detail && <span className="muted"> {e.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
