/**
 * `facenet eval cluster` through the real CLI: clear errors on bad input; on a tiny folder-per-identity tree
 * (two photos each of two identities: ../shared/faces when present, else two face-api demo photos and their
 * mirror images) one JSON object with the documented fields, and a second run served from the cache.
 */
import { copyFileSync, cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPhotos, realPhotoSource, writeMirrored } from '../../../helpers/demo-photos.js';
import { SHARED_DIR } from '../../../helpers/shared.js';
import { tempDir } from '../../../helpers/tmp.js';
import { facenet, facenetAsync } from '../../../helpers/facenet-cli.js';

const tmp = tempDir('facenet-eval-cluster-');
afterAll(() => tmp.cleanup());

describe('eval cluster: bad input', () => {
  const empty = join(tmp.dir, 'empty');
  mkdirSync(empty);
  const cases: Array<[string[], RegExp]> = [
    [['eval', 'cluster'], /give either --dir or --pairs/],
    [['eval', 'cluster', '--dir', join(tmp.dir, 'nope')], /not a folder/],
    [['eval', 'cluster', '--dir', empty, '--threshold', '5'], /--threshold must be a number in 0..4/],
    [['eval', 'cluster', '--dir', empty, '--sweep', '1:0:0.1'], /--sweep must be from:to:step/],
    [['eval', 'cluster', '--dir', empty], /no photos/],
    [['eval', 'cluster', '--pairs', 'x.txt'], /--pairs and --images go together/],
    [['eval', 'kmeans'], /unknown evaluation "kmeans"/],
    [['eval', 'cluster', '--suite', '--dir', empty], /--suite builds its own sets: drop --dir/],
    [['eval', 'cluster', '--dir', empty, '--check', empty], /--check goes with --suite/],
    [['eval', 'cluster', '--suite', '--shared', empty], /missing \(the shared face data\); give --shared/],
    [['eval', 'cluster', '--suite', '--shared', empty, '--label-people', '3'], /separate evaluations/],
  ];

  it('every bad command line fails with a clear message', async () => {
    const results = await Promise.all(cases.map(([args]) => facenetAsync(args)));
    results.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
    });
  });
});

const SHARED_IDS = ['celeba_07217', 'celeba_07218'];
const source = realPhotoSource(SHARED_DIR, SHARED_IDS);

describe.runIf(source)(`eval cluster on real photos (${source ?? 'none'})`, () => {
  const root = join(tmp.dir, 'people');
  const cache = join(tmp.dir, 'cache');
  beforeAll(async () => {
    if (source === 'shared') {
      for (const id of SHARED_IDS) {
        mkdirSync(join(root, id), { recursive: true });
        for (const f of readdirSync(join(SHARED_DIR, 'faces', id)).slice(0, 2)) {
          cpSync(join(SHARED_DIR, 'faces', id, f), join(root, id, f));
        }
      }
      return;
    }
    // Each demo photo and its mirror image: the same main face twice, i.e. one identity with two photos.
    for (const [i, photo] of demoPhotos().slice(0, 2).entries()) {
      mkdirSync(join(root, `demo${i + 1}`), { recursive: true });
      copyFileSync(photo, join(root, `demo${i + 1}`, 'a.jpg'));
      await writeMirrored(photo, join(root, `demo${i + 1}`, 'b.jpg'));
    }
  });

  it('prints one JSON object with the metrics, and re-runs from the cache', () => {
    const first = facenet(['eval', 'cluster', '--dir', root, '--cache', cache, '--json', '--threshold', '0.12']);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as Record<string, unknown>;
    for (const key of ['faces', 'identities', 'people', 'pairwise', 'bcubed', 'seconds'])
      expect(result).toHaveProperty(key);
    expect(result.faces).toBe(4);
    expect(result.identities).toBe(2);
    for (const family of ['pairwise', 'bcubed'] as const) {
      const prf = result[family] as { precision: number; recall: number; f: number };
      for (const v of [prf.precision, prf.recall, prf.f]) expect(v).toBeGreaterThanOrEqual(0);
      for (const v of [prf.precision, prf.recall, prf.f]) expect(v).toBeLessThanOrEqual(1);
    }
    expect(result.cacheHits).toBe(0);

    const second = facenet(['eval', 'cluster', '--dir', root, '--cache', cache, '--json', '--threshold', '0.12']);
    expect(second.code, second.stderr).toBe(0);
    const again = JSON.parse(second.stdout) as Record<string, unknown>;
    expect(again.cacheHits).toBe(4);
    expect(again.bcubed).toEqual(result.bcubed);

    const text = facenet(['eval', 'cluster', '--dir', root, '--cache', cache, '--sweep', '0.1:0.2:0.1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/BCubed +P [\d.]+ +R [\d.]+ +F [\d.]+/);
    expect(text.stdout).toMatch(/people +\d+ found vs 2 identities/);
    expect(text.stdout).toMatch(/0\.100 .*\n.*0\.200/);
  });
});
