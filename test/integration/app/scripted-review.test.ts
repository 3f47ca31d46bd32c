/**
 * Issue 13's measure: on ../shared/celeba-people (91 identities x 20 photos), starting from the automatic
 * grouping, a scripted user (test/helpers/scripted-reviewer.ts) names every identity through the FaceNetApi
 * with the calls the UI makes, and counts its actions. The set is indexed by the real pipeline into a real
 * library (indexed-tree.ts: about a minute on 2 cores the first time, then from the cache in
 * $TMPDIR/facenet-eval-cache). Checked here, independently of the reviewer's own check: every identity is one
 * person with its name holding all its detected faces and nothing else. The count must not exceed the README's
 * baseline. Prints the JSON. Skips with a message without ../shared/celeba-people.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndexedTree, type IndexedTree } from '../../../src-main/app/evaluation/indexed-tree.js';
import { ACTION_KINDS, scriptedReview, type ReviewResult } from '../../helpers/scripted-reviewer.js';
import { hasShared, SHARED_DIR } from '../../helpers/shared.js';

/** The README's baseline: actions the scripted user needed on 2026-12-02 (merge suggestions, moves, names). */
const BASELINE_ACTIONS = 168;

describe.skipIf(!hasShared('celeba-people'))('a scripted user names all of celeba-people', () => {
  let tree: IndexedTree;
  let result: ReviewResult;
  let peopleAtStart: number;

  beforeAll(async () => {
    tree = await openIndexedTree({ root: join(SHARED_DIR, 'celeba-people') });
    peopleAtStart = (await tree.api.recluster({})).people;
    result = await scriptedReview(tree.api, new Map(tree.labelled.map((f) => [f.faceId, f.identity])));
    console.log(JSON.stringify({ set: 'celeba-people', peopleAtStart, ...result }));
  }, 600_000);

  afterAll(async () => {
    await tree?.close();
  });

  it('ends with every identity one named person holding exactly its faces', async () => {
    const own = new Map<string, Set<number>>();
    for (const f of tree.labelled) own.set(f.identity, (own.get(f.identity) ?? new Set()).add(f.faceId));
    expect(own.size).toBe(91);
    const people = await tree.api.listPeople({ includeHidden: true });
    for (const [identity, faces] of own) {
      const named = people.filter((p) => p.name === identity);
      expect(named, identity).toHaveLength(1);
      const held = (await tree.api.getPerson({ personId: named[0]!.id })).faces.map((f) => f.id);
      expect(new Set(held), identity).toEqual(faces);
    }
    expect(result.problems).toEqual([]);
    expect(result.correct).toBe(91);
  });

  it('counts every action by kind, used the suggestions, and needs no more than the baseline', () => {
    expect(Object.keys(result.actions).sort()).toEqual([...ACTION_KINDS].sort());
    expect(result.total).toBe(Object.values(result.actions).reduce((s, n) => s + n, 0));
    // The grouping left people split; accepted suggestions joined some of them.
    expect(peopleAtStart).toBeGreaterThan(91);
    expect(result.actions['accept-suggestion']).toBeGreaterThan(0);
    // Each identity was named exactly once (named, or named as a new person: two actions).
    expect(result.actions.name + result.actions['name-new'] / 2).toBe(91);
    expect(result.total).toBeLessThanOrEqual(BASELINE_ACTIONS);
  });
});
