/**
 * `npx tsx test/bench/pair-ratio.bench.ts`: can a local-density test decide the pairs of single faces that the
 * grouping's threshold cannot (issue 15: LFW View 1 train's remaining errors)? For each development set (eval
 * cache, as `facenet eval cluster --suite` fills it), every pair of faces above the quality floor that are each
 * other's nearest neighbour, with squared L2 d in a band around the threshold, is counted as same person or
 * not, by its ratio r = d / d2, where d2 is the nearer of the two faces' second-nearest distances (Lowe's
 * ratio test; rank-order distances follow the same idea). If r separated same from different where d does not,
 * a pair rule could use it. Prints one JSON object: per set and band, same/different counts below each ratio.
 */
import { embedPhotos, type EmbeddedFace } from '../../src-main/app/evaluation/cluster.js';
import { developmentSets } from '../../src-main/app/evaluation/dev-sets.js';
import { withPrimaryFaceAnalyzer } from '../../src-main/app/evaluation/primary-embedding.js';
import { DEFAULT_CHOICE } from '../../src-main/app/pipeline-choice.js';
import { DEFAULT_MIN_QUALITY } from '../../src-main/engine/people/clusterer.js';
import { squaredL2 } from '../../src-shared/vectors.js';
import { SHARED_DIR } from '../helpers/shared.js';

const BANDS = [0.08, 0.1, 0.11, 0.12, 0.13, 0.16];
const RATIOS = [0.7, 0.8, 0.9, Infinity];

const sets = await withPrimaryFaceAnalyzer(DEFAULT_CHOICE, {}, undefined, async (analyzer, cache) => {
  const out: Array<{ name: string; faces: EmbeddedFace[] }> = [];
  for (const set of developmentSets(SHARED_DIR)) {
    const tree = await embedPhotos(analyzer, set.photos, SHARED_DIR, { cache });
    out.push({ name: set.name, faces: tree.faces.filter((f) => f.quality >= DEFAULT_MIN_QUALITY) });
  }
  return out;
});

/** The two nearest other faces of each face (exact; these sets are small). */
function twoNearest(faces: EmbeddedFace[]): Array<{ first: [number, number]; second: number }> {
  return faces.map((a, i) => {
    let best: [number, number] = [Infinity, -1];
    let second = Infinity;
    faces.forEach((b, j) => {
      if (i === j) return;
      const d = squaredL2(a.embedding, b.embedding);
      if (d < best[0]) [second, best] = [best[0], [d, j]];
      else if (d < second) second = d;
    });
    return { first: best, second };
  });
}

const result: Record<string, Record<string, Record<string, { same: number; different: number }>>> = {};
for (const { name, faces } of sets) {
  const nearest = twoNearest(faces);
  const bands: Record<string, Record<string, { same: number; different: number }>> = {};
  for (let b = 0; b + 1 < BANDS.length; b++) {
    bands[`[${BANDS[b]}, ${BANDS[b + 1]})`] = Object.fromEntries(
      RATIOS.map((r) => [r === Infinity ? 'all' : `r < ${r}`, { same: 0, different: 0 }]),
    );
  }
  nearest.forEach(({ first: [d, j], second }, i) => {
    if (j <= i || nearest[j]!.first[1] !== i) return; // each mutual pair once
    const band = BANDS.findIndex((lo, b) => b + 1 < BANDS.length && d >= lo && d < BANDS[b + 1]!);
    if (band < 0) return;
    const ratio = d / Math.min(second, nearest[j]!.second);
    const same = faces[i]!.identity === faces[j]!.identity;
    for (const r of RATIOS) {
      if (ratio >= r) continue;
      const cell = bands[`[${BANDS[band]}, ${BANDS[band + 1]})`]![r === Infinity ? 'all' : `r < ${r}`]!;
      if (same) cell.same++;
      else cell.different++;
    }
  });
  result[name] = bands;
}
console.log(JSON.stringify(result));
