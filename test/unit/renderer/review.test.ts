/**
 * The review's pure state (src-renderer/logic/review.ts): which face is asked about and where the user is, after
 * any sequence of Yes/No (answers), Skip, Back and reloads; and its keys. The rows of "Group by similarity"
 * (src-renderer/logic/subgroups.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  answer,
  back,
  INITIAL_REVIEW,
  reloaded,
  restart,
  reviewKey,
  reviewPosition,
  skip,
  type ReviewState,
  unanswer,
} from '../../../src-renderer/logic/review.js';
import { subgroupRows } from '../../../src-renderer/logic/subgroups.js';

const queue = (ids: number[]) => ids.map((id) => ({ face: { id } }));
const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  reviewKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('review position', () => {
  it('walks the queue: skip, back, answer, the skipped ones again, then nothing', () => {
    const items = queue([5, 3, 9]);
    let s: ReviewState = INITIAL_REVIEW;
    expect(reviewPosition(items, 3, s)).toMatchObject({ current: { face: { id: 5 } }, position: 1, total: 3 });
    s = skip(s, 5);
    expect(reviewPosition(items, 3, s)).toMatchObject({ current: { face: { id: 3 } }, position: 2, total: 3 });
    s = back(s);
    expect(reviewPosition(items, 3, s)).toMatchObject({ current: { face: { id: 5 } }, position: 1 });
    s = answer(skip(s, 5), 3);
    expect(reviewPosition(items, 3, s)).toMatchObject({ current: { face: { id: 9 } }, position: 2, total: 2 });
    s = skip(s, 9);
    expect(reviewPosition(items, 3, s)).toMatchObject({ current: null, total: 2, skipped: 2 });
    s = restart(s);
    expect(reviewPosition(items, 3, s)).toMatchObject({ current: { face: { id: 5 } }, position: 1 });
    // A queue loaded while the answer for 9 is on its way keeps 9 hidden; once it arrived, the answers are the
    // engine's (an undone one shows again).
    s = reloaded(answer(answer(s, 5), 9), new Set([9]));
    expect([...s.answered]).toEqual([9]);
    expect(reviewPosition(queue([9]), 1, s)).toMatchObject({ current: null, total: 0, skipped: 0 });
    s = reloaded(s);
    expect(reviewPosition(queue([9]), 1, s)).toMatchObject({ current: { face: { id: 9 } }, total: 1 });
    // A failed answer asks again.
    expect(reviewPosition(items, 3, unanswer(answer(INITIAL_REVIEW, 5), 5)).current).toEqual({ face: { id: 5 } });
  });

  it('always shows the first face neither answered nor skipped, and counts what is left', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 12 }),
        fc.array(fc.oneof(fc.constant('yes'), fc.constant('skip'), fc.constant('back')), { maxLength: 20 }),
        (ids, steps) => {
          const items = queue(ids);
          let s: ReviewState = INITIAL_REVIEW;
          for (const step of steps) {
            const at = reviewPosition(items, ids.length, s);
            if (step === 'back') s = back(s);
            else if (at.current) s = step === 'yes' ? answer(s, at.current.face.id) : skip(s, at.current.face.id);
          }
          const at = reviewPosition(items, ids.length, s);
          const left = ids.filter((id) => !s.answered.has(id));
          const next = left.find((id) => !s.skipped.includes(id));
          expect(at.current?.face.id).toBe(next);
          expect(at.total).toBe(left.length);
          if (next !== undefined) expect(at.position).toBe(left.indexOf(next) + 1);
        },
      ),
    );
  });
});

describe('review keys', () => {
  it('Y yes, N no, S and → skip, ← back; nothing with a modifier', () => {
    expect(['y', 'Y', 'n', 'N', 's', 'S', 'ArrowRight', 'ArrowLeft', 'x'].map((k) => key(k))).toEqual([
      'yes',
      'yes',
      'no',
      'no',
      'skip',
      'skip',
      'skip',
      'back',
      null,
    ]);
    expect(key('y', { ctrlKey: true })).toBeNull();
    expect(key('n', { metaKey: true })).toBeNull();
    expect(key('s', { altKey: true })).toBeNull();
  });
});

describe('subgroup rows', () => {
  it('keeps groups of two or more in order and puts the lone faces in one last row', () => {
    const g = (...ids: number[]) => ({ faces: ids });
    expect(subgroupRows([g(1, 2, 3), g(4), g(5, 6), g(7)])).toEqual([
      { faces: [1, 2, 3], loners: false },
      { faces: [5, 6], loners: false },
      { faces: [4, 7], loners: true },
    ]);
    expect(subgroupRows([g(1, 2)])).toEqual([{ faces: [1, 2], loners: false }]);
    expect(subgroupRows([])).toEqual([]);
  });
});
