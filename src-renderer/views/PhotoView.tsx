import { useRef, useState, type PointerEvent } from 'react';
import type { Box } from '../../src-shared/geometry.js';
import { useApp } from '../app-context.js';
import { reportErrors } from '../report-errors.js';
import { boxToPercent, dragToPhotoBox } from '../logic/photo-box.js';
import { useLoad } from '../use-load.js';
import { FacePanel } from './FacePanel.js';
import { PersonPicker } from './PersonPicker.js';
import { ignoreReasonLabel } from '../logic/ignore-keys.js';
import { personLabel, type PhotoListPosition } from '../logic/format.js';
import { PhotoSteps } from './PhotoSteps.js';
import { plural } from '../../src-shared/words.js';

export function PhotoView({
  photoId,
  highlightFace,
  list,
}: {
  photoId: number;
  highlightFace: number | null;
  /** Set when opened from the Photos grid: the list to step through. */
  list?: PhotoListPosition;
}) {
  const { api, version, transport, did, showError } = useApp();
  const photo = useLoad(() => api.getPhoto({ photoId }), [api, photoId, version]);
  const [drawing, setDrawing] = useState(false);
  const [drag, setDrag] = useState<{ a: { x: number; y: number }; b: { x: number; y: number } } | null>(null);
  const [drawn, setDrawn] = useState<Box | null>(null);
  /** The face whose panel is open (FacePanel); it follows the reloaded photo, so the result of an action shows. */
  const [openFace, setOpenFace] = useState<number | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const p = photo.data;
  const panelFace = p?.faces.find((f) => f.id === openFace) ?? null;

  const local = (e: { clientX: number; clientY: number }): { x: number; y: number } => {
    const r = stage.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onDown = (e: PointerEvent<HTMLDivElement>): void => {
    if (!drawing || e.button !== 0) return;
    e.preventDefault();
    stage.current!.setPointerCapture(e.pointerId);
    const pt = local(e);
    setDrag({ a: pt, b: pt });
    setDrawn(null);
  };
  const onMove = (e: PointerEvent<HTMLDivElement>): void => {
    if (drag) setDrag({ a: drag.a, b: local(e) });
  };
  const onUp = (): void => {
    if (!drag || !p || !stage.current) return;
    const r = stage.current.getBoundingClientRect();
    setDrawn(
      dragToPhotoBox(drag.a, drag.b, { width: r.width, height: r.height }, { width: p.width, height: p.height }),
    );
    setDrag(null);
  };

  return (
    <section className="view" aria-label="Photo">
      <header className="view-header">
        <button type="button" className="back" onClick={() => window.history.back()}>
          ← Back
        </button>
        <h1>Photo {p?.takenAt ? `· ${p.takenAt}` : ''}</h1>
        <span className="muted num">{p ? `${plural(p.faces.length, 'face')} · ${p.width}×${p.height}` : '\u00a0'}</span>
        <div className="spacer" />
        {list && <PhotoSteps photoId={photoId} list={list} disabled={drawing || drawn !== null} />}
        <button
          type="button"
          aria-pressed={drawing}
          className={drawing ? 'primary' : ''}
          onClick={() => {
            setDrawing(!drawing);
            setDrawn(null);
          }}
        >
          {drawing ? 'Drawing: drag around a face' : 'Add a missed face'}
        </button>
      </header>
      {photo.error && <p className="error">{photo.error}</p>}
      {p && (
        <div className="photo-wrap">
          <div
            ref={stage}
            className={`photo-stage${drawing ? ' drawing' : ''}`}
            style={{
              aspectRatio: `${p.width} / ${p.height}`,
              // Short enough that the face panel, the toolbar and the undo toast fit under it on one screen.
              width: `min(100%, 60rem, calc(max(12rem, 100vh - 22rem) * ${(p.width / p.height).toFixed(4)}))`,
            }}
            onPointerDown={onDown}
            onPointerMove={onMove}
            onPointerUp={onUp}
            data-testid="photo-stage"
          >
            <img src={transport.photoUrl(p.id)} alt={`Photo ${p.id}`} draggable={false} />
            {p.faces.map((f) => {
              const label = f.ignored
                ? ignoreReasonLabel(f.ignored)
                : f.personId !== null
                  ? (f.personName ?? `#${f.personId}`)
                  : '?';
              const classes = [
                'face-box',
                f.id === highlightFace ? 'highlight' : '',
                f.personId === null ? 'unassigned' : '',
                f.ignored ? 'ignored' : '',
                f.id === openFace ? 'open' : '',
              ];
              return (
                <button
                  type="button"
                  key={f.id}
                  className={classes.filter(Boolean).join(' ')}
                  style={boxToPercent(f.box, p.width, p.height)}
                  disabled={drawing}
                  onClick={() => setOpenFace(f.id)}
                  aria-label={
                    f.ignored
                      ? `Ignored face: ${label}`
                      : f.personId !== null
                        ? personLabel({ id: f.personId, name: f.personName })
                        : 'Unassigned face'
                  }
                  aria-pressed={f.id === openFace}
                  data-face-id={f.id}
                >
                  <span className="face-label">{label}</span>
                </button>
              );
            })}
            {drag && (
              <div
                className="face-box drawing-box"
                style={{
                  left: Math.min(drag.a.x, drag.b.x),
                  top: Math.min(drag.a.y, drag.b.y),
                  width: Math.abs(drag.b.x - drag.a.x),
                  height: Math.abs(drag.b.y - drag.a.y),
                }}
              />
            )}
            {drawn && (
              <div
                className="face-box drawing-box"
                style={boxToPercent(drawn, p.width, p.height)}
                data-testid="drawn-box"
              />
            )}
          </div>
        </div>
      )}
      {panelFace && !drawing && <FacePanel face={panelFace} onClose={() => setOpenFace(null)} />}
      <div className="toolbar" aria-live="polite">
        {drawn ? (
          <>
            <span>
              New face at {drawn.x},{drawn.y} ({drawn.width}×{drawn.height}): who is it?
            </span>
            <PersonPicker
              id="assign-drawn"
              label="Assign to…"
              onPick={reportErrors(showError, (to) =>
                api.addManualFace({ photoId, box: drawn, to }).then((r) => {
                  setDrawn(null);
                  setDrawing(false);
                  did(r);
                }),
              )}
            />
            <button type="button" onClick={() => setDrawn(null)}>
              Discard
            </button>
          </>
        ) : (
          <span className="muted">
            {drawing ? 'Drag a rectangle around the face.' : 'Click a box to name it, confirm it, or dismiss it.'}
          </span>
        )}
      </div>
    </section>
  );
}
