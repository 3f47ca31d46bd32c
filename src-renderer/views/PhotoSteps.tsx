/**
 * Previous / next photo for a photo opened from the Photos grid: the same list (its folder and people filter,
 * newest first), one step either way with the buttons or ← and →. Steps replace the address rather than add to
 * the history, so Back returns to the grid and not through every photo seen.
 */
import { useEffect, useRef } from 'react';
import { useApp } from '../app-context.js';
import { routeHash, type PhotoListPosition } from '../logic/format.js';
import { isTyping } from '../logic/keys.js';
import { useLoad } from '../use-load.js';

export function PhotoSteps({
  photoId,
  list,
  disabled,
}: {
  photoId: number;
  list: PhotoListPosition;
  disabled: boolean;
}) {
  const { api, version } = useApp();
  const { at, ...filter } = list;
  // The photos either side: one page of up to three around this place.
  const around = useLoad(
    () => api.listPhotos({ ...filter, offset: Math.max(0, at - 1), limit: at === 0 ? 2 : 3 }),
    [api, version, at, filter.folderId, filter.personIds?.join(',')],
  );
  // The list may have changed since the grid (photos indexed or removed): step only while this photo is still
  // at its place, rather than from a place that now holds another photo.
  const page = around.data && around.data.photos[at > 0 ? 1 : 0]?.id === photoId ? around.data : null;
  const previous = page && at > 0 ? (page.photos[0] ?? null) : null;
  const next = page ? (page.photos[at > 0 ? 2 : 1] ?? null) : null;

  const go = (photoId: number, place: number): void => {
    window.location.replace(routeHash({ view: 'photo', id: photoId, list: { ...filter, at: place } }));
  };
  const step = useRef<(e: KeyboardEvent) => void>(() => {});
  step.current = (e) => {
    if (disabled || e.defaultPrevented || isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (document.querySelector('[role="dialog"], [role="listbox"]')) return;
    const target = e.key === 'ArrowLeft' ? previous : e.key === 'ArrowRight' ? next : null;
    if (!target) return;
    e.preventDefault();
    go(target.id, e.key === 'ArrowLeft' ? at - 1 : at + 1);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => step.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="photo-steps row" role="group" aria-label="Other photos of the list">
      <button
        type="button"
        disabled={disabled || !previous}
        onClick={() => previous && go(previous.id, at - 1)}
        aria-keyshortcuts="ArrowLeft"
      >
        ← Newer
      </button>
      <span className="muted num" data-testid="photo-place">
        {page ? `${(at + 1).toLocaleString('en')} of ${page.total.toLocaleString('en')}` : '\u00a0'}
      </span>
      <button
        type="button"
        disabled={disabled || !next}
        onClick={() => next && go(next.id, at + 1)}
        aria-keyshortcuts="ArrowRight"
      >
        Older →
      </button>
    </div>
  );
}
