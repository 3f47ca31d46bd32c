import { describe, expect, it } from 'vitest';
import { forEachBounded, mapBounded, poolSize } from '../../../src-shared/pool.js';

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** fn that records how many calls are in flight at once, and the order calls start in. */
function tracked<T>(delay: (item: T) => number) {
  const state = { inFlight: 0, peak: 0, started: [] as T[] };
  const fn = async (item: T): Promise<T> => {
    state.started.push(item);
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    await tick(delay(item));
    state.inFlight--;
    return item;
  };
  return { state, fn };
}

describe('poolSize', () => {
  it('is at least 1, at most the item count, and rounds odd limits down', () => {
    expect(poolSize(4, 10)).toBe(4);
    expect(poolSize(4, 2)).toBe(2);
    expect(poolSize(0, 5)).toBe(1);
    expect(poolSize(-3, 5)).toBe(1);
    expect(poolSize(NaN, 5)).toBe(1);
    expect(poolSize(2.7, 5)).toBe(2);
    expect(poolSize(Infinity, 5)).toBe(5);
    expect(poolSize(3, 0)).toBe(0);
  });
});

describe('forEachBounded', () => {
  it('never has more than `limit` calls in flight, and uses all of them', async () => {
    const { state, fn } = tracked<number>((i) => (i % 3) * 2);
    await forEachBounded(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      fn,
    );
    expect(state.peak).toBe(3);
    expect(state.inFlight).toBe(0);
    expect(state.started).toEqual(Array.from({ length: 20 }, (_, i) => i)); // started in list order
  });

  it('passes the index, and an empty list resolves at once', async () => {
    const seen: [string, number][] = [];
    await forEachBounded(['a', 'b'], 8, async (item, index) => void seen.push([item, index]));
    expect(seen).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    await expect(forEachBounded([], 4, () => Promise.reject(new Error('never called')))).resolves.toBeUndefined();
  });

  it('on the first error starts nothing more, lets the calls in flight finish, then rejects with it', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const run = forEachBounded([0, 1, 2, 3, 4, 5, 6], 2, async (i) => {
      started.push(i);
      if (i === 1) throw new Error('one');
      if (i === 2) throw new Error('two'); // a later error does not replace the first
      await tick(5);
      finished.push(i);
    });
    await expect(run).rejects.toThrow('one');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([0]); // item 0 was in flight when 1 failed: awaited, not abandoned
  });

  it('on abort starts nothing more, lets the calls in flight finish, and resolves', async () => {
    const controller = new AbortController();
    const finished: number[] = [];
    await forEachBounded(
      [0, 1, 2, 3, 4, 5],
      2,
      async (i) => {
        if (i === 2) controller.abort();
        await tick(2);
        finished.push(i);
      },
      { signal: controller.signal },
    );
    expect(finished.sort()).toEqual([0, 1, 2]);
  });

  it('an already aborted signal starts nothing', async () => {
    const calls: number[] = [];
    await forEachBounded([1, 2], 2, async (i) => void calls.push(i), { signal: AbortSignal.abort() });
    expect(calls).toEqual([]);
  });
});

describe('mapBounded', () => {
  it('returns results in item order, not completion order, within the limit', async () => {
    const { state, fn } = tracked<number>((i) => 10 - i);
    const out = await mapBounded([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4, async (i) => (await fn(i)) * 10);
    expect(out).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(state.peak).toBe(4);
  });

  it('rejects with the first error', async () => {
    await expect(
      mapBounded([1, 2, 3], 3, async (i) => {
        if (i === 2) throw new RangeError('bad 2');
        return i;
      }),
    ).rejects.toThrow(RangeError);
  });

  it('rejects with the signal reason when aborted before the end, resolves when the abort came after', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    await expect(
      mapBounded(
        [1, 2, 3, 4],
        1,
        async (i) => {
          if (i === 2) controller.abort(reason);
          return i;
        },
        { signal: controller.signal },
      ),
    ).rejects.toBe(reason);

    const late = new AbortController();
    await expect(
      mapBounded(
        [1, 2],
        2,
        async (i) => {
          if (i === 2) late.abort();
          return i;
        },
        { signal: late.signal },
      ),
    ).resolves.toEqual([1, 2]);
  });
});
