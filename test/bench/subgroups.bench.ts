/**
 * "Group by similarity" on real faces (a measurement, not a test): how well a person's sub-groups
 * (src-main/engine/people/face-review.ts) split people that grouping mixed up, and how finely they cut a person
 * who is one person. Reads a library indexed from a folder per identity (the identity is the photo's folder):
 *
 *   npx facenet index ../shared/celeba-people --library /tmp/celeba.db
 *   npx tsx test/bench/subgroups.bench.ts /tmp/celeba.db [cut ...]
 *
 * For each grouping threshold T it clusters every face as re-grouping does, takes the people that mix identities
 * (two or more with 3 faces each) and the pure ones (10 faces or more), and reports per sub-group cut (the
 * engine's rule, subgroupCut(T), first; then any cuts given): the identities of mixed people that come out in one
 * sub-group (70% of their faces, under 10% of others': one Move splits them off), the rows (sub-groups of 2 faces
 * or more) a mixed person shows, and the rows a pure person shows.
 */
import { basename, dirname } from 'node:path';
import { FaceClusterer } from '../../src-main/engine/people/clusterer.js';
import { subgroupCut } from '../../src-main/engine/people/face-review.js';
import { subgroupsOf } from '../../src-main/engine/people/people-analysis.js';
import { toRecord } from '../../src-main/engine/people/people-state.js';
import { Library } from '../../src-main/engine/storage/library.js';
import type { FaceVector } from '../../src-main/engine/storage/types.js';

const [dbPath, ...extra] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: subgroups.bench.ts <library.db> [cut ...]');
const lib = Library.open(dbPath);
const modelVersion = lib.faces.modelVersions()[0]!.modelVersion;
const faces = lib.faces.vectors(modelVersion);
const photos = new Map(lib.photos.list().map((p) => [p.id, p.path]));
const who = new Map(faces.map((f) => [f.id, basename(dirname(photos.get(f.photoId)!))]));
const byId = new Map(faces.map((f) => [f.id, f]));

const identities = (group: readonly FaceVector[]): Map<string, number> => {
  const n = new Map<string, number>();
  for (const f of group) n.set(who.get(f.id)!, (n.get(who.get(f.id)!) ?? 0) + 1);
  return n;
};

const rows: unknown[] = [];
for (const threshold of [0.13, 0.16, 0.2, 0.25, 0.3]) {
  const people = new FaceClusterer({ threshold })
    .fit(faces.map(toRecord))
    .clusters.map((c) => c.faces.map((id) => byId.get(id as number)!));
  const mixed = people.filter((p) => [...identities(p).values()].filter((n) => n >= 3).length >= 2);
  const pure = people.filter((p) => p.length >= 10 && identities(p).size === 1);
  for (const cut of [subgroupCut(threshold), ...extra.map(Number)]) {
    let split = 0;
    let parts = 0;
    let mixedRows = 0;
    for (const p of mixed) {
      const groups = subgroupsOf(p, cut);
      mixedRows += groups.filter((g) => g.length > 1).length;
      for (const [id, n] of identities(p)) {
        if (n < 3) continue;
        parts++;
        const alone = groups.some((g) => {
          const mine = g.filter((f) => who.get(f.id) === id).length;
          return mine >= 0.7 * n && g.length - mine <= 0.1 * g.length;
        });
        if (alone) split++;
      }
    }
    const pureRows = pure.reduce((s, p) => s + subgroupsOf(p, cut).filter((g) => g.length > 1).length, 0);
    rows.push({
      threshold,
      cut: Number(cut.toFixed(3)),
      mixedPeople: mixed.length,
      identitiesInMixed: parts,
      splitInOneMove: parts ? Number((split / parts).toFixed(3)) : null,
      rowsPerMixed: mixed.length ? Number((mixedRows / mixed.length).toFixed(1)) : null,
      purePeople: pure.length,
      rowsPerPure: pure.length ? Number((pureRows / pure.length).toFixed(1)) : null,
    });
  }
}
lib.close();
console.table(rows);
