/**
 * `npx tsx test/bench/jitter-tta.bench.ts [pairs file]`: dlib-style jittered test-time augmentation, measured
 * on LFW pairs (issue 15). Each image's primary face is found once (as `facenet eval lfw` finds it); its
 * landmarks are then moved by small similarity transforms about their centre, so the aligned chip sees the
 * face slightly rotated, scaled or shifted (what dlib's jitter_image does at random; here a fixed set), each
 * chip is embedded as the app embeds (with its mirror image), and the unit vectors are averaged.
 *
 * Jitter sets, fixed before any result: 1 (the shipped embedding), 5 (plus rotations of +-4 degrees and scales
 * of 0.95 and 1.05), 9 (plus shifts of +-3% of the landmarks' extent along x and y). Default pairs: the
 * development pairs (pairsDevTrain.txt). Prints one JSON object: accuracy (10-fold, the CLI's metric), VAL at
 * FAR 1e-3 and embedding time per face for each set.
 */
import type { Point } from '../../src-shared/geometry.js';
import { l2Normalize } from '../../src-shared/vectors.js';
import { createFaceAnalyzer, DEFAULT_CHOICE } from '../../src-main/engine/vision/registry.js';
import { fixedPixels } from '../../src-main/engine/vision/decode.js';
import type { DetectedFace } from '../../src-main/engine/vision/pipeline.js';
import { benchPairs, pairDistances, pairScores, primaryFaces } from '../helpers/lfw-bench-pairs.js';

interface Jitter {
  degrees: number;
  scale: number;
  /** Shift as a fraction of the landmarks' extent. */
  dx: number;
  dy: number;
}
const NONE: Jitter = { degrees: 0, scale: 1, dx: 0, dy: 0 };
const JITTERS: Jitter[] = [
  NONE,
  { ...NONE, degrees: 4 },
  { ...NONE, degrees: -4 },
  { ...NONE, scale: 0.95 },
  { ...NONE, scale: 1.05 },
  { ...NONE, dx: 0.03 },
  { ...NONE, dx: -0.03 },
  { ...NONE, dy: 0.03 },
  { ...NONE, dy: -0.03 },
];
const SETS = [1, 5, 9];

function jittered(face: DetectedFace, j: Jitter): DetectedFace {
  const pts = face.landmarks68;
  const cx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
  const cy = pts.reduce((s, p) => s + p.y, 0) / pts.length;
  const extent = Math.max(...pts.map((p) => p.x)) - Math.min(...pts.map((p) => p.x));
  const a = (j.degrees * Math.PI) / 180;
  const cos = Math.cos(a) * j.scale;
  const sin = Math.sin(a) * j.scale;
  const move = (p: Point): Point => ({
    x: cx + cos * (p.x - cx) - sin * (p.y - cy) + j.dx * extent,
    y: cy + sin * (p.x - cx) + cos * (p.y - cy) + j.dy * extent,
  });
  return {
    ...face,
    landmarks68: pts.map(move),
    landmarks: face.landmarks.map(move) as DetectedFace['landmarks'],
  };
}

const bench = benchPairs(process.argv[2]);

const analyzer = await createFaceAnalyzer(DEFAULT_CHOICE);
/** Per image with a face, the embedding of each jitter. */
const perImage = new Map<string, Float32Array[]>();
let embedMs = 0;
let faces = 0;
try {
  for await (const { path, image, face } of primaryFaces(analyzer, bench)) {
    const t = performance.now();
    const analyzed = await analyzer.embedIn(
      fixedPixels(image),
      JITTERS.map((j) => jittered(face, j)),
    );
    embedMs += performance.now() - t;
    faces++;
    perImage.set(
      path,
      analyzed.map((a) => a.embedding),
    );
  }
} finally {
  await analyzer.dispose();
}

const rows = SETS.map((count) => {
  const vector = (path: string): Float32Array | undefined => {
    const all = perImage.get(path);
    if (!all) return undefined;
    const sum = new Float32Array(all[0]!.length);
    for (const v of all.slice(0, count)) for (let x = 0; x < sum.length; x++) sum[x]! += v[x]!;
    return l2Normalize(sum);
  };
  return {
    jitters: count,
    ...pairScores(bench, pairDistances(bench, vector)),
    embedMsPerFace: (embedMs / Math.max(1, faces)) * (count / JITTERS.length),
  };
});
console.log(JSON.stringify({ pairs: bench.pairsFile, images: bench.paths.length, faces, rows }));
