/**
 * Client-side undo state: the toast shown after a destructive action and the history list. The engine owns
 * the real undo stack; this reducer only decides what the user sees, so it is pure and tested.
 */
import type { UndoEntryDto } from '../../src-shared/api.js';

export interface UndoState {
  /** The action a toast offers to undo (most recent), or null. */
  toast: UndoEntryDto | null;
  /** Known history, most recent first. */
  history: UndoEntryDto[];
  /** An undo request is in flight: further Ctrl+Z presses are ignored until it answers. */
  busy: boolean;
  /** A message after an undo ("Undid: Merged …"). */
  notice: string | null;
}

export const INITIAL_UNDO: UndoState = { toast: null, history: [], busy: false, notice: null };

export type UndoAction =
  | { type: 'did'; entry: UndoEntryDto }
  | { type: 'undo-start' }
  | { type: 'undo-done'; entry: UndoEntryDto | null }
  | { type: 'undo-failed'; message: string }
  | { type: 'history'; entries: UndoEntryDto[] }
  | { type: 'dismiss' };

export function undoReducer(state: UndoState, action: UndoAction): UndoState {
  switch (action.type) {
    case 'did':
      return {
        ...state,
        toast: action.entry,
        notice: null,
        history: [action.entry, ...state.history.filter((e) => e.id !== action.entry.id)],
      };
    case 'undo-start':
      return state.busy ? state : { ...state, busy: true };
    case 'undo-done': {
      if (!action.entry) return { ...state, busy: false, toast: null, notice: 'Nothing to undo' };
      const undone = action.entry;
      const history = state.history.filter((e) => e.id !== undone.id);
      return { busy: false, history, toast: null, notice: `Undid: ${undone.label}` };
    }
    case 'undo-failed':
      return { ...state, busy: false, notice: `Undo failed: ${action.message}` };
    case 'history':
      return { ...state, history: action.entries };
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
