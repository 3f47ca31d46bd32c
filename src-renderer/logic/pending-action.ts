/**
 * A merge or a move the user has chosen but not yet confirmed (Person view): choosing in a picker, with the
 * mouse or the arrow keys, only fills this in; Enter or the button does it, Escape forgets it.
 */
import { plural } from '../../src-shared/words.js';

export interface PendingAction {
  kind: 'merge' | 'move';
  /** A person's id, or 'new' (move only: to a new person). */
  target: number | 'new';
  /** The target's label as the picker shows it ("Alice", "Unnamed #12"). */
  targetLabel: string;
}

const faces = (n: number): string => plural(n, 'face');

/** What confirming will do, in the words the button's neighbour says it: "Merge 23 faces of Bob into Alice". */
export function describePending(
  action: PendingAction,
  context: { personLabel: string; personFaces: number; selected: number },
): string {
  if (action.kind === 'merge') {
    return `Merge ${faces(context.personFaces)} of ${context.personLabel} into ${action.targetLabel}?`;
  }
  const to = action.target === 'new' ? 'a new person' : action.targetLabel;
  return `Move ${faces(context.selected)} to ${to}?`;
}
