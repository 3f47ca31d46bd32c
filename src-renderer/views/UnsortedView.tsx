import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { IgnoreReasonDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { ignoreReasonForKey } from '../logic/ignore-keys.js';
import { reportErrors } from '../report-errors.js';
import { EMPTY_SELECTION, pruneSelection, selectedInOrder, type Selection } from '../logic/selection.js';
import { useLoad } from '../use-load.js';
import { FaceGrid } from './FaceGrid.js';
import { IgnoreButtons } from './IgnoreButtons.js';
import { PersonPicker } from './PersonPicker.js';

/**
 * Faces no person claims (small clusters, low quality, rejected), in the engine's order (similar faces
 * next to each other), for bulk naming: select a run of similar faces and give them a person.
 */
export function UnsortedView() {
  const { api, version, did, showError, navigate } = useApp();
  const faces = useLoad(() => api.unsortedFaces({ limit: 5000 }), [api, version]);
  const list = useMemo(() => faces.data ?? [], [faces.data]);
  const ids = useMemo(() => list.map((f) => f.id), [list]);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  useEffect(() => setSelection((s) => pruneSelection(s, ids)), [ids]);
  const selected = selectedInOrder(selection, ids);

  const ignore = (reason: IgnoreReasonDto): void => {
    if (selected.length) api.ignoreFaces({ faceIds: selected, reason }).then(did, showError);
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>): boolean => {
    if (e.key.toLowerCase() === 'n' && !e.ctrlKey && !e.metaKey && selected.length) {
      e.preventDefault();
      document.getElementById('name-unsorted')?.focus();
      return true;
    }
    // No person to say "not this person" to here: X, like Delete, dismisses a false detection.
    const plainX = e.key.toLowerCase() === 'x' && !e.ctrlKey && !e.metaKey && !e.altKey;
    const reason = plainX ? 'not-a-face' : ignoreReasonForKey(e);
    if (reason) {
      e.preventDefault();
      ignore(reason);
      return true;
    }
    return false;
  };

  return (
    <section className="view view-fill" aria-label="Unsorted faces">
      <header className="view-header">
        <h1>Unsorted</h1>
        <span className="muted num">{faces.data ? `${list.length} faces, similar faces together` : '\u00a0'}</span>
      </header>
      <div className="toolbar" role="toolbar" aria-label="Selection actions">
        <span className="num selection-count">{selected.length ? `${selected.length} selected` : 'None selected'}</span>
        <PersonPicker
          id="name-unsorted"
          label="Name as…"
          disabled={!selected.length}
          onPick={reportErrors(showError, (to) => api.moveFaces({ faceIds: selected, to }).then(did))}
        />
        <IgnoreButtons disabled={!selected.length} onIgnore={ignore} notAFaceKeys="Delete or X" />
      </div>
      {faces.data && list.length === 0 ? (
        <p className="muted empty">Nothing unsorted.</p>
      ) : (
        <FaceGrid
          faces={list}
          selection={selection}
          onSelection={setSelection}
          onOpen={(f) => navigate({ view: 'photo', id: f.photoId, face: f.id })}
          onKey={onKey}
          label="Unsorted faces"
        />
      )}
      <p className="hint muted">
        <kbd>N</kbd> name as… · <kbd>Delete</kbd>/<kbd>X</kbd> not a face · <kbd>I</kbd> ignore stranger ·{' '}
        <kbd>Enter</kbd> open photo · <kbd>Ctrl+Z</kbd> undo
      </p>
    </section>
  );
}
