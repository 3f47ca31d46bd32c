/**
 * Parity of the converted face-api models with the reference runtime (@vladmandic/face-api on tfjs-wasm)
 * on real photos from ../shared/faces. Both runtimes get exactly the same float input tensor.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { recognitionFc } from '../../../models/convert/faceapi/recognition.js';
import { FaceApiLandmark68 } from '../../../src-main/engine/vision/models/faceapi-landmark68.js';
import { FaceApiRecognition } from '../../../src-main/engine/vision/models/faceapi-recognition.js';
import { FaceApiSsdDetector } from '../../../src-main/engine/vision/models/faceapi-ssd-detector.js';
import type { RgbImage } from '../../../src-main/engine/vision/types.js';
import { ensureFaceApiModel } from '../../helpers/faceapi-build.js';
import { loadFaceApi } from '../../helpers/faceapi-reference.js';
import { SHARED_DIR } from '../../helpers/shared.js';
import { cosineSimilarity } from '../../../src-shared/vectors.js';

const SHARED = join(SHARED_DIR, 'faces');
const hasShared = existsSync(SHARED);
if (!hasShared) console.warn(`faceapi-parity: skipped, ${SHARED} not found (needs the shared test photos)`);

/** The first photo of a few identities (deterministic: sorted names). */
function celebaPhotos(count: number): string[] {
  const people = readdirSync(SHARED)
    .filter((d) => d.startsWith('celeba_'))
    .sort()
    .slice(0, count);
  return people.map((p) => join(SHARED, p, readdirSync(join(SHARED, p)).sort()[0]!));
}

/** Decodes and squashes a photo to size x size RGB (the content does not matter for parity). */
async function loadRgb(path: string, size: number): Promise<RgbImage> {
  const { data, info } = await sharp(path)
    .resize(size, size, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** A few multi-person photos (sorted, so the choice is stable). */
const GROUP_PHOTOS = hasShared
  ? readdirSync(join(SHARED, '_group'))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, 3)
  : [];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FaceApi = any;

/** CPU only: parity is about the conversion, and it keeps GPU-provider fallback logs out of the output. */
const CPU = { providers: ['cpu' as const] };

describe.skipIf(!hasShared)('face-api ONNX parity with face-api on tfjs-wasm', () => {
  let faceapi: FaceApi;
  const toTensor = (image: RgbImage) =>
    faceapi.tf.tensor4d(Float32Array.from(image.data), [1, image.height, image.width, 3]);

  beforeAll(async () => {
    await Promise.all(['faceapi-recognition', 'faceapi-landmark68', 'faceapi-ssd-mobilenetv1'].map(ensureFaceApiModel));
    faceapi = await loadFaceApi();
  });

  it('recognition: embeddings match (cosine >= 0.9999) and embedding = normalize(features . fc)', async () => {
    const crops = await Promise.all(celebaPhotos(4).map((p) => loadRgb(p, 150)));
    const model = await FaceApiRecognition.load(undefined, CPU);
    const results = await model.embed(crops);
    const fc = recognitionFc();
    for (const [i, crop] of crops.entries()) {
      const input = toTensor(crop);
      const reference = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(input)) as Float32Array;
      input.dispose();
      const { embedding, features } = results[i]!;
      expect(cosineSimilarity(embedding, reference)).toBeGreaterThanOrEqual(0.9999);
      expect(Math.hypot(...embedding)).toBeCloseTo(1, 5);
      expect(features.length).toBe(256);
      // The documented embedding layer: normalize(features . W + b), W = fc [256, 128], b = 0.
      const projected = Array.from({ length: 128 }, (_, j) =>
        features.reduce((s, f, k) => s + f * fc.data[k * 128 + j]!, 0),
      );
      const norm = Math.hypot(...projected);
      projected.forEach((v, j) => expect(Math.abs(v / norm - embedding[j]!)).toBeLessThan(1e-5));
    }
    // Batching does not change a face's result.
    const [single] = await model.embed([crops[2]!]);
    expect(cosineSimilarity(single!.embedding, results[2]!.embedding)).toBeGreaterThan(0.999999);
  });

  it('landmark68: 68 points within 0.5 px of face-api at 112x112', async () => {
    const crops = await Promise.all(celebaPhotos(4).map((p) => loadRgb(p, 112)));
    const model = await FaceApiLandmark68.load(undefined, CPU);
    const points = await model.landmarks(crops);
    for (const [i, crop] of crops.entries()) {
      const input = toTensor(crop);
      const out = await faceapi.nets.faceLandmark68Net.forward(input);
      // face-api's forward = relative points after its (identity, for square input) un-padding.
      const reference = (await out.data()) as Float32Array;
      input.dispose();
      out.dispose();
      expect(points[i]).toHaveLength(68);
      points[i]!.forEach((p, k) => {
        expect(Math.abs(p.x - reference[2 * k]! * 112)).toBeLessThan(0.5);
        expect(Math.abs(p.y - reference[2 * k + 1]! * 112)).toBeLessThan(0.5);
      });
    }
  });

  it.each(GROUP_PHOTOS)(
    'ssd detector: same faces as face-api locateFaces on _group/%s (boxes 0.5 px, scores 1e-3)',
    async (name) => {
      const image = await loadRgb(join(SHARED, '_group', name), 512);
      const detector = await FaceApiSsdDetector.load(undefined, CPU);
      const [ours] = await detector.detect([image], 0.5);
      const input = toTensor(image);
      const reference = await faceapi.nets.ssdMobilenetv1.locateFaces(input, { minConfidence: 0.5 });
      input.dispose();
      expect(ours!.length).toBeGreaterThanOrEqual(1);
      expect(ours).toHaveLength(reference.length);
      ours!.forEach((d, i) => {
        const r = reference[i];
        expect(Math.abs(d.score - r.score)).toBeLessThan(1e-3);
        expect(Math.abs(d.box.x - r.box.x)).toBeLessThan(0.5);
        expect(Math.abs(d.box.y - r.box.y)).toBeLessThan(0.5);
        expect(Math.abs(d.box.width - r.box.width)).toBeLessThan(0.5);
        expect(Math.abs(d.box.height - r.box.height)).toBeLessThan(0.5);
      });
    },
  );

  it('ssd detector: a batch gives the same detections as one image at a time', async () => {
    const images = await Promise.all(GROUP_PHOTOS.map((name) => loadRgb(join(SHARED, '_group', name), 512)));
    const detector = await FaceApiSsdDetector.load(undefined, CPU);
    const batched = await detector.detect(images, 0.5);
    for (const [i, image] of images.entries()) {
      const [alone] = await detector.detect([image], 0.5);
      expect(batched[i]!.length).toBe(alone!.length);
      batched[i]!.forEach((d, k) => {
        expect(Math.abs(d.score - alone![k]!.score)).toBeLessThan(1e-5);
        expect(Math.abs(d.box.x - alone![k]!.box.x)).toBeLessThan(1e-3);
        expect(Math.abs(d.box.y - alone![k]!.box.y)).toBeLessThan(1e-3);
      });
    }
  });
});
