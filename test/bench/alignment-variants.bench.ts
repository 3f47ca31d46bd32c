/**
 * `npx tsx test/bench/alignment-variants.bench.ts [pairs file]`: alignment variants and ways of combining a
 * face's embedding with its mirror's, measured on LFW pairs (issue 15, "the vectors themselves"). Each image's
 * primary face is found once, as `facenet eval lfw` finds it; each variant then aligns the dlib chip its own way
 * and the embedder (the shipped one, dlib's ResNet) sees the chip and its mirror image. The raw (unnormalised)
 * outputs are kept, so every way of combining the two is scored from the same run.
 *
 * Alignment, fixed before any result:
 *   - `shipped`: dlib's template on 33 of the 68 landmarks, padding 0.25 (dlib's face recognition example);
 *   - `padding 0.2`, `padding 0.3`: the same template in a tighter or looser crop (crop scale);
 *   - `five points`: eye centres, nose tip and mouth corners onto the same template's five points, as dlib's own
 *     recognition example aligns (its 5-point shape predictor), fewer points and so less landmark noise averaged;
 *   - `smoothed landmarks`: the landmark net run again on the mirrored photo, its points mirrored back (iBUG
 *     left/right correspondence) and averaged with the first answer, then the shipped template.
 * Mirror combination, fixed before any result (ê, m̂: the unit embeddings of the chip and of its mirror, as our
 * graph returns them; |e|, |m|: the norms of face-api's raw descriptors, features · W, before that graph divides
 * them out):
 *   - `unit sum` (shipped): ê + m̂, re-normalised (equal weights);
 *   - `own only`: ê, no mirror;
 *   - `raw sum`: |e| ê + |m| m̂, re-normalised (face-api's raw descriptors added: each weighted by its norm);
 *   - `norm-weighted`: |e|² ê + |m|² m̂, re-normalised (the feature norm as quality, as MagFace reads it: the
 *     better-seen of the two counts more).
 * (First written with the network's outputs taken as raw descriptors; our graph returns them unit-length, so
 * the first run's three sums were one and the same. Corrected before any figure was used.)
 *
 * Selection rule, written before the run: the variant (alignment x combination) with the highest 10-fold
 * accuracy on the development pairs (default pairsDevTrain.txt) is adopted only if it beats the shipped pair
 * (`shipped`, `unit sum`) by at least the shipped accuracy's standard error and its VAL at FAR 1e-3 is not lower;
 * otherwise the shipped pipeline stays. View 1 test pairs (`pairs.txt` beside them) are reported after choosing.
 * Prints one JSON object: accuracy, its standard error and VAL at FAR 1e-3 for every variant.
 */
import type { Point } from '../../src-shared/geometry.js';
import { l2Normalize } from '../../src-shared/vectors.js';
import { estimateSimilarity, flipHorizontal, warpChip, type Similarity } from '../../src-main/engine/vision/align.js';
import { fixedPixels } from '../../src-main/engine/vision/decode.js';
import { FaceApiRecognition } from '../../src-main/engine/vision/models/faceapi-recognition.js';
import { loadShippedLayerFile } from '../../src-main/engine/vision/models/shipped-layer.js';
import { chipTransform, type DetectedFace } from '../../src-main/engine/vision/pipeline.js';
import { createFaceAnalyzer, DEFAULT_CHOICE } from '../../src-main/engine/vision/registry.js';
import { DLIB_CHIP, dlibFivePointTemplate, fivePointsFrom68 } from '../../src-main/engine/vision/templates.js';
import type { RgbImage } from '../../src-main/engine/vision/types.js';
import { benchPairs, pairDistances, pairScores, primaryFaces } from '../helpers/lfw-bench-pairs.js';

const SIZE = 150;

/** iBUG 68-point index of each point's mirror image (left eye <-> right eye, jaw reversed, ...). */
const MIRROR_68: number[] = (() => {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i <= 7; i++) pairs.push([i, 16 - i]);
  for (let i = 17; i <= 21; i++) pairs.push([i, 43 - i]);
  pairs.push([31, 35], [32, 34]);
  pairs.push([36, 45], [37, 44], [38, 43], [39, 42], [40, 47], [41, 46]);
  pairs.push([48, 54], [49, 53], [50, 52], [55, 59], [56, 58]);
  pairs.push([60, 64], [61, 63], [65, 67]);
  const map = Array.from({ length: 68 }, (_, i) => i);
  for (const [a, b] of pairs) {
    map[a] = b;
    map[b] = a;
  }
  return map;
})();

