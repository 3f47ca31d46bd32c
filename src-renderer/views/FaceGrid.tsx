/**
 * Virtualised face grid: only the rows on screen (plus a little overscan) exist in the DOM, cells are
 * memoised by face id, so scrolling renders only the cells that come into view. Selection: click, ctrl/cmd
 * click, shift click, drag a rectangle (from anywhere in the grid), and the keyboard (arrows, shift+arrows,
 * space, ctrl+A, Esc). The selection itself is the pure model in src-renderer/logic/selection.ts.
 */
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { FaceDto } from '../../src-shared/api.js';
import { useApp } from '../app-context.js';
import {
  clickSelect,
  EMPTY_SELECTION,
  moveFocus,
  rectSelect,
  selectAll,
  toggleFocused,
  type Selection,
} from '../logic/selection.js';
import {
  cellPosition,
  cellSizeFor,
  columnsFor,
  indexAt,
  indicesInRect,
  visibleWindow,
  type GridGeometry,
} from '../logic/virtual-grid.js';
import { useScrollViewport } from '../use-scroll-viewport.js';

const MIN_CELL = 104;
const GAP = 8;

declare global {
  interface Window {
    /** Benchmark hook: how many grid cells have rendered since load. */
    __facenetCellRenders?: number;
  }
}

interface CellProps {
  face: FaceDto;
  url: string;
  x: number;
  y: number;
  size: number;
  selected: boolean;
  focused: boolean;
  cover: boolean;
  index: number;
}

/** Reloads (events while indexing) give new face objects: compare what a cell shows, not identity. */
function sameCell(a: CellProps, b: CellProps): boolean {
  return (
    a.face.id === b.face.id &&
    a.face.assignment === b.face.assignment &&
    a.url === b.url &&
    a.x === b.x &&
    a.y === b.y &&
    a.size === b.size &&
    a.selected === b.selected &&
    a.focused === b.focused &&
    a.cover === b.cover &&
    a.index === b.index
  );
}

const Cell = memo(function Cell({ face, url, x, y, size, selected, focused, cover, index }: CellProps) {
  window.__facenetCellRenders = (window.__facenetCellRenders ?? 0) + 1;
  return (
    <div
      className={`cell${selected ? ' selected' : ''}${focused ? ' focused' : ''}`}
      style={{ transform: `translate(${x}px, ${y}px)`, width: size, height: size }}
      role="gridcell"
      aria-selected={selected}
      data-face-id={face.id}
      data-index={index}
    >
      <img
        src={url}
        alt={`Face ${face.id}`}
        loading="lazy"
        decoding="async"
        draggable={false}
        width={size}
        height={size}
      />
      {face.assignment === 'confirmed' && (
        <span className="badge badge-confirmed" title="Confirmed">
          ✓
        </span>
      )}
      {cover && (
        <span className="badge badge-cover" title="Cover">
          ★
        </span>
      )}
    </div>
  );
}, sameCell);

export interface FaceGridProps {
  faces: readonly FaceDto[];
  selection: Selection;
  onSelection: (s: Selection) => void;
  onOpen?: (face: FaceDto) => void;
  coverFaceId?: number | null;
  /** Extra keys (review actions) handled by the parent; return true when handled. */
  onKey?: (e: KeyboardEvent<HTMLDivElement>) => boolean;
  label: string;
}

