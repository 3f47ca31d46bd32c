import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { IgnoreReasonDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { ignoreReasonLabel } from '../logic/ignore-keys.js';
import { EMPTY_SELECTION, pruneSelection, selectAll, selectedInOrder, type Selection } from '../logic/selection.js';
import { useLoad } from '../use-load.js';
import { FaceGrid } from './FaceGrid.js';

type Filter = 'all' | IgnoreReasonDto;

/**
 * Faces the user took out of the people ("not a face", strangers), newest first. Select faces and
 * "Stop ignoring" (U) puts them back: to the person they were confirmed for, else where clustering's vote
 * puts them. Undoable like every edit.
 */
export function IgnoredView() {
  const { api, version, did, showError, navigate } = useApp();
  const faces = useLoad(() => api.ignoredFaces({ limit: 5000 }), [api, version]);
  const [filter, setFilter] = useState<Filter>('all');
  const all = useMemo(() => faces.data ?? [], [faces.data]);
  const list = useMemo(() => (filter === 'all' ? all : all.filter((f) => f.reason === filter)), [all, filter]);
  const ids = useMemo(() => list.map((f) => f.id), [list]);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  useEffect(() => setSelection((s) => pruneSelection(s, ids)), [ids]);
  const selected = selectedInOrder(selection, ids);
  const counts = { 'not-a-face': 0, stranger: 0 };
  for (const f of all) counts[f.reason]++;

  const unignore = (): void => {
    if (selected.length) api.unignoreFaces({ faceIds: selected }).then(did, showError);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>): boolean => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.key.toLowerCase() !== 'u') return false;
    e.preventDefault();
    unignore();
    return true;
  };

  return (
    <section className="view view-fill" aria-label="Ignored faces">
      <header className="view-header">
        <h1>Ignored</h1>
        <span className="muted num" data-testid="ignored-count">
          {faces.data
            ? `${all.length} faces · ${counts['not-a-face']} not a face · ${counts.stranger} strangers`
            : '\u00a0'}
        </span>
        <div className="spacer" />
        <label>
          Show{' '}
          <select aria-label="Show" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">All</option>
            <option value="not-a-face">{ignoreReasonLabel('not-a-face')}</option>
            <option value="stranger">{ignoreReasonLabel('stranger')}s</option>
          </select>
        </label>
      </header>
      <div className="toolbar" role="toolbar" aria-label="Selection actions">
        <span className="num selection-count" aria-live="polite">
          {selected.length ? `${selected.length} selected` : 'None selected'}
        </span>
        <button type="button" disabled={!selected.length} onClick={unignore} title="Stop ignoring (U)">
          Stop ignoring
        </button>
        <button type="button" onClick={() => setSelection(selectAll(ids))} disabled={!ids.length}>
          Select all
        </button>
      </div>
      {faces.error && <p className="error">{faces.error}</p>}
      {faces.data && list.length === 0 ? (
        <p className="muted empty">
          Nothing ignored. In Unsorted or a person, <kbd>Delete</kbd> marks a face as not a face and <kbd>I</kbd>{' '}
          ignores a stranger; they land here.
        </p>
      ) : (
        <FaceGrid
          faces={list}
          selection={selection}
          onSelection={setSelection}
          onOpen={(f) => navigate({ view: 'photo', id: f.photoId, face: f.id })}
          onKey={onKey}
          label="Ignored faces"
        />
      )}
      <p className="hint muted">
        <kbd>U</kbd> stop ignoring · <kbd>Enter</kbd> open photo · <kbd>Ctrl+Z</kbd> undo
      </p>
    </section>
  );
}