type Alignment = (face: DetectedFace, smoothed: Point[]) => Similarity;
const dlib =
  (padding: number): Alignment =>
  (face) =>
    chipTransform(face, SIZE, { kind: 'dlib', padding });
const ALIGNMENTS: Record<string, Alignment> = {
  shipped: dlib(DLIB_CHIP.padding),
  'padding 0.2': dlib(0.2),
  'padding 0.3': dlib(0.3),
  'five points': (face) =>
    estimateSimilarity([...dlibFivePointTemplate(SIZE, DLIB_CHIP.padding)], [...fivePointsFrom68(face.landmarks68)]),
  'smoothed landmarks': (face, smoothed) => dlib(DLIB_CHIP.padding)({ ...face, landmarks68: smoothed }, smoothed),
};

interface Embedded {
  unit: Float32Array;
  /** Norm of face-api's raw descriptor (features · W). */
  rawNorm: number;
}
const weightedSum = (e: Embedded, m: Embedded, we: number, wm: number): Float32Array =>
  l2Normalize(Float32Array.from(e.unit, (x, i) => we * x + wm * m.unit[i]!));
const COMBINATIONS: Record<string, (e: Embedded, m: Embedded) => Float32Array> = {
  'unit sum': (e, m) => weightedSum(e, m, 1, 1),
  'own only': (e) => e.unit,
  'raw sum': (e, m) => weightedSum(e, m, e.rawNorm, m.rawNorm),
  'norm-weighted': (e, m) => weightedSum(e, m, e.rawNorm ** 2, m.rawNorm ** 2),
};

/** The 68 landmarks averaged with those found on the mirrored photo (mirrored back). */
async function smoothedLandmarks(
  analyzer: Awaited<ReturnType<typeof createFaceAnalyzer>>,
  image: RgbImage,
  face: DetectedFace,
): Promise<Point[]> {
  const w = image.width;
  const box = { ...face.box, x: w - face.box.x - face.box.width };
  const [mirrored] = await analyzer.landmarks(fixedPixels(flipHorizontal(image)), [box]);
  // flipHorizontal sends pixel x to w - 1 - x (pixel centres on integers, as warpChip samples).
  return face.landmarks68.map((p, i) => {
    const q = mirrored![MIRROR_68[i]!]!;
    return { x: (p.x + (w - 1 - q.x)) / 2, y: (p.y + q.y) / 2 };
  });
}

const bench = benchPairs(process.argv[2]);

const analyzer = await createFaceAnalyzer(DEFAULT_CHOICE);
const embedder = await FaceApiRecognition.load();
const layer = loadShippedLayerFile();
/** Per image with a face, and per alignment, the raw embeddings of the chip and of its mirror. */
const raw = new Map<string, Map<string, { own: Embedded; mirror: Embedded }>>();
try {
  for await (const { path, image, face } of primaryFaces(analyzer, bench)) {
    const smoothed = await smoothedLandmarks(analyzer, image, face);
    const names = Object.keys(ALIGNMENTS);
    const chips = names.map((name) => warpChip(image, ALIGNMENTS[name]!(face, smoothed), SIZE));
    const out = await embedder.embed([...chips, ...chips.map(flipHorizontal)]);
    const { norms } = layer.forward({
      data: Float32Array.from(out.flatMap((o) => [...o.features])),
      rows: out.length,
      cols: layer.inDim,
    });
    const embedded = out.map((o, i): Embedded => ({ unit: o.embedding, rawNorm: norms[i]! }));
    raw.set(path, new Map(names.map((name, i) => [name, { own: embedded[i]!, mirror: embedded[i + names.length]! }])));
  }
} finally {
  await embedder.dispose();
  await analyzer.dispose();
}

const rows = Object.keys(ALIGNMENTS).flatMap((alignment) =>
  Object.entries(COMBINATIONS).map(([combination, combine]) => {
    const vector = (path: string) => {
      const r = raw.get(path)?.get(alignment);
      return r && combine(r.own, r.mirror);
    };
    return { alignment, combination, ...pairScores(bench, pairDistances(bench, vector)) };
  }),
);
console.log(
  JSON.stringify({
    pairs: bench.pairsFile,
    images: bench.paths.length,
    faces: raw.size,
    rows,
  }),
);
