/**
 * Client-side undo state: the toast shown after a destructive action. The engine owns the undo stack, and the
 * History view reads it from the engine: actions that do not pass through here (a re-grouping, a folder removed
 * in the Library view) are on it too. This reducer only decides what the toast says, so it is pure and tested.
 */
import type { UndoEntryDto } from '../../src-shared/api.js';

export interface UndoState {
  /** The action a toast offers to undo (most recent), or null. */
  toast: UndoEntryDto | null;
  /** An undo request is in flight: further Ctrl+Z presses are ignored until it answers. */
  busy: boolean;
  /** A message after an undo ("Undid: Merged …"). */
  notice: string | null;
}

export const INITIAL_UNDO: UndoState = { toast: null, busy: false, notice: null };

export type UndoAction =
  | { type: 'did'; entry: UndoEntryDto }
  | { type: 'undo-start' }
  | { type: 'undo-done'; entry: UndoEntryDto | null }
  | { type: 'undo-failed'; message: string }
  | { type: 'dismiss' };

export function undoReducer(state: UndoState, action: UndoAction): UndoState {
  switch (action.type) {
    case 'did':
      return { ...state, toast: action.entry, notice: null };
    case 'undo-start':
      return state.busy ? state : { ...state, busy: true };
    case 'undo-done': {
      if (!action.entry) return { ...state, busy: false, toast: null, notice: 'Nothing to undo' };
      return { busy: false, toast: null, notice: `Undid: ${action.entry.label}` };
    }
    case 'undo-failed':
      return { ...state, busy: false, notice: `Undo failed: ${action.message}` };
    case 'dismiss':
      return { ...state, toast: null, notice: null };
  }
}

/** True when a keydown should trigger undo: Ctrl+Z / Cmd+Z without shift, not while typing in a field. */
export function isUndoKey(
  e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean },
  typing: boolean,
): boolean {
  return !typing && (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z';
}
