/**
 * The labelling simulation (`facenet eval cluster --label-people m --label-faces k`): the simulated user's
 * choices and the scores as pure functions, then the whole run through a real library and the real pipeline
 * on a few identities of ../shared/faces (skipped with a message when absent), and the CLI's usage errors.
 */
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changedIdentities,
  planLabels,
  scoreGrouping,
  scoreNamed,
  simulateLabelling,
  type LabelledFace,
} from '../../../../../src-main/app/evaluation/label-simulation.js';
import { facenetAsync } from '../../../../helpers/facenet-cli.js';
import { hasShared, SHARED_DIR } from '../../../../helpers/shared.js';
import { tempDir } from '../../../../helpers/tmp.js';

const tmp = tempDir('facenet-label-sim-test-');
afterAll(() => tmp.cleanup());

/** `n` faces of `identity`, face ids from `firstId`. */
function faces(identity: string, n: number, firstId: number): LabelledFace[] {
  return Array.from({ length: n }, (_, i) => ({
    faceId: firstId + i,
    identity,
    photo: `${identity}/${String(i).padStart(3, '0')}.jpg`,
  }));
}

describe('planLabels', () => {
  const set = [...faces('b', 5, 1), ...faces('a', 5, 10), ...faces('c', 7, 20), ...faces('d', 2, 30)];

  it('picks the m largest identities, ties by folder name, k faces each of that identity', () => {
    const plans = planLabels(set, new Map(), { people: 3, faces: 2, seed: 1 });
    expect(plans.map((p) => p.identity)).toEqual(['c', 'a', 'b']);
    for (const p of plans) {
      expect(p.faceIds).toHaveLength(2);
      expect(new Set(p.faceIds).size).toBe(2);
      for (const id of p.faceIds) expect(set.find((f) => f.faceId === id)?.identity).toBe(p.identity);
      expect(p.target).toBe('new'); // no face is in a person
    }
  });

  it('is deterministic for a seed, does not depend on face ids, and the seed matters', () => {
    const a = planLabels(set, new Map(), { people: 4, faces: 3, seed: 7 });
    expect(planLabels(set, new Map(), { people: 4, faces: 3, seed: 7 })).toEqual(a);
    // The same photos with other face ids: the same photos are chosen.
    const shifted = set.map((f) => ({ ...f, faceId: f.faceId + 100 }));
    const b = planLabels(shifted, new Map(), { people: 4, faces: 3, seed: 7 });
    expect(b.map((p) => p.faceIds.map((id) => id - 100))).toEqual(a.map((p) => p.faceIds));
    const seeds = [1, 2, 3, 4, 5].map((seed) =>
      JSON.stringify(planLabels(set, new Map(), { people: 4, faces: 3, seed })),
    );
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('takes all faces when k exceeds them', () => {
    const [d] = planLabels(faces('d', 2, 30), new Map(), { people: 1, faces: 10, seed: 1 });
    expect(d?.faceIds.sort()).toEqual([30, 31]);
  });

  it('joins the person holding most chosen faces, never one an earlier identity named', () => {
    // All of a's and b's faces sit in person 1 (a merged cluster); c is split between people 2 and 3.
    const membership = new Map<number, number | null>();
    for (const f of set) {
      membership.set(f.faceId, f.identity === 'c' ? (f.faceId < 24 ? 2 : 3) : f.identity === 'd' ? null : 1);
    }
    const plans = planLabels(set, membership, { people: 4, faces: 5, seed: 3 });
    const byName = new Map(plans.map((p) => [p.identity, p]));
    const c = byName.get('c')!;
    const votes2 = c.faceIds.filter((id) => id < 24).length;
    expect(c.target).toBe(votes2 >= 3 ? 2 : 3);
    expect(byName.get('a')?.target).toBe(1); // first of the two in person 1 (ties by name)
    expect(byName.get('b')?.target).toBe('new'); // person 1 is a's now
    expect(byName.get('d')?.target).toBe('new'); // Unsorted
  });
});

describe('scores', () => {
  const set = [...faces('a', 4, 1), ...faces('b', 4, 10)];

  it('scoreGrouping: a perfect grouping is 1; Unsorted faces are singletons', () => {
    const perfect = new Map(set.map((f) => [f.faceId, f.identity === 'a' ? 1 : 2]));
    expect(scoreGrouping(set, perfect).bcubed).toEqual({ precision: 1, recall: 1, f: 1 });
    const none = new Map<number, number | null>();
    const s = scoreGrouping(set, none);
    expect(s.bcubed.precision).toBe(1);
    expect(s.bcubed.recall).toBeCloseTo(0.25);
    expect(s.pairwise.recall).toBe(0);
  });

  it('scoreNamed: precision over faces in named people, recall averaged over named identities', () => {
    // Person 1 (named a) holds a's 4 faces and 1 of b's; person 2 (named b) holds 2 of b's; one of b's unsorted.
    const m = new Map<number, number | null>([
      ...set.filter((f) => f.identity === 'a').map((f) => [f.faceId, 1] as [number, number]),
      [10, 1],
      [11, 2],
      [12, 2],
      [13, null],
    ]);
    const named = scoreNamed(
      set,
      m,
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    expect(named).toEqual({ people: 2, faces: 7, precision: 6 / 7, recall: (1 + 0.5) / 2 });
    // A person named after nobody does not count; no named person: vacuous precision 1, recall 1.
    expect(scoreNamed(set, m, new Map())).toEqual({ people: 0, faces: 0, precision: 1, recall: 1 });
  });
});

describe('changedIdentities', () => {
  it('lists the identities placed differently, with where their faces were and are', () => {
    const set = [...faces('a', 3, 1), ...faces('b', 2, 10)];
    const before = new Map<number, number | null>([
      [1, 1],
      [2, 1],
      [3, null],
      [10, 2],
      [11, 2],
    ]);
    expect(changedIdentities(set, before, before)).toEqual([]);
    const after = new Map(before).set(3, 1).set(2, 5);
    expect(changedIdentities(set, before, after)).toEqual([
      { identity: 'a', before: { '1': 2, unsorted: 1 }, after: { '1': 2, '5': 1 } },
    ]);
  });
});

const IDENTITIES = ['celeba_07217', 'celeba_07218', 'celeba_07221'];

describe.runIf(hasShared(`faces/${IDENTITIES[0]}`))('simulateLabelling on real photos (../shared/faces)', () => {
  const root = join(tmp.dir, 'people');
  const work = join(tmp.dir, 'work');
  const cache = join(tmp.dir, 'cache');
  // In beforeAll, not the body: vitest runs the body of a skipped suite too, to list its tests.
  beforeAll(() => {
    for (const id of IDENTITIES) {
      mkdirSync(join(root, id), { recursive: true });
      for (const f of readdirSync(join(SHARED_DIR, 'faces', id)))
        cpSync(join(SHARED_DIR, 'faces', id, f), join(root, id, f));
    }
    mkdirSync(work);
  });

  it('names the largest identities purely, keeps what the user confirmed, and cleans up', async () => {
    const run = () =>
      simulateLabelling({ root, labelPeople: 2, labelFaces: 2, seed: 1, cacheDir: cache, tempDir: work });
    const r = await run();
    expect(r.indexCache).toBe('miss');
    expect(r.photos).toBe(14); // 4 + 5 + 5
    expect(r.faces).toBe(14);
    expect(r.identities).toBe(3);
    // The two largest (5 photos each), ties by name: 07218 then 07221.
    expect(r.namedPeople.map((p) => p.name)).toEqual(['celeba_07218', 'celeba_07221']);
    expect(r.named.people).toBe(2);
    expect(r.named.precision).toBe(1);
    expect(r.named.recall).toBeGreaterThanOrEqual(0.8);
    for (const p of r.namedPeople) {
      expect(p.confirmed).toBe(2);
      expect(p.intruders).toEqual([]);
      expect(p.confirmedFaces.every((f) => f.photo.startsWith(`${p.name}/`))).toBe(true);
      expect(p.own).toBeGreaterThanOrEqual(2); // at least the confirmed faces
      expect(p.identityFaces).toBe(5);
    }
    // Labels can only help here: the well-separated set groups the same or better, never worse.
    expect(r.after.bcubed.f).toBeGreaterThanOrEqual(r.before.bcubed.f);
    expect(r.after.bcubed.precision).toBeGreaterThanOrEqual(r.before.bcubed.precision);
    if (r.before.bcubed.f === 1) expect(r.after).toEqual(r.before);
    // Scores move only if some identity's faces were placed differently, and never away from a named person.
    if (r.changed.length === 0)
      expect([r.after.bcubed, r.after.pairwise]).toEqual([r.before.bcubed, r.before.pairwise]);
    for (const p of r.namedPeople) expect(p.lost).toEqual([]);
    // The temporary library is gone; the indexed one is cached.
    expect(readdirSync(work)).toEqual([]);
    expect(readdirSync(cache).filter((f) => f.endsWith('.sqlite'))).toHaveLength(1);

    // Again from the cache: the same result.
    const again = await run();
    expect(again.indexCache).toBe('hit');
    expect({ ...again, seconds: null, indexCache: null }).toEqual({ ...r, seconds: null, indexCache: null });
  });
});

describe('eval cluster --label-people: bad input', () => {
  const cases: Array<[string[], RegExp]> = [
    [['eval', 'cluster', '--dir', tmp.dir, '--label-people', '2'], /--label-faces is required/],
    [['eval', 'cluster', '--dir', tmp.dir, '--label-faces', '2'], /--label-faces goes with --label-people/],
    [['eval', 'cluster', '--dir', tmp.dir, '--label-people', '1.5', '--label-faces', '2'], /must be an integer/],
    [['eval', 'cluster', '--label-people', '2', '--label-faces', '2'], /needs --dir/],
    [
      ['eval', 'cluster', '--dir', tmp.dir, '--label-people', '2', '--label-faces', '2', '--sweep', '0:1:0.1'],
      /does not apply/,
    ],
  ];

  it('every bad command line fails with a clear message', async () => {
    const results = await Promise.all(cases.map(([args]) => facenetAsync(args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    });
  });
});
