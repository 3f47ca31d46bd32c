/**
 * Virtualised photo grid for the Photos view: the window maths of the face grid (logic/virtual-grid.ts), and
 * the photos themselves fetched a page at a time (listPhotos) for the rows on screen only, so a library of
 * 100,000 photos costs a few pages, never the whole list. A change in the library (indexing, an edit) keeps
 * the cells on screen and reloads their pages; another filter starts afresh.
 *
 * Click a photo (or focus it with the arrow keys and press Enter) to open it in the Photo view. Each cell shows
 * a 320 px preview (`photoUrl(id, 320)`), and how many faces the photo has.
 */
import { memo, useEffect, useReducer, useRef, useState, type KeyboardEvent } from 'react';
import type { PhotoListItemDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import { formatDay, itemAt, pagesFor, PHOTO_PAGE_SIZE } from '../logic/photo-pages.js';
import { cellPosition, cellSizeFor, columnsFor, visibleWindow, type GridGeometry } from '../logic/virtual-grid.js';
import { useScrollViewport } from '../use-scroll-viewport.js';
import { plural } from '../../src-shared/words.js';

const MIN_CELL = 168;
const GAP = 6;
/** The preview edge asked of the server: sharp on cells up to 320 CSS pixels. */
export const GRID_PREVIEW_SIZE = 320;

export interface PhotoQuery {
  folderId?: number;
  personIds?: number[];
}

interface CellProps {
  photo: PhotoListItemDto | undefined;
  index: number;
  url: string | null;
  x: number;
  y: number;
  size: number;
  focused: boolean;
}

function sameCell(a: CellProps, b: CellProps): boolean {
  return (
    a.photo?.id === b.photo?.id &&
    a.photo?.faceCount === b.photo?.faceCount &&
    a.url === b.url &&
    a.x === b.x &&
    a.y === b.y &&
    a.size === b.size &&
    a.focused === b.focused &&
    a.index === b.index
  );
}

function faceWords(n: number): string {
  return n === 0 ? 'no faces' : plural(n, 'face');
}

const Cell = memo(function Cell({ photo, index, url, x, y, size, focused }: CellProps) {
  const label = photo ? `Photo of ${formatDay(photo.capturedAt)}, ${faceWords(photo.faceCount)}` : 'Loading';
  return (
    <div
      className={`cell photo-cell${focused ? ' focused' : ''}${photo ? '' : ' loading'}`}
      style={{ transform: `translate(${x}px, ${y}px)`, width: size, height: size }}
      role="gridcell"
      aria-label={label}
      title={photo ? label : undefined}
      data-index={index}
      data-photo-id={photo?.id}
    >
      {photo && url && (
        <img src={url} alt="" loading="lazy" decoding="async" draggable={false} width={size} height={size} />
      )}
      {photo && photo.faceCount > 0 && (
        <span className="badge badge-faces" aria-hidden="true">
          {plural(photo.faceCount, 'face')}
        </span>
      )}
    </div>
  );
}, sameCell);

interface Pages {
  /** The filter these pages are of. */
  key: string;
  /** Page number -> its photos, and the library version each page was loaded at. */
  pages: Map<number, PhotoListItemDto[]>;
  versions: Map<number, number>;
  /** Requests in flight: `${page}@${version}`. */
  loading: Set<string>;
  total: number | null;
}

export function PhotoGrid({
  query,
  label,
  onOpen,
  onTotal,
  onTopDate,
}: {
  query: PhotoQuery;
  label: string;
  /** The photo and its place in the list (0-based). */
  onOpen: (photo: PhotoListItemDto, index: number) => void;
  /** The whole list's length, once known (and after each change). */
  onTotal?: (total: number) => void;
  /** The capture date of the first photo on screen (for the "where am I" label). */
  onTopDate?: (capturedAt: string | null) => void;
}) {
  const { api, transport, version, showError } = useApp();
  const key = JSON.stringify(query);
  const store = useRef<Pages>(emptyPages(key));
  if (store.current.key !== key) store.current = emptyPages(key);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const scroller = useRef<HTMLDivElement>(null);
  const { size, scrollTop, setScrollTop, onScroll } = useScrollViewport(scroller);
  const [focus, setFocus] = useState<number | null>(null);

  // Another filter: back to the top, nothing focused.
  useEffect(() => {
    setFocus(null);
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [key]);

  const total = store.current.total ?? 0;
  const inner = Math.max(0, size.width - 2 * GAP);
  const columns = columnsFor(inner, MIN_CELL, GAP);
  const geometry: GridGeometry = { count: total, columns, cell: cellSizeFor(inner, columns, GAP), gap: GAP };
  const win = visibleWindow(geometry, scrollTop - GAP, size.height || 800, 2);

  // Load the pages the window needs (page 0 first of all: it tells the total), and those loaded before the
  // library last changed again.
  const { start, end } = win;
  useEffect(() => {
    const s = store.current;
    const wanted = s.total === null ? [0] : pagesFor(start, end);
    for (const page of wanted) {
      const tag = `${page}@${version}`;
      if (s.versions.get(page) === version || s.loading.has(tag)) continue;
      s.loading.add(tag);
      api.listPhotos({ ...query, offset: page * PHOTO_PAGE_SIZE, limit: PHOTO_PAGE_SIZE }).then(
        (r) => {
          s.loading.delete(tag);
          if (store.current !== s) return; // another filter since
          if ((s.versions.get(page) ?? -1) > version) return; // a newer load of this page came first
          s.pages.set(page, r.photos);
          s.versions.set(page, version);
          if (s.total !== r.total) {
            s.total = r.total;
            onTotal?.(r.total);
          }
          rerender();
        },
        (e: unknown) => {
          s.loading.delete(tag);
          showError(e);
        },
      );
    }
    // `query` is represented by `key`.
  }, [api, key, version, start, end, store.current.total]);

  // The date of the first row on screen.
  const firstOnScreen = Math.min(total - 1, Math.floor(Math.max(0, scrollTop) / (geometry.cell + GAP)) * columns);
  const topDate = firstOnScreen >= 0 ? (itemAt(store.current.pages, firstOnScreen)?.capturedAt ?? null) : null;
  useEffect(() => onTopDate?.(topDate), [topDate, onTopDate]);

  // Keep the keyboard focus on screen.
  useEffect(() => {
    const el = scroller.current;
    if (!el || focus === null) return;
    const { y } = cellPosition(geometry, focus);
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + geometry.cell + 2 * GAP > el.scrollTop + el.clientHeight)
      el.scrollTop = y + geometry.cell + 2 * GAP - el.clientHeight;
  }, [focus, geometry.cell, columns]);

  const photoAt = (i: number): PhotoListItemDto | undefined => itemAt(store.current.pages, i);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (total === 0) return;
    const at = focus ?? -1;
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = at + 1;
    else if (e.key === 'ArrowLeft') next = at - 1;
    else if (e.key === 'ArrowDown') next = at < 0 ? 0 : at + columns;
    else if (e.key === 'ArrowUp') next = at - columns;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = total - 1;
    else if (e.key === 'PageDown') next = at + columns * Math.max(1, Math.floor(size.height / (geometry.cell + GAP)));
    else if (e.key === 'PageUp') next = at - columns * Math.max(1, Math.floor(size.height / (geometry.cell + GAP)));
    else if (e.key === 'Enter' && focus !== null) {
      const photo = photoAt(focus);
      if (photo) {
        e.preventDefault();
        onOpen(photo, focus);
      }
      return;
    } else if (e.key === 'Escape' && focus !== null) {
      e.preventDefault();
      setFocus(null);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    setFocus(Math.max(0, Math.min(total - 1, next)));
  };

  const onClick = (e: { target: EventTarget }): void => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('.photo-cell');
    if (!cell) return;
    const index = Number(cell.dataset.index);
    setFocus(index);
    const photo = photoAt(index);
    if (photo) onOpen(photo, index);
  };

  const cells = [];
  for (let i = win.start; i < win.end; i++) {
    const photo = photoAt(i);
    const { x, y } = cellPosition(geometry, i);
    cells.push(
      <Cell
        key={photo ? `p${photo.id}` : `i${i}`}
        photo={photo}
        index={i}
        url={photo ? transport.photoUrl(photo.id, GRID_PREVIEW_SIZE) : null}
        x={x}
        y={y}
        size={geometry.cell}
        focused={focus === i}
      />,
    );
  }

  return (
    <div
      ref={scroller}
      className="face-grid photo-grid"
      role="grid"
      aria-label={label}
      aria-rowcount={win.rows}
      tabIndex={0}
      onScroll={onScroll}
      onClick={onClick}
      onKeyDown={onKeyDown}
      data-testid="photo-grid"
      data-total={store.current.total ?? ''}
    >
      <div className="face-grid-inner" style={{ height: win.totalHeight }}>
        {cells}
      </div>
    </div>
  );
}

function emptyPages(key: string): Pages {
  return { key, pages: new Map(), versions: new Map(), loading: new Set(), total: null };
}
