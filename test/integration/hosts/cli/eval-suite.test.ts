/**
 * `facenet eval cluster --suite` through the real CLI, on a miniature of the shared face data built from
 * real photos (../shared/faces): the five development sets, a --check folder beside them, one JSON object
 * with the sweep, the threshold the rule picks and both references per set, and the text table.
 */
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facenet } from '../../../helpers/facenet-cli.js';
import { hasShared, SHARED_DIR } from '../../../helpers/shared.js';
import { tempDir } from '../../../helpers/tmp.js';

const IDS = ['celeba_07217', 'celeba_07218', 'celeba_07227'];
const present = IDS.every((id) => hasShared(join('faces', id)));
const tmp = tempDir('facenet-eval-suite-');
afterAll(() => tmp.cleanup());

/** Copies the first `n` photos of a shared identity to `to`, renamed by `name(i)`. */
function copyPhotos(id: string, n: number, to: string, name: (i: number) => string): void {
  mkdirSync(to, { recursive: true });
  readdirSync(join(SHARED_DIR, 'faces', id))
    .sort()
    .slice(0, n)
    .forEach((f, i) => cpSync(join(SHARED_DIR, 'faces', id, f), join(to, name(i))));
}

describe.runIf(present)('eval cluster --suite on a miniature shared folder', () => {
  const shared = join(tmp.dir, 'shared');
  const check = join(tmp.dir, 'check');
  const cache = join(tmp.dir, 'cache');
  beforeAll(() => {
    // celeba-people: two people, two photos each. lfw-dev: "Ann" twice (a same pair) and "Bob" once (the
    // one-photo stranger of the library-like set). lfw-dev-people and the check set: one person, two photos.
    copyPhotos(IDS[0]!, 2, join(shared, 'celeba-people', 'p1'), (i) => `${i}.jpg`);
    copyPhotos(IDS[1]!, 2, join(shared, 'celeba-people', 'p2'), (i) => `${i}.jpg`);
    copyPhotos(IDS[2]!, 2, join(shared, 'lfw-dev', 'images', 'Ann'), (i) => `Ann_000${i + 1}.jpg`);
    copyPhotos(IDS[0]!, 1, join(shared, 'lfw-dev', 'images', 'Bob'), () => 'Bob_0001.jpg');
    writeFileSync(join(shared, 'lfw-dev', 'pairsDevTrain.txt'), '1\nAnn\t1\t2\nAnn\t1\tBob\t1\n');
    copyPhotos(IDS[2]!, 2, join(shared, 'lfw-dev-people', 'Ann'), (i) => `${i}.jpg`);
    copyPhotos(IDS[1]!, 2, join(check, 'q1'), (i) => `${i}.jpg`);
  });

  it('prints every set side by side with the references, as JSON and as a table', () => {
    const args = ['eval', 'cluster', '--suite', '--shared', shared, '--check', check, '--cache', cache];
    const r = facenet([...args, '--sweep', '0.1:0.2:0.05', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      sets: Array<{ name: string; kind: string; faces: number; identities: number }>;
      sweep: Array<{ threshold: number; bcubedF: number[]; developmentMean: number; smallestMargin: number }>;
      chosen: { threshold: number; developmentMean: number; smallestMargin: number };
      atSetting: unknown[];
      exactHac: Array<{ set: string; at: number; bcubed: { f: number } }>;
      dbscan: Array<{ set: string; at: number; bcubed: { f: number } }>;
    };
    expect(report.sets.map((s) => [s.name, s.kind, s.faces, s.identities])).toEqual([
      ['library', 'development', 5, 3],
      ['lfw-dev-people', 'development', 2, 1],
      ['lfw-view1-train', 'development', 3, 2],
      ['family', 'development', 4, 2],
      ['library-sparse', 'development', 5, 3],
      ['check:check', 'check', 2, 1],
    ]);
    const names = ['library', 'lfw-dev-people', 'lfw-view1-train', 'family', 'library-sparse', 'check:check'];
    for (const refs of [report.exactHac, report.dbscan]) {
      expect(refs.map((s) => s.set)).toEqual(names);
      for (const s of refs) expect(s.bcubed.f).toBeGreaterThan(0);
    }
    expect(report.sweep.map((row) => row.threshold)).toEqual([0.1, 0.15, 0.2]);
    const dev = [0, 1, 2, 3, 4];
    for (const row of report.sweep) {
      expect(row.bcubedF).toHaveLength(6);
      // The rule's figures are over the development sets only: the margin over exact HAC, and the mean.
      const margins = dev.map((i) => row.bcubedF[i]! - report.exactHac[i]!.bcubed.f);
      expect(row.smallestMargin).toBeCloseTo(Math.min(...margins), 12);
      expect(row.developmentMean).toBeCloseTo(dev.reduce((sum, i) => sum + row.bcubedF[i]!, 0) / 5, 12);
    }
    // The rule: the largest smallest margin; within 0.0005 of it, the higher mean.
    const top = Math.max(...report.sweep.map((row) => row.smallestMargin));
    const near = report.sweep.filter((row) => row.smallestMargin >= top - 0.0005);
    expect(report.chosen.developmentMean).toBe(Math.max(...near.map((row) => row.developmentMean)));
    expect(report.chosen.smallestMargin).toBeGreaterThanOrEqual(top - 0.0005);
    expect(report.atSetting).toHaveLength(6);

    // A sweep with no set named is the suite too.
    const text = facenet(args.filter((a) => a !== '--suite').concat(['--sweep', '0.1:0.2:0.05']));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/library +lfw-dev-people +lfw-view1-train +family +library-sparse +check:check/);
    expect(text.stdout).toMatch(/smallest margin/);
    expect(text.stdout).toMatch(/exact HAC, best per set/);
    expect(text.stdout).toMatch(/<- rule/);
  });
});
