/**
 * `npx tsx test/bench/pair-ratio.bench.ts`: can a local-density test decide the pairs of single faces that the
 * grouping's threshold cannot (issue 15: LFW View 1 train's remaining errors)? For each development set (eval
 * cache, as `facenet eval cluster --suite` fills it), every pair of faces above the quality floor that are each
 * other's nearest neighbour, with squared L2 d in a band around the threshold, is counted as same person or
 * not, under three signals:
 *   - Lowe's ratio r = d / d2, where d2 is the nearer of the two faces' second-nearest distances;
 *   - shared nearest neighbours (Zhu et al. 2011; k-reciprocal re-ranking, Zhong et al. 2017, rests on the same
 *     overlap): how many of the K = 10 nearest neighbours of one face are among the K nearest of the other;
 *   - the lower of the two faces' quality scores (a blurred or turned face sits nearer everyone).
 * (Otto et al.'s approximate rank-order distance is 0 by construction for two faces that are each other's
 * nearest neighbour, so it cannot decide these pairs.) If a signal separated same from different where d does
 * not, a pair rule could use it. Prints one JSON object: per set and band, same/different counts for each
 * signal's cut.
 */
import { type EmbeddedFace } from '../../src-main/app/evaluation/cluster.js';
import { DEFAULT_MIN_QUALITY } from '../../src-main/engine/people/clusterer.js';
import { squaredL2 } from '../../src-shared/vectors.js';
import { developmentFaces } from '../helpers/development-faces.js';

const BANDS = [0.08, 0.1, 0.11, 0.12, 0.13, 0.16];
const K = 10;
interface PairSignals {
  ratio: number;
  shared: number;
  /** The lower of the two faces' quality scores. */
  quality: number;
}
const CUTS: Record<string, (p: PairSignals) => boolean> = {
  all: () => true,
  'r < 0.7': (p) => p.ratio < 0.7,
  'r < 0.8': (p) => p.ratio < 0.8,
  'r < 0.9': (p) => p.ratio < 0.9,
  'shared >= 1': (p) => p.shared >= 1,
  'shared >= 3': (p) => p.shared >= 3,
  'shared >= 5': (p) => p.shared >= 5,
  'quality < 0.5': (p) => p.quality < 0.5,
  'quality >= 0.6': (p) => p.quality >= 0.6,
  'quality >= 0.7': (p) => p.quality >= 0.7,
};

const sets = (await developmentFaces()).map(({ name, faces }) => ({
  name,
  faces: faces.filter((f) => f.quality >= DEFAULT_MIN_QUALITY),
}));

/** The K nearest other faces of each face, nearest first, as [distance, index] (exact; these sets are small). */
function nearest(faces: EmbeddedFace[]): Array<Array<[number, number]>> {
  return faces.map((a, i) =>
    faces
      .map((b, j): [number, number] => [i === j ? Infinity : squaredL2(a.embedding, b.embedding), j])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
      .slice(0, K),
  );
}

const result: Record<string, Record<string, Record<string, { same: number; different: number }>>> = {};
for (const { name, faces } of sets) {
  const lists = nearest(faces);
  const bands: Record<string, Record<string, { same: number; different: number }>> = {};
  const bandName = (b: number) => `[${BANDS[b]}, ${BANDS[b + 1]})`;
  for (let b = 0; b + 1 < BANDS.length; b++)
    bands[bandName(b)] = Object.fromEntries(Object.keys(CUTS).map((c) => [c, { same: 0, different: 0 }]));
  lists.forEach((list, i) => {
    const [d, j] = list[0]!;
    if (j <= i || lists[j]![0]![1] !== i) return; // each mutual pair once
    const band = BANDS.findIndex((lo, b) => b + 1 < BANDS.length && d >= lo && d < BANDS[b + 1]!);
    if (band < 0) return;
    const theirs = new Set(lists[j]!.map(([, n]) => n));
    const signals: PairSignals = {
      ratio: d / Math.min(list[1]![0], lists[j]![1]![0]),
      shared: list.filter(([, n]) => theirs.has(n)).length,
      quality: Math.min(faces[i]!.quality, faces[j]!.quality),
    };
    const same = faces[i]!.identity === faces[j]!.identity;
    for (const [cut, passes] of Object.entries(CUTS)) {
      if (!passes(signals)) continue;
      const cell = bands[bandName(band)]![cut]!;
      if (same) cell.same++;
      else cell.different++;
    }
  });
  result[name] = bands;
}
console.log(JSON.stringify(result));
