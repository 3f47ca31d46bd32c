/**
 * Selection model of a face grid, as a pure reducer over an ordered list of ids: click selects one,
 * ctrl/cmd-click toggles, shift-click selects the range from the anchor, a drag rectangle selects (or with
 * ctrl adds) a set of indices, and the keyboard moves a focus cursor.
 */

export interface Selection {
  selected: ReadonlySet<number>;
  /** Index the next shift-click extends from. */
  anchor: number | null;
  /** Keyboard focus (index). */
  focus: number | null;
}

export const EMPTY_SELECTION: Selection = { selected: new Set(), anchor: null, focus: null };

export interface Modifiers {
  shift?: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  toggle?: boolean;
}

export function clickSelect(s: Selection, ids: readonly number[], index: number, mods: Modifiers = {}): Selection {
  const id = ids[index];
  if (id === undefined) return s;
  if (mods.shift && s.anchor !== null) {
    const a = Math.min(s.anchor, index);
    const b = Math.max(s.anchor, index);
    const next = mods.toggle ? new Set(s.selected) : new Set<number>();
    for (let i = a; i <= b; i++) next.add(ids[i]!);
    return { selected: next, anchor: s.anchor, focus: index };
  }
  if (mods.toggle) {
    const next = new Set(s.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return { selected: next, anchor: index, focus: index };
  }
  return { selected: new Set([id]), anchor: index, focus: index };
}

/** Drag-rectangle selection: replaces (or with toggle, adds to) the base selection taken at drag start. */
export function rectSelect(
  base: Selection,
  ids: readonly number[],
  indices: readonly number[],
  mods: Modifiers = {},
): Selection {
  const next = mods.toggle || mods.shift ? new Set(base.selected) : new Set<number>();
  for (const i of indices) {
    const id = ids[i];
    if (id !== undefined) next.add(id);
  }
  const last = indices.length ? indices[indices.length - 1]! : base.focus;
  return { selected: next, anchor: indices.length ? indices[0]! : base.anchor, focus: last };
}

export function selectAll(ids: readonly number[]): Selection {
  return { selected: new Set(ids), anchor: ids.length ? 0 : null, focus: ids.length ? 0 : null };
}

/** Keeps only ids still present (after a move/reject/refresh), so a stale selection never acts. */
export function pruneSelection(s: Selection, ids: readonly number[]): Selection {
  const present = new Set(ids);
  const selected = new Set([...s.selected].filter((id) => present.has(id)));
  const clamp = (i: number | null): number | null =>
    i === null || ids.length === 0 ? null : Math.min(i, ids.length - 1);
  return { selected, anchor: clamp(s.anchor), focus: clamp(s.focus) };
}

/** Moves the keyboard focus by `delta` items (arrow keys: ±1, ±columns); shift extends the selection. */
export function moveFocus(s: Selection, ids: readonly number[], delta: number, mods: Modifiers = {}): Selection {
  if (ids.length === 0) return s;
  const from = s.focus ?? (delta > 0 ? -1 : ids.length);
  const to = Math.max(0, Math.min(ids.length - 1, from + delta));
  if (mods.shift) return clickSelect({ ...s, anchor: s.anchor ?? to }, ids, to, { shift: true });
  return { ...s, focus: to };
}

/** Space: toggle the focused item. */
export function toggleFocused(s: Selection, ids: readonly number[]): Selection {
  if (s.focus === null) return s;
  return clickSelect(s, ids, s.focus, { toggle: true });
}

/** Selected ids in grid order. */
export function selectedInOrder(s: Selection, ids: readonly number[]): number[] {
  return ids.filter((id) => s.selected.has(id));
}
