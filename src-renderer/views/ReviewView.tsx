import { useEffect, useRef, useState } from 'react';
import type { ReviewItemDto, UndoEntryDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { personLabel } from '../logic/format.js';
import { isTyping } from '../logic/keys.js';
import { boxToPercent } from '../logic/photo-box.js';
import {
  answer,
  back,
  INITIAL_REVIEW,
  reloaded,
  restart,
  reviewKey,
  reviewPosition,
  skip,
  type ReviewState,
  unanswer,
} from '../logic/review.js';
import { useLoad } from '../use-load.js';

/** Faces loaded at once; the engine's total says how many there are in all. */
const QUEUE_LIMIT = 500;

/**
 * "Is this Alice?": one face at a time that the grouping put into a named person (or into `personId`) and the
 * user has not confirmed, the most doubtful first, with its photo and the person's most alike confirmed faces.
 * Yes confirms it for the person, No is "not this person", Skip passes; each answer is one undoable action.
 */
export function ReviewView({ personId }: { personId: number | null }) {
  const { api, version, transport, did, showError, navigate } = useApp();
  const queue = useLoad(
    () => api.reviewQueue(personId === null ? { limit: QUEUE_LIMIT } : { personId, limit: QUEUE_LIMIT }),
    [api, personId, version],
  );
  const [state, setState] = useState<ReviewState>(INITIAL_REVIEW);
  /** Faces whose answer the engine has not acknowledged yet. */
  const pending = useRef(new Set<number>());
  useEffect(() => setState((s) => reloaded(s, pending.current)), [queue.data]);
  const items = queue.data?.items ?? [];
  const at = reviewPosition(items, queue.data?.total ?? 0, state);
  const item = at.current;
  const photo = useLoad(
    () => (item ? api.getPhoto({ photoId: item.face.photoId }) : Promise.resolve(null)),
    [api, item?.face.photoId, version],
  );
  const person = useLoad(
    () => (personId === null ? Promise.resolve(null) : api.getPerson({ personId })),
    [api, personId, version],
  );

  const act = (it: ReviewItemDto, p: Promise<UndoEntryDto>): void => {
    const id = it.face.id;
    pending.current.add(id);
    setState((s) => answer(s, id));
    p.then(
      (entry) => {
        pending.current.delete(id);
        did(entry);
      },
      (e: unknown) => {
        pending.current.delete(id);
        setState((s) => unanswer(s, id)); // the answer did not happen: ask again
        showError(e);
      },
    );
  };
  const yes = (): void => {
    if (item) act(item, api.confirmFaces({ faceIds: [item.face.id], personId: item.person.id }));
  };
  const no = (): void => {
    if (item) act(item, api.rejectFaces({ faceIds: [item.face.id], personId: item.person.id }));
  };
  const onSkip = (): void => {
    if (item) setState((s) => skip(s, item.face.id));
  };
  const onBack = (): void => setState(back);

  const handler = useRef<(e: KeyboardEvent) => void>(() => {});
  handler.current = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || isTyping(e.target) || document.querySelector('[role="dialog"]')) return;
    const k = reviewKey(e);
    if (!k) return;
    e.preventDefault();
    if (k === 'yes') yes();
    else if (k === 'no') no();
    else if (k === 'skip') onSkip();
    else onBack();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => handler.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const scopeName = person.data ? personLabel(person.data.person) : null;
  const who = item ? personLabel(item.person) : (scopeName ?? 'this person');
  const p = photo.data;

  return (
    <section className="view review-view" aria-label="Review">
      <header className="view-header">
        {personId !== null && (
          <a href={`#/person/${personId}`} className="back" aria-label={`Back to ${scopeName ?? 'the person'}`}>
            ← {scopeName ?? 'Person'}
          </a>
        )}
        <h1 data-testid="review-question">{item ? `Is this ${who}?` : 'Review'}</h1>
        <span className="muted num" data-testid="review-progress" aria-live="polite">
          {queue.data ? (item ? `${at.position} of ${at.total} to review` : '') : '\u00a0'}
        </span>
      </header>
      {queue.error && <p className="error">{queue.error}</p>}
      {queue.data && !item && (
        <div className="review-done" data-testid="review-done" role="status">
          {at.skipped > 0 ? (
            <>
              <h2>You have been through every face</h2>
              <p>
                {at.skipped} skipped {at.skipped === 1 ? 'face is' : 'faces are'} still waiting for a yes or a no.
              </p>
              <button type="button" className="primary" onClick={() => setState(restart)}>
                Review the skipped faces
              </button>
            </>
          ) : (
            <>
              <h2>All reviewed</h2>
              <p>
                {personId === null
                  ? 'Every face the app put into a named person is confirmed.'
                  : `Every face of ${scopeName ?? 'this person'} is confirmed.`}
              </p>
            </>
          )}
          <p>
            {personId !== null ? <a href={`#/person/${personId}`}>Back to {scopeName ?? 'the person'}</a> : null}{' '}
            <a href="#/people">People</a>
          </p>
        </div>
      )}
      {item && (
        <div className="review-body" data-testid="review-card" data-face-id={item.face.id}>
          <div className="review-face">
            <img src={transport.thumbUrl(item.face.id)} alt={`Face ${item.face.id}`} width={200} height={200} />
            <div className="review-actions" role="group" aria-label="Answer">
              <button type="button" className="primary" onClick={yes} title={`Yes, this is ${who} (Y)`}>
                Yes <kbd>Y</kbd>
              </button>
              <button type="button" onClick={no} title={`No, not ${who} (N)`}>
                No <kbd>N</kbd>
              </button>
              <button type="button" onClick={onSkip} title="Skip for now (S or →)">
                Skip <kbd>S</kbd>
              </button>
            </div>
            <div className="review-refs">
              <div className="muted">
                {item.references.length > 0 ? `${who}, confirmed:` : `${who} has no confirmed faces yet`}
              </div>
              <div className="review-ref-list">
                {item.references.map((id) => (
                  <img key={id} src={transport.thumbUrl(id)} alt={`Confirmed face of ${who}`} width={72} height={72} />
                ))}
              </div>
              <button
                type="button"
                className="link-button"
                onClick={() => navigate({ view: 'person', id: item.person.id })}
              >
                Open {who}
              </button>
            </div>
          </div>
          <div className="review-photo">
            {p && p.id === item.face.photoId && p.width > 0 && p.height > 0 ? (
              <div
                className="photo-stage"
                style={{
                  aspectRatio: `${p.width} / ${p.height}`,
                  width: `min(100%, calc(60vh * ${(p.width / p.height).toFixed(4)}))`,
                }}
                data-testid="review-photo"
              >
                <img src={transport.photoUrl(p.id)} alt={`Photo ${p.id}`} draggable={false} />
                <div
                  className="face-box highlight review-box"
                  style={boxToPercent(item.face.box, p.width, p.height)}
                  aria-hidden="true"
                />
              </div>
            ) : (
              <div className="photo-stage review-photo-placeholder" />
            )}
            <button
              type="button"
              className="link-button"
              onClick={() => navigate({ view: 'photo', id: item.face.photoId, face: item.face.id })}
            >
              Open the photo
            </button>
          </div>
        </div>
      )}
      <p className="hint muted">
        <kbd>Y</kbd> yes · <kbd>N</kbd> no, not this person · <kbd>S</kbd> or <kbd>→</kbd> skip · <kbd>←</kbd> back to
        the skipped face · <kbd>Ctrl+Z</kbd> undo
      </p>
    </section>
  );
}
