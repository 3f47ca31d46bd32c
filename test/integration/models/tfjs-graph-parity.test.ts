/**
 * Parity of the TFJS-graph -> ONNX conversions against the reference runtime (tfjs + WASM backend running
 * the original graph model) on real photos from ../shared/faces. The ONNX models are built in memory from
 * the recipes, so the test checks the converter, not a possibly stale models/onnx/ file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRecipe } from '../../../models/convert/onnx-graph.js';
import {
  blazefaceFullRecipe,
  blazefaceShortRecipe,
  faceresRecipe,
  mobilefaceRecipe,
} from '../../../models/convert/tfjs-graph/recipes.js';
import {
  BlazeFaceDetector,
  blazefaceInput,
  decodeAnchor,
  decodeDetections,
  FULL_RANGE_ANCHORS,
  generateAnchors,
  sigmoidScore,
  SHORT_RANGE_ANCHORS,
  weightedNms,
  type AnchorSpec,
} from '../../../src-main/engine/vision/models/blazeface-detector.js';
import { createFaceResEmbedder } from '../../../src-main/engine/vision/models/faceres-embedder.js';
import { createMobileFaceEmbedder } from '../../../src-main/engine/vision/models/mobileface-embedder.js';
import type { RgbImage } from '../../../src-main/engine/vision/types.js';
import {
  celebaPhotos,
  groupPhotos,
  haveSharedFaces,
  loadReference,
  loadRgb,
  sharedFacesDir,
  toBatch,
} from '../../helpers/tfjs-graph-reference.js';
import { cosineSimilarity } from '../../../src-shared/vectors.js';

if (!haveSharedFaces) console.warn(`tfjs-graph parity: skipped, ${sharedFacesDir} (real face photos) is absent`);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tfjs-graph-parity-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Builds a recipe into a temporary file (wrappers open files by path). */
async function buildToFile(recipe: ModelRecipe): Promise<string> {
  const { bytes } = await recipe.build();
  const path = join(tmp, `${recipe.id}.onnx`);
  writeFileSync(path, bytes);
  return path;
}

function rows(data: Float32Array, n: number): Float32Array[] {
  const d = data.length / n;
  return Array.from({ length: n }, (_, i) => data.subarray(i * d, (i + 1) * d));
}

const asImage = (data: Uint8Array, size: number): RgbImage => ({ data, width: size, height: size });

