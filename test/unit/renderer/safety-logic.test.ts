import { describe, expect, it } from 'vitest';
import { dismissError, MAX_ERROR_TOASTS, pushError } from '../../../src-renderer/logic/error-toasts.js';
import { describePending } from '../../../src-renderer/logic/pending-action.js';

describe('error toasts', () => {
  it('keep the newest few, one toast per message', () => {
    let list = pushError([], 'a', 1);
    list = pushError(list, 'b', 2);
    list = pushError(list, 'a', 3); // the same failure again: one toast, now the newest
    expect(list).toEqual([
      { id: 2, message: 'b' },
      { id: 3, message: 'a' },
    ]);
    for (let i = 4; i < 10; i++) list = pushError(list, `m${i}`, i);
    expect(list).toHaveLength(MAX_ERROR_TOASTS);
    expect(list.map((t) => t.message)).toEqual(['m7', 'm8', 'm9']);
    expect(dismissError(list, 8).map((t) => t.id)).toEqual([7, 9]);
  });
});

describe('pending merge or move', () => {
  const context = { personLabel: 'Unnamed #12', personFaces: 23, selected: 1 };
  it('says what confirming will do', () => {
    expect(describePending({ kind: 'merge', target: 4, targetLabel: 'Alice' }, context)).toBe(
      'Merge 23 faces of Unnamed #12 into Alice?',
    );
    expect(describePending({ kind: 'move', target: 5, targetLabel: 'Bob' }, { ...context, selected: 3 })).toBe(
      'Move 3 faces to Bob?',
    );
    expect(describePending({ kind: 'move', target: 'new', targetLabel: 'a new person' }, context)).toBe(
      'Move 1 face to a new person?',
    );
  });
});
