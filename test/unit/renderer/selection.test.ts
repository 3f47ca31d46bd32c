import { describe, expect, it } from 'vitest';
import {
  clickSelect,
  EMPTY_SELECTION,
  moveFocus,
  pruneSelection,
  rectSelect,
  selectAll,
  selectedInOrder,
  toggleFocused,
} from '../../../src-renderer/logic/selection.js';

const ids = [10, 11, 12, 13, 14, 15];
const sel = (s: { selected: ReadonlySet<number> }): number[] => [...s.selected].sort((a, b) => a - b);

describe('selection model', () => {
  it('click selects one, ctrl toggles, shift selects a range from the anchor', () => {
    let s = clickSelect(EMPTY_SELECTION, ids, 1);
    expect(sel(s)).toEqual([11]);
    s = clickSelect(s, ids, 3, { toggle: true });
    expect(sel(s)).toEqual([11, 13]);
    s = clickSelect(s, ids, 3, { toggle: true });
    expect(sel(s)).toEqual([11]);
    s = clickSelect(clickSelect(EMPTY_SELECTION, ids, 1), ids, 4, { shift: true });
    expect(sel(s)).toEqual([11, 12, 13, 14]);
    // Shift again from the same anchor, backwards, replaces the range.
    s = clickSelect(s, ids, 0, { shift: true });
    expect(sel(s)).toEqual([10, 11]);
    // Ctrl+shift adds a range to what is there.
    s = clickSelect(clickSelect(s, ids, 5, { toggle: true }), ids, 4, { shift: true, toggle: true });
    expect(sel(s)).toEqual([10, 11, 14, 15]);
    expect(clickSelect(s, ids, 99)).toBe(s);
  });

  it('drag rectangle replaces the selection, or adds with ctrl', () => {
    const base = clickSelect(EMPTY_SELECTION, ids, 0);
    expect(sel(rectSelect(base, ids, [2, 3]))).toEqual([12, 13]);
    expect(sel(rectSelect(base, ids, [2, 3], { toggle: true }))).toEqual([10, 12, 13]);
  });

  it('keyboard: arrows move focus, shift+arrows extend, space toggles, select all', () => {
    let s = moveFocus(EMPTY_SELECTION, ids, 1);
    expect(s.focus).toBe(0);
    s = moveFocus(s, ids, 2);
    expect(s.focus).toBe(2);
    s = toggleFocused(s, ids);
    expect(sel(s)).toEqual([12]);
    s = moveFocus(s, ids, 2, { shift: true });
    expect(sel(s)).toEqual([12, 13, 14]);
    expect(moveFocus(s, ids, 100).focus).toBe(5);
    expect(sel(selectAll(ids))).toEqual(ids);
  });

  it('prunes ids that left the grid and lists the selection in grid order', () => {
    const s = selectAll(ids);
    const pruned = pruneSelection(s, [10, 12]);
    expect(sel(pruned)).toEqual([10, 12]);
    expect(selectedInOrder(clickSelect(clickSelect(EMPTY_SELECTION, ids, 4), ids, 1, { toggle: true }), ids)).toEqual([
      11, 14,
    ]);
    expect(pruneSelection({ selected: new Set(), anchor: 5, focus: 5 }, [1, 2]).focus).toBe(1);
  });
});
