import { describe, expect, it } from 'vitest';
import {
  cellPosition,
  cellSizeFor,
  columnsFor,
  indexAt,
  indicesInRect,
  visibleWindow,
  type GridGeometry,
} from '../../../src-renderer/logic/virtual-grid.js';

const g: GridGeometry = { count: 10_000, columns: 10, cell: 100, gap: 10 };

describe('virtual grid window maths', () => {
  it('fits columns to the width and fills it', () => {
    expect(columnsFor(1090, 100, 10)).toBe(10);
    expect(columnsFor(1089, 100, 10)).toBe(9);
    expect(columnsFor(50, 100, 10)).toBe(1);
    expect(columnsFor(0, 100, 10)).toBe(1);
    expect(cellSizeFor(1090, 10, 10)).toBe(100);
  });

  it('renders only the rows on screen plus overscan, with the full scroll height', () => {
    const w = visibleWindow(g, 0, 550, 2);
    expect(w.rows).toBe(1000);
    expect(w.totalHeight).toBe(1000 * 110 - 10);
    expect(w.start).toBe(0);
    expect(w.end).toBe((5 + 2 + 1) * 10); // rows 0..7
    const mid = visibleWindow(g, 110 * 500, 550, 2);
    expect(mid.start).toBe(498 * 10);
    expect(mid.end).toBe(508 * 10);
    expect(mid.end - mid.start).toBeLessThan(200);
  });

  it('clamps at the end and handles an empty grid', () => {
    const w = visibleWindow(g, 1e9, 550, 2);
    expect(w.end).toBe(10_000);
    expect(w.start).toBeLessThan(w.end);
    expect(visibleWindow({ ...g, count: 0 }, 0, 500)).toEqual({ start: 0, end: 0, totalHeight: 0, rows: 0 });
    const partial = visibleWindow({ ...g, count: 25 }, 0, 1000);
    expect(partial.end).toBe(25);
    expect(partial.rows).toBe(3);
  });

  it('positions cells and finds the cell under a point (not on gaps)', () => {
    expect(cellPosition(g, 0)).toEqual({ x: 0, y: 0 });
    expect(cellPosition(g, 13)).toEqual({ x: 330, y: 110 });
    expect(indexAt(g, 335, 115)).toBe(13);
    expect(indexAt(g, 105, 5)).toBeNull(); // gap
    expect(indexAt(g, 1200, 5)).toBeNull(); // right of the last column
    expect(indexAt({ ...g, count: 12 }, 335, 115)).toBeNull(); // past the end
  });

  it('selects the cells a drag rectangle touches, in any direction', () => {
    expect(indicesInRect(g, 50, 50, 160, 160)).toEqual([0, 1, 10, 11]);
    expect(indicesInRect(g, 160, 160, 50, 50)).toEqual([0, 1, 10, 11]);
    // Starting in a gap does not pick the cell before it.
    expect(indicesInRect(g, 105, 105, 120, 120)).toEqual([11]);
    expect(indicesInRect({ ...g, count: 11 }, 0, 0, 2000, 300)).toHaveLength(11);
  });
});
