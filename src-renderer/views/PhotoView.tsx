import { useRef, useState, type PointerEvent } from 'react';
import type { Box } from '../../src-shared/geometry.js';
import { useApp } from '../app-context.js';
import { reportErrors } from '../report-errors.js';
import { boxToPercent, dragToPhotoBox } from '../logic/photo-box.js';
import { useLoad } from '../use-load.js';
import { personLabel } from '../logic/format.js';
import { PersonPicker } from './PersonPicker.js';

export function PhotoView({ photoId, highlightFace }: { photoId: number; highlightFace: number | null }) {
  const { api, version, transport, navigate, did, showError } = useApp();
  const photo = useLoad(() => api.getPhoto({ photoId }), [api, photoId, version]);
  const [drawing, setDrawing] = useState(false);
  const [drag, setDrag] = useState<{ a: { x: number; y: number }; b: { x: number; y: number } } | null>(null);
  const [drawn, setDrawn] = useState<Box | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  const p = photo.data;

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
        <span className="muted num">
          {p ? `${p.faces.length} ${p.faces.length === 1 ? 'face' : 'faces'} · ${p.width}×${p.height}` : '\u00a0'}
        </span>
        <div className="spacer" />
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
              width: `min(100%, 60rem, calc(75vh * ${(p.width / p.height).toFixed(4)}))`,
            }}
            onPointerDown={onDown}
            onPointerMove={onMove}
            onPointerUp={onUp}
            data-testid="photo-stage"
          >
            <img src={transport.photoUrl(p.id)} alt={`Photo ${p.id}`} draggable={false} />
            {p.faces.map((f) => (
              <button
                type="button"
                key={f.id}
                className={`face-box${f.id === highlightFace ? ' highlight' : ''}${f.personId === null ? ' unassigned' : ''}`}
                style={boxToPercent(f.box, p.width, p.height)}
                disabled={drawing}
                onClick={() => f.personId !== null && navigate({ view: 'person', id: f.personId })}
                aria-label={
                  f.personId !== null ? personLabel({ id: f.personId, name: f.personName }) : 'Unassigned face'
                }
                data-face-id={f.id}
              >
                <span className="face-label">{f.personName ?? (f.personId !== null ? `#${f.personId}` : '?')}</span>
              </button>
            ))}
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
            {drawing ? 'Drag a rectangle around the face.' : 'Click a box to open that person.'}
          </span>
        )}
      </div>
    </section>
  );
}
