/**
 * Window maths for the virtualised face grid: which rows are on screen for a scroll position, and which
 * cells a drag rectangle covers. Pure: no DOM, so it is unit-tested and the component stays thin.
 */

export interface GridGeometry {
  /** Items in the grid. */
  count: number;
  /** Columns that fit the viewport width. */
  columns: number;
  /** Cell size in CSS pixels (square) and the gap between cells. */
  cell: number;
  gap: number;
}

export interface GridWindow {
  /** First and one-past-last item index to render. */
  start: number;
  end: number;
  /** Total scroll height of the grid (so the scrollbar is right before anything renders). */
  totalHeight: number;
  rows: number;
}

/** Columns that fit `width` with cells of at least `minCell` and `gap` between them (at least 1). */
export function columnsFor(width: number, minCell: number, gap: number): number {
  if (!(width > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (minCell + gap)));
}

/** Cell size that fills `width` exactly with `columns` columns. */
export function cellSizeFor(width: number, columns: number, gap: number): number {
  return Math.max(1, Math.floor((width - gap * (columns - 1)) / columns));
}

export function rowHeight(g: GridGeometry): number {
  return g.cell + g.gap;
}

/** Items to render for a viewport [scrollTop, scrollTop + height), with `overscan` extra rows each side. */
export function visibleWindow(g: GridGeometry, scrollTop: number, height: number, overscan = 2): GridWindow {
  const rows = Math.ceil(g.count / Math.max(1, g.columns));
  const rh = rowHeight(g);
  const totalHeight = rows === 0 ? 0 : rows * rh - g.gap;
  if (rows === 0) return { start: 0, end: 0, totalHeight, rows };
  const top = Math.max(0, scrollTop);
  const firstRow = Math.max(0, Math.min(rows - 1, Math.floor(top / rh)) - overscan);
  const lastRow = Math.min(rows - 1, Math.floor((top + Math.max(0, height)) / rh) + overscan);
  return {
    start: firstRow * g.columns,
    end: Math.min(g.count, (lastRow + 1) * g.columns),
    totalHeight,
    rows,
  };
}

/** Top-left position of item `index` inside the grid. */
export function cellPosition(g: GridGeometry, index: number): { x: number; y: number } {
  const row = Math.floor(index / g.columns);
  const col = index % g.columns;
  return { x: col * (g.cell + g.gap), y: row * (g.cell + g.gap) };
}

/** Item index at a point in grid coordinates, or null on a gap or past the end. */
export function indexAt(g: GridGeometry, x: number, y: number): number | null {
  if (x < 0 || y < 0) return null;
  const step = g.cell + g.gap;
  const col = Math.floor(x / step);
  const row = Math.floor(y / step);
  if (col >= g.columns || x - col * step > g.cell || y - row * step > g.cell) return null;
  const i = row * g.columns + col;
  return i < g.count ? i : null;
}

/** Indices of the cells a rectangle (grid coordinates, any corner order) touches, in order. */
export function indicesInRect(g: GridGeometry, x0: number, y0: number, x1: number, y1: number): number[] {
  const step = g.cell + g.gap;
  const left = Math.max(0, Math.min(x0, x1));
  const right = Math.max(x0, x1);
  const top = Math.max(0, Math.min(y0, y1));
  const bottom = Math.max(y0, y1);
  if (right < 0 || bottom < 0) return [];
  const c0 = Math.floor(left / step) + (left - Math.floor(left / step) * step > g.cell ? 1 : 0);
  const c1 = Math.min(g.columns - 1, Math.floor(right / step));
  const r0 = Math.floor(top / step) + (top - Math.floor(top / step) * step > g.cell ? 1 : 0);
  const r1 = Math.floor(bottom / step);
  const out: number[] = [];
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const i = r * g.columns + c;
      if (i < g.count) out.push(i);
    }
  }
  return out;
}
