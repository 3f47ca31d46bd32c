/**
 * The "Is this Alice?" review as pure state over the engine's queue (most doubtful first): which face is shown,
 * and where the user is in the queue. Yes and No answer a face (it leaves the queue once the engine has the
 * answer; until the reload it is hidden here, so the next face shows at once); Skip passes over a face for this
 * visit, Back returns to the face skipped last. The queue's order and total come from the engine, so an undo
 * (Ctrl+Z), which puts an answered face back, shows again after the reload.
 */
export interface ReviewState {
  /** Faces skipped in this visit, in the order they were skipped. */
  skipped: readonly number[];
  /** Faces answered but maybe still in the loaded queue (kept while their answer is on its way). */
  answered: ReadonlySet<number>;
}

export const INITIAL_REVIEW: ReviewState = { skipped: [], answered: new Set() };

export interface ReviewPosition<T> {
  /** The face to ask about, or null when none is left but skipped ones (or none at all). */
  current: T | null;
  /** 1-based place of the current face among the faces left to review. */
  position: number;
  /** Faces left to review (the engine's total, less those answered since it was loaded). */
  total: number;
  /** Faces skipped that are still waiting. */
  skipped: number;
}

/** Where the review is, over the loaded queue (`items` in the engine's order; `total` may exceed them). */
export function reviewPosition<T extends { face: { id: number } }>(
  items: readonly T[],
  total: number,
  state: ReviewState,
): ReviewPosition<T> {
  const left = items.filter((i) => !state.answered.has(i.face.id));
  const answeredHere = items.length - left.length;
  const skipped = new Set(state.skipped);
  const index = left.findIndex((i) => !skipped.has(i.face.id));
  const waitingSkipped = left.filter((i) => skipped.has(i.face.id)).length;
  return {
    current: index < 0 ? null : (left[index] as T),
    position: index < 0 ? 0 : index + 1,
    total: Math.max(0, total - answeredHere),
    skipped: waitingSkipped,
  };
}

export function skip(state: ReviewState, faceId: number): ReviewState {
  return state.skipped.includes(faceId) ? state : { ...state, skipped: [...state.skipped, faceId] };
}

/** Back to the face skipped last (if any). */
export function back(state: ReviewState): ReviewState {
  return state.skipped.length === 0 ? state : { ...state, skipped: state.skipped.slice(0, -1) };
}

export function answer(state: ReviewState, faceId: number): ReviewState {
  return { ...state, answered: new Set([...state.answered, faceId]) };
}

/**
 * A fresh queue from the engine: it leaves out what was answered, except the answers still on their way (`pending`),
 * which a queue loaded before they arrived may still hold. An undone answer is in the queue again.
 */
export function reloaded(state: ReviewState, pending: ReadonlySet<number> = new Set()): ReviewState {
  if ([...state.answered].every((id) => pending.has(id))) return state;
  return { ...state, answered: new Set([...state.answered].filter((id) => pending.has(id))) };
}

/** An answer that failed: the face is asked about again. */
export function unanswer(state: ReviewState, faceId: number): ReviewState {
  if (!state.answered.has(faceId)) return state;
  return { ...state, answered: new Set([...state.answered].filter((id) => id !== faceId)) };
}

/** Review the skipped faces again. */
export function restart(state: ReviewState): ReviewState {
  return { ...state, skipped: [] };
}

export type ReviewKey = 'yes' | 'no' | 'skip' | 'back';

/** The review's keys: Y yes, N no, S or → skip, ← back (no modifier; not while typing). */
export function reviewKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): ReviewKey | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'y':
    case 'Y':
      return 'yes';
    case 'n':
    case 'N':
      return 'no';
    case 's':
    case 'S':
    case 'ArrowRight':
      return 'skip';
    case 'ArrowLeft':
      return 'back';
    default:
      return null;
  }
}
