import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useApp } from '../app-context.js';
import { reportErrors } from '../report-errors.js';
import { EMPTY_SELECTION, pruneSelection, selectedInOrder, type Selection } from '../logic/selection.js';
import { useLoad } from '../use-load.js';
import { FaceGrid } from './FaceGrid.js';
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

  const onKey = (e: KeyboardEvent<HTMLDivElement>): boolean => {
    if (e.key.toLowerCase() === 'n' && !e.ctrlKey && !e.metaKey && selected.length) {
      e.preventDefault();
      document.getElementById('name-unsorted')?.focus();
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
    </section>
  );
}
