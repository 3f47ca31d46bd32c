/**
 * `npx tsx test/bench/scripted-review.bench.ts [--set celeba-people]`: how many actions a user needs to name
 * everybody in a folder-per-identity set of ../shared, starting from the automatic grouping
 * (test/helpers/scripted-reviewer.ts says what the user does and how actions are counted). The set is indexed
 * by the real pipeline into a real library (indexed-tree.ts; cached after the first run, about a minute for
 * celeba-people), re-grouped at the default threshold, then reviewed through the validated API. Prints one
 * JSON object: actions by kind, total, faces selected, whether every identity ended right, and the faces whose
 * label looks doubtful (labelSuspects).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openIndexedTree, type IndexedTree } from '../../src-main/app/evaluation/indexed-tree.js';
import { scriptedReview } from '../helpers/scripted-reviewer.js';
import { SHARED_DIR } from '../helpers/shared.js';

/**
 * CelebA's labels are not clean (its README): the user here follows the folders, so such faces are "right"
 * wherever the folder says. Reported, not corrected: labelled faces nearer (squared L2) to another identity's
 * mean than to the mean of their own identity's other faces.
 */
function labelSuspects(tree: IndexedTree): Array<{ photo: string; nearest: string }> {
  const vectors = new Map(
    tree.engine.library.library.faces
      .vectors(tree.engine.people.modelVersion() as string)
      .map((f) => [f.id, f.embedding]),
  );
  const sums = new Map<string, { sum: Float64Array; n: number }>();
  for (const f of tree.labelled) {
    const e = vectors.get(f.faceId);
    if (!e) continue;
    const s = sums.get(f.identity) ?? { sum: new Float64Array(e.length), n: 0 };
    e.forEach((v, t) => (s.sum[t] = (s.sum[t] as number) + v));
    s.n++;
    sums.set(f.identity, s);
  }
  const distance = (e: Float32Array, sum: Float64Array, n: number, minus: boolean) => {
    let d = 0;
    e.forEach((v, t) => (d += (v - ((sum[t] as number) - (minus ? v : 0)) / n) ** 2));
    return d;
  };
  const out: Array<{ photo: string; nearest: string }> = [];
  for (const f of tree.labelled) {
    const e = vectors.get(f.faceId);
    const own = sums.get(f.identity);
    if (!e || !own || own.n < 2) continue;
    const mine = distance(e, own.sum, own.n - 1, true);
    let nearest = f.identity;
    let best = mine;
    for (const [identity, s] of sums) {
      if (identity === f.identity) continue;
      const d = distance(e, s.sum, s.n, false);
      if (d < best) [nearest, best] = [identity, d];
    }
    if (nearest !== f.identity) out.push({ photo: f.photo, nearest });
  }
  return out;
}

const { values } = parseArgs({ options: { set: { type: 'string', default: 'celeba-people' } } });
const started = performance.now();
const tree = await openIndexedTree({ root: join(SHARED_DIR, values.set as string) });
try {
  const { people } = await tree.api.recluster({});
  const reviewStarted = performance.now();
  const suspects = labelSuspects(tree);
  const result = await scriptedReview(tree.api, new Map(tree.labelled.map((f) => [f.faceId, f.identity])));
  console.log(
    JSON.stringify({
      set: values.set,
      photos: tree.photos,
      labelledFaces: tree.labelled.length,
      strangerFaces: tree.strangerFaces,
      noFace: tree.noFace,
      peopleAtStart: people,
      labelSuspects: suspects,
      ...result,
      indexCache: tree.indexCache,
      seconds: {
        index: tree.indexSeconds,
        review: (performance.now() - reviewStarted) / 1000,
        total: (performance.now() - started) / 1000,
      },
    }),
  );
} finally {
  await tree.close();
}
