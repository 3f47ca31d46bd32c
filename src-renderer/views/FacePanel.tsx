import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { IgnoreReasonDto, PhotoDto, UndoEntryDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { ignoreReasonForKey, ignoreReasonLabel } from '../logic/ignore-keys.js';
import { personLabel } from '../logic/format.js';
import { PersonPicker } from './PersonPicker.js';

type PhotoFace = PhotoDto['faces'][number];

/**
 * The Photo view's panel on one face box: name it (an existing person or a new one), confirm it, "not this
 * person", "not a face", "ignore stranger", or stop ignoring it. Every action is one undoable edit; the panel
 * stays on the face so the user sees the result. Keys while it has focus: C, X, Delete, I, U, Escape.
 */
export function FacePanel({ face, onClose }: { face: PhotoFace; onClose: () => void }) {
  const { api, transport, did, showError, navigate } = useApp();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => panel.current?.focus(), [face.id]);

  const act = (p: Promise<UndoEntryDto>): void => {
    p.then(did, showError);
  };
  const person = face.personId === null ? null : { id: face.personId, name: face.personName };
  const confirm = (): void => {
    if (person && face.assignment !== 'confirmed') act(api.confirmFaces({ faceIds: [face.id], personId: person.id }));
  };
  const reject = (): void => {
    if (person) act(api.rejectFaces({ faceIds: [face.id], personId: person.id }));
  };
  const ignore = (reason: IgnoreReasonDto): void => {
    if (face.ignored !== reason) act(api.ignoreFaces({ faceIds: [face.id], reason }));
  };
  const unignore = (): void => {
    if (face.ignored) act(api.unignoreFaces({ faceIds: [face.id] }));
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.target !== panel.current) return; // keys typed into the picker are the picker's
    const k = e.key.toLowerCase();
    const reason = ignoreReasonForKey(e);
    if (e.key === 'Escape') onClose();
    else if (reason) ignore(reason);
    else if (e.ctrlKey || e.metaKey || e.altKey) return;
    else if (k === 'c') confirm();
    else if (k === 'x') reject();
    else if (k === 'u') unignore();
    else return;
    e.preventDefault();
  };

  const status = face.ignored
    ? `Ignored: ${ignoreReasonLabel(face.ignored).toLowerCase()}`
    : person
      ? `${personLabel(person)}${face.assignment === 'confirmed' ? ' · confirmed' : ' · suggested by grouping'}`
      : 'In no person (Unsorted)';

  return (
    <div
      ref={panel}
      className="face-panel"
      role="dialog"
      aria-label="Face"
      tabIndex={-1}
      onKeyDown={onKey}
      data-testid="face-panel"
    >
      <img src={transport.thumbUrl(face.id)} alt="" width={72} height={72} />
      <div className="face-panel-body">
        <div className="face-panel-status" data-testid="face-status">
          {status}
        </div>
        <div className="face-panel-actions">
          <PersonPicker
            id="name-face"
            label={person ? 'Someone else…' : 'Name as…'}
            exclude={face.personId ?? undefined}
            onPick={(to) => act(api.moveFaces({ faceIds: [face.id], to }))}
          />
          {person && face.assignment !== 'confirmed' && !face.ignored && (
            <button type="button" onClick={confirm} title={`Yes, this is ${personLabel(person)} (C)`}>
              Confirm {personLabel(person)}
            </button>
          )}
          {person && !face.ignored && (
            <button type="button" onClick={reject} title="Not this person (X)">
              Not {personLabel(person)}
            </button>
          )}
          {face.ignored ? (
            <button type="button" onClick={unignore} title="Stop ignoring (U)">
              Stop ignoring
            </button>
          ) : (
            <>
              <button type="button" onClick={() => ignore('not-a-face')} title="A false detection (Delete)">
                Not a face
              </button>
              <button type="button" onClick={() => ignore('stranger')} title="A stranger, never grouped (I)">
                Ignore stranger
              </button>
            </>
          )}
          {person && (
            <button type="button" onClick={() => navigate({ view: 'person', id: person.id })}>
              Open {personLabel(person)}
            </button>
          )}
          <button type="button" onClick={onClose} aria-label="Close the face panel (Escape)">
            Close
          </button>
        </div>
        <p className="hint muted">
          <kbd>C</kbd> confirm · <kbd>X</kbd> not this person · <kbd>Delete</kbd> not a face · <kbd>I</kbd> ignore
          stranger · <kbd>U</kbd> stop ignoring · <kbd>Esc</kbd> close
        </p>
      </div>
    </div>
  );
}
