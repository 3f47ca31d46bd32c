/**
 * The face pipeline in worker threads (AnalyzerPool): the same results as FaceAnalyzer in the calling
 * thread, PhotoErrors that stay PhotoErrors, a load failure that rejects, and inference that really leaves
 * the calling thread (onnxruntime-node runs a session synchronously on the thread that calls it).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoAnalysis } from '../../../../src-shared/analysis.js';
import { PhotoError } from '../../../../src-main/engine/vision/analysis.js';
import { AnalyzerPool } from '../../../../src-main/engine/vision/analyzer-pool.js';
import { canEmbedBox, embedManualFace } from '../../../../src-main/engine/vision/manual-face.js';
import { activeProviders } from '../../../../src-main/engine/vision/onnx-session.js';
import type { FaceAnalyzer } from '../../../../src-main/engine/vision/pipeline.js';
import { createFaceAnalyzer, type DetectorId } from '../../../../src-main/engine/vision/registry.js';
import { hasShared, SHARED_DIR } from '../../../helpers/shared.js';

const group = join(SHARED_DIR, 'faces', '_group');

function maxDifference(a: PhotoAnalysis, b: PhotoAnalysis): number {
  expect(a.faces.length).toBe(b.faces.length);
  let worst = 0;
  a.faces.forEach((f, i) => {
    const g = b.faces[i]!;
    for (const k of ['x', 'y', 'width', 'height'] as const) worst = Math.max(worst, Math.abs(f.box[k] - g.box[k]));
    f.embedding.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - g.embedding[j]!))));
    f.features.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - g.features[j]!))));
    worst = Math.max(worst, Math.abs(f.quality - g.quality), Math.abs(f.score - g.score));
  });
  return worst;
}

describe.skipIf(!hasShared('faces/_group'))('the face pipeline in worker threads', () => {
  let pool: AnalyzerPool;
  let local: FaceAnalyzer;
  const photos = hasShared('faces/_group')
    ? readdirSync(group)
        .filter((f) => f.endsWith('.jpg'))
        .sort()
        .slice(0, 4)
        .map((f) => join(group, f))
    : [];

  beforeAll(async () => {
    [pool, local] = await Promise.all([AnalyzerPool.create(undefined, {}, {}, { workers: 2 }), createFaceAnalyzer()]);
  });
  afterAll(async () => {
    await pool?.dispose();
  });

  it('gives exactly what FaceAnalyzer gives in the calling thread, photos in flight at once', async () => {
    expect(pool.size).toBe(2);
    expect(pool.modelVersion).toBe(local.modelVersion);
    const fromPool = await Promise.all(photos.map((p) => pool.analyzePhoto(p)));
    let faces = 0;
    for (const [i, path] of photos.entries()) {
      const expected = await local.analyzePhoto(path);
      expect(fromPool[i]!.width).toBe(expected.width);
      expect(fromPool[i]!.modelVersion).toBe(expected.modelVersion);
      expect(maxDifference(fromPool[i]!, expected)).toBeLessThan(1e-6);
      faces += expected.faces.length;
    }
    expect(faces).toBeGreaterThan(0);
  });

  it('runs the models off the calling thread: its event loop stays almost idle while photos are analysed', async () => {
    const idle = performance.eventLoopUtilization();
    await Promise.all([...photos, ...photos].map((p) => pool.analyzePhoto(p)));
    const inPool = performance.eventLoopUtilization(idle).utilization;
    const busy = performance.eventLoopUtilization();
    for (const p of photos) await local.analyzePhoto(p);
    const inThread = performance.eventLoopUtilization(busy).utilization;
    // In the calling thread, inference keeps the loop busy most of the time; with the pool it only posts
    // messages and receives results.
    expect(inThread).toBeGreaterThan(0.5);
    expect(inPool).toBeLessThan(0.25);
  });

  it('reports the providers its workers opened the models on', () => {
    expect(activeProviders().map((p) => p.model)).toContain('faceapi-recognition.onnx');
  });

  it('rejects a bad photo with the PhotoError (and reason) FaceAnalyzer gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facenet-pool-'));
    const bad = join(dir, 'not-a-photo.jpg');
    writeFileSync(bad, 'this is text, not a JPEG');
    const expected = await local.analyzePhoto(bad).catch((e: unknown) => e);
    const actual = await pool.analyzePhoto(bad).catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(PhotoError);
    expect(actual).toBeInstanceOf(PhotoError);
    expect((actual as PhotoError).reason).toBe((expected as PhotoError).reason);
    expect((actual as PhotoError).path).toBe(bad);
    expect((actual as PhotoError).message).toBe((expected as PhotoError).message);
    // The workers are still there for the next photo.
    expect((await pool.analyzePhoto(photos[0]!)).faces.length).toBeGreaterThan(0);
  });

  it('rejects, naming the cause, when the models cannot load', async () => {
    const error = await AnalyzerPool.create({ detector: 'no-such-detector' as DetectorId, embedders: ['dlib'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
  });

  it('gives the same results with two photos per worker (decoding overlaps the models)', async () => {
    const doubled = await AnalyzerPool.create(undefined, {}, {}, { workers: 1, photosPerWorker: 2 });
    try {
      expect(doubled.capacity).toBe(2);
      const results = await Promise.all(photos.map((p) => doubled.analyzePhoto(p)));
      for (const [i, path] of photos.entries()) {
        expect(maxDifference(results[i]!, await local.analyzePhoto(path))).toBeLessThan(1e-6);
      }
    } finally {
      await doubled.dispose();
    }
  });

  it('embeds a drawn box like FaceAnalyzer does (the app draws faces through it)', async () => {
    expect(canEmbedBox(pool)).toBe(true);
    const face = (await local.analyzePhoto(photos[0]!)).faces[0]!;
    const drawn = await pool.embedBox(photos[0]!, face.box);
    const expected = await embedManualFace(local, photos[0]!, face.box);
    expect(Math.max(...drawn.embedding.map((v, i) => Math.abs(v - expected.embedding[i]!)))).toBeLessThan(1e-6);
  });

  it('refuses photos once disposed', async () => {
    const short = await AnalyzerPool.create(undefined, {}, {}, { workers: 1 });
    await short.dispose();
    await expect(short.analyzePhoto(photos[0]!)).rejects.toThrow(/closed/);
  });
});