export function FaceGrid({ faces, selection, onSelection, onOpen, coverFaceId, onKey, label }: FaceGridProps) {
  const { transport } = useApp();
  const scroller = useRef<HTMLDivElement>(null);
  const { size, scrollTop, onScroll } = useScrollViewport(scroller);
  const [drag, setDrag] = useState<{
    x0: number;
    y0: number;
    x1: number;
    y1: number;
    base: Selection;
    mods: { shift: boolean; toggle: boolean };
  } | null>(null);
  const ids = useMemo(() => faces.map((f) => f.id), [faces]);

  const inner = Math.max(0, size.width - 2 * GAP);
  const columns = columnsFor(inner, MIN_CELL, GAP);
  const geometry: GridGeometry = useMemo(
    () => ({ count: faces.length, columns, cell: cellSizeFor(inner, columns, GAP), gap: GAP }),
    [faces.length, columns, inner],
  );
  const win = visibleWindow(geometry, scrollTop - GAP, size.height || 800, 2);

  /** Pointer position in grid coordinates (inside the padding, including scroll). */
  const gridPoint = (e: { clientX: number; clientY: number }): { x: number; y: number } => {
    const el = scroller.current!;
    const r = el.getBoundingClientRect();
    return { x: e.clientX - r.left - GAP + el.scrollLeft, y: e.clientY - r.top - GAP + el.scrollTop };
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    if (e.button !== 0) return;
    const el = scroller.current!;
    // Clicks on the scrollbar are not selections.
    if (e.clientX - el.getBoundingClientRect().left >= el.clientWidth) return;
    const p = gridPoint(e);
    el.focus({ preventScroll: true });
    el.setPointerCapture(e.pointerId);
    setDrag({
      x0: p.x,
      y0: p.y,
      x1: p.x,
      y1: p.y,
      base: selection,
      mods: { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey },
    });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>): void => {
    if (!drag) return;
    const p = gridPoint(e);
    const next = { ...drag, x1: p.x, y1: p.y };
    setDrag(next);
    if (Math.abs(next.x1 - next.x0) + Math.abs(next.y1 - next.y0) > 6) {
      onSelection(rectSelect(drag.base, ids, indicesInRect(geometry, next.x0, next.y0, next.x1, next.y1), drag.mods));
    }
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>): void => {
    if (!drag) return;
    const moved = Math.abs(drag.x1 - drag.x0) + Math.abs(drag.y1 - drag.y0) > 6;
    if (!moved) {
      const i = indexAt(geometry, drag.x0, drag.y0);
      if (i !== null) onSelection(clickSelect(selection, ids, i, drag.mods));
      else if (!drag.mods.toggle && !drag.mods.shift) onSelection(EMPTY_SELECTION);
    }
    setDrag(null);
    scroller.current?.releasePointerCapture(e.pointerId);
  };

  const onDoubleClick = (e: { clientX: number; clientY: number }): void => {
    const p = gridPoint(e);
    const i = indexAt(geometry, p.x, p.y);
    const f = i === null ? undefined : faces[i];
    if (f && onOpen) onOpen(f);
  };

  // Keep the keyboard focus on screen.
  useEffect(() => {
    const el = scroller.current;
    if (!el || selection.focus === null) return;
    const { y } = cellPosition(geometry, selection.focus);
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + geometry.cell + 2 * GAP > el.scrollTop + el.clientHeight)
      el.scrollTop = y + geometry.cell + 2 * GAP - el.clientHeight;
  }, [selection.focus, geometry]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (onKey?.(e)) return;
    const mods = { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey };
    let next: Selection | null = null;
    if (e.key === 'ArrowRight') next = moveFocus(selection, ids, 1, mods);
    else if (e.key === 'ArrowLeft') next = moveFocus(selection, ids, -1, mods);
    else if (e.key === 'ArrowDown') next = moveFocus(selection, ids, columns, mods);
    else if (e.key === 'ArrowUp') next = moveFocus(selection, ids, -columns, mods);
    else if (e.key === ' ') next = toggleFocused(selection, ids);
    else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') next = selectAll(ids);
    else if (e.key === 'Escape') next = EMPTY_SELECTION;
    else if (e.key === 'Enter' && selection.focus !== null && onOpen) {
      const f = faces[selection.focus];
      if (f) onOpen(f);
    }
    if (next) {
      e.preventDefault();
      onSelection(next);
    }
  };

  const cells = [];
  for (let i = win.start; i < win.end; i++) {
    const face = faces[i]!;
    const { x, y } = cellPosition(geometry, i);
    cells.push(
      <Cell
        key={face.id}
        face={face}
        url={transport.thumbUrl(face.id)}
        x={x}
        y={y}
        size={geometry.cell}
        selected={selection.selected.has(face.id)}
        focused={selection.focus === i}
        cover={coverFaceId === face.id}
        index={i}
      />,
    );
  }

  const rect = drag && Math.abs(drag.x1 - drag.x0) + Math.abs(drag.y1 - drag.y0) > 6 ? drag : null;
  return (
    <div
      ref={scroller}
      className="face-grid"
      role="grid"
      aria-label={label}
      aria-multiselectable
      aria-rowcount={win.rows}
      tabIndex={0}
      onScroll={onScroll}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onDoubleClick={onDoubleClick}
      onKeyDown={onKeyDown}
      data-testid="face-grid"
    >
      <div className="face-grid-inner" style={{ height: win.totalHeight }}>
        {cells}
        {rect && (
          <div
            className="drag-rect"
            style={{
              transform: `translate(${Math.min(rect.x0, rect.x1)}px, ${Math.min(rect.y0, rect.y1)}px)`,
              width: Math.abs(rect.x1 - rect.x0),
              height: Math.abs(rect.y1 - rect.y0),
            }}
          />
        )}
      </div>
    </div>
  );
}
