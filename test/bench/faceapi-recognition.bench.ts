/**
 * Benchmark: ms per face of faceapi-recognition on CPU, onnxruntime-node vs face-api on tfjs-wasm, for
 * the same 150x150 inputs at batch 1 and batch 16. Run: npx tsx test/bench/faceapi-recognition.bench.ts
 * (needs ../shared/faces; uses the default thread counts of both runtimes on this machine).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FaceApiRecognition } from '../../src-main/engine/vision/models/faceapi-recognition.js';
import type { RgbImage } from '../../src-main/engine/vision/types.js';
import { ensureFaceApiModel } from '../helpers/faceapi-build.js';
import { loadFaceApi } from '../helpers/faceapi-reference.js';
import { SHARED_DIR } from '../helpers/shared.js';

const SHARED = join(SHARED_DIR, 'faces');
if (!existsSync(SHARED)) throw new Error(`${SHARED} not found`);

const photos = readdirSync(SHARED)
  .filter((d) => d.startsWith('celeba_'))
  .sort()
  .slice(0, 16)
  .map((d) => join(SHARED, d, readdirSync(join(SHARED, d)).sort()[0]!));
const crops: RgbImage[] = await Promise.all(
  photos.map(async (p) => {
    const { data } = await sharp(p)
      .resize(150, 150, { fit: 'fill' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data), width: 150, height: 150 };
  }),
);

async function time(label: string, batch: number, runs: number, fn: () => Promise<unknown>): Promise<void> {
  await fn(); // warm-up (kernels, allocations)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  // Min next to median: on a shared machine the minimum is the better estimate of the uncontended cost.
  console.log(
    `${label.padEnd(30)} batch ${String(batch).padStart(2)}: ${(median / batch).toFixed(1)} ms/face median, ` +
      `${(samples[0]! / batch).toFixed(1)} min (${runs} runs)`,
  );
}

await ensureFaceApiModel('faceapi-recognition');
const model = await FaceApiRecognition.load(undefined, { providers: ['cpu'] }); // all cores
const faceapi = await loadFaceApi();
const tf = faceapi.tf;
const tensors = crops.map((c) => tf.tensor3d(Float32Array.from(c.data), [150, 150, 3]));
const wasm = createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
const wasmThreads = wasm.getThreadsCount();
console.log(`cpus: ${cpus().length} x ${cpus()[0]?.model}; tfjs backend ${tf.getBackend()} (${wasmThreads} threads)`);

await time('onnxruntime-node (cpu)', 1, 20, () => model.embed([crops[0]!]));
await time('onnxruntime-node (cpu)', 16, 5, () => model.embed(crops));
// Same thread count as tfjs-wasm in Node (1), for a like-for-like comparison.
const single = await FaceApiRecognition.load(undefined, { providers: ['cpu'], intraOpThreads: 1 });
await time('onnxruntime-node (cpu, 1 thr)', 1, 20, () => single.embed([crops[0]!]));
await time('onnxruntime-node (cpu, 1 thr)', 16, 5, () => single.embed(crops));
await time('face-api tfjs-wasm', 1, 10, () => faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensors[0]));
await time('face-api tfjs-wasm', 16, 3, () => faceapi.nets.faceRecognitionNet.computeFaceDescriptor(tensors));