describe.skipIf(!haveSharedFaces)('tfjs-graph -> ONNX parity (reference: tfjs wasm)', () => {
  const embedders = [
    {
      recipe: mobilefaceRecipe,
      file: 'mobileface.json',
      size: 112,
      tfEmbedding: 'batchnorm0/add_1',
      tfFeatures: 'flatten/Reshape',
      create: createMobileFaceEmbedder,
    },
    {
      recipe: faceresRecipe,
      file: 'faceres.json',
      size: 224,
      tfEmbedding: 'global_pooling/Mean',
      tfFeatures: 'global_pooling/Mean',
      create: createFaceResEmbedder,
    },
  ];

  for (const e of embedders) {
    it(`${e.recipe.id}: embedding and features match, wrapper batches`, async () => {
      const photos = celebaPhotos(8);
      const crops = await Promise.all(photos.map((p) => loadRgb(p, e.size)));
      const shape = [crops.length, e.size, e.size, 3];
      const input = toBatch(crops);
      const reference = await loadReference(e.file);
      const [refEmbedding, refFeatures] = await reference.run(input, shape, [e.tfEmbedding, e.tfFeatures]);

      const path = await buildToFile(e.recipe);
      const embedder = await e.create({ modelPath: path, intraOpThreads: 2, providers: ['cpu'], maxBatch: 5 });
      const results = await embedder.embed(crops.map((c) => asImage(c, e.size)));
      expect(results).toHaveLength(crops.length);
      const refE = rows(refEmbedding!, crops.length);
      const refF = rows(refFeatures!, crops.length);
      let worst = 1;
      for (let i = 0; i < crops.length; i++) {
        const { embedding, features } = results[i]!;
        expect(embedding.length).toBe(embedder.dimension);
        expect(Math.hypot(...embedding)).toBeCloseTo(1, 5);
        worst = Math.min(worst, cosineSimilarity(embedding, refE[i]!), cosineSimilarity(features, refF[i]!));
        expect(features.length).toBe(refF[i]!.length);
      }
      console.log(`${e.recipe.id}: worst cosine vs tfjs ${worst.toFixed(7)} over ${crops.length} faces`);
      expect(worst).toBeGreaterThanOrEqual(0.9999);
      // Different people must not collapse onto one vector (the failure DESIGN.md reports for mobilefacenet).
      expect(cosineSimilarity(results[0]!.embedding, results[1]!.embedding)).toBeLessThan(0.9);
    });
  }

  const detectors: Array<{ recipe: ModelRecipe; file: string; anchors: AnchorSpec; variant: 'full' | 'short' }> = [
    { recipe: blazefaceFullRecipe, file: 'facemesh-detection-full.json', anchors: FULL_RANGE_ANCHORS, variant: 'full' },
    {
      recipe: blazefaceShortRecipe,
      file: 'facemesh-detection-short.json',
      anchors: SHORT_RANGE_ANCHORS,
      variant: 'short',
    },
  ];

  for (const d of detectors) {
    it(`${d.recipe.id}: decoded boxes within 0.5 px, scores within 1e-3; detector finds faces`, async () => {
      const size = d.anchors.inputSize;
      const images = (await Promise.all(groupPhotos().map((p) => loadRgb(p, size)))).map((c) => asImage(c, size));
      const input = blazefaceInput(images, size);
      const reference = await loadReference(d.file);
      const [concat] = await reference.run(input, [images.length, size, size, 3], ['Identity']);

      const path = await buildToFile(d.recipe);
      const detector = await BlazeFaceDetector.create(d.variant, {
        modelPath: path,
        intraOpThreads: 2,
        providers: ['cpu'],
      });
      const { logits, regressors } = await detector.raw(images);
      const anchors = generateAnchors(d.anchors);
      const count = anchors.length / 2;
      expect(logits.length).toBe(images.length * count);

      let scoreDiff = 0;
      let boxDiff = 0;
      for (let n = 0; n < images.length; n++) {
        // The reference output concatenates [logit, 16 regressors] per anchor.
        const ref = concat!.subarray(n * count * 17, (n + 1) * count * 17);
        const refLogits = new Float32Array(count);
        const refRegressors = new Float32Array(count * 16);
        for (let i = 0; i < count; i++) {
          refLogits[i] = ref[i * 17]!;
          refRegressors.set(ref.subarray(i * 17 + 1, i * 17 + 17), i * 16);
        }
        const ourLogits = logits.subarray(n * count, (n + 1) * count);
        const ourRegressors = regressors.subarray(n * count * 16, (n + 1) * count * 16);
        for (let i = 0; i < count; i++) {
          scoreDiff = Math.max(scoreDiff, Math.abs(sigmoidScore(ourLogits[i]!) - sigmoidScore(refLogits[i]!)));
          const a = decodeAnchor(ourRegressors, anchors, i);
          const b = decodeAnchor(refRegressors, anchors, i);
          const coords = (x: typeof a) => [
            x.box.x,
            x.box.y,
            x.box.width,
            x.box.height,
            ...x.keypoints.flatMap((p) => [p.x, p.y]),
          ];
          const ca = coords(a);
          const cb = coords(b);
          for (let k = 0; k < ca.length; k++) boxDiff = Math.max(boxDiff, Math.abs(ca[k]! - cb[k]!));
        }
        // After NMS, the wrapper's detections equal the reference decoded the same way.
        const ours = weightedNms(decodeDetections(ourLogits, ourRegressors, anchors, 0.5));
        const theirs = weightedNms(decodeDetections(refLogits, refRegressors, anchors, 0.5));
        expect(ours.length).toBe(theirs.length);
      }
      console.log(
        `${d.recipe.id}: max score diff ${scoreDiff.toExponential(2)}, max box/keypoint diff ${boxDiff.toExponential(2)} px`,
      );
      expect(scoreDiff).toBeLessThan(1e-3);
      expect(boxDiff).toBeLessThan(0.5);

      const found = await detector.detect(images, 0.5);
      const total = found.reduce((s, f) => s + f.length, 0);
      console.log(
        `${d.recipe.id}: ${total} faces in ${images.length} group photos (squashed to ${size}x${size}), per photo ${found.map((f) => f.length).join(',')}`,
      );
      expect(total).toBeGreaterThan(images.length);
      for (const det of found.flat()) {
        expect(det.keypoints).toHaveLength(6);
        expect(det.box.width).toBeGreaterThan(0);
        expect(det.box.x + det.box.width / 2).toBeGreaterThan(0);
        expect(det.box.x + det.box.width / 2).toBeLessThan(size);
      }
    });
  }
});
