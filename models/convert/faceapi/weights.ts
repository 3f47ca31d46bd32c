/**
 * Reads a face-api.js (tfjs) weights manifest and its binary shards into named float tensors.
 *
 * face-api ships most weights uint8-quantised: each tensor stores bytes q with a per-tensor `scale` and
 * `min`, and tfjs decodes them as `q * scale + min` (computed in double precision, stored as float32).
 * We decode exactly the same way so the ONNX graphs start from bit-identical weights to the reference.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface WeightTensor {
  name: string;
  /** tfjs layout: conv filters are [kh, kw, in, out], depthwise filters [kh, kw, in, multiplier]. */
  shape: number[];
  /** Decoded values; int32 weights (shape constants in the SSD manifest) are returned as floats too. */
  data: Float32Array;
  dtype: 'float32' | 'int32';
}

export type WeightMap = Map<string, WeightTensor>;

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

export const FACE_API_PACKAGE = '@vladmandic/face-api';

/** The folder holding face-api's `*-weights_manifest.json` and `.bin` files. */
export function faceApiModelDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${FACE_API_PACKAGE}/package.json`)), 'model');
}

/** The installed face-api version (recorded in the manifest as the source). */
export function faceApiVersion(): string {
  const pkg = JSON.parse(readFileSync(join(faceApiModelDir(), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2 };

/** Loads `<modelName>-weights_manifest.json` (e.g. `face_recognition_model`) and decodes every tensor. */
export function loadWeights(modelName: string, dir = faceApiModelDir()): { weights: WeightMap; files: string[] } {
  const manifestFile = `${modelName}-weights_manifest.json`;
  const groups = JSON.parse(readFileSync(join(dir, manifestFile), 'utf8')) as ManifestGroup[];
  const weights: WeightMap = new Map();
  const files = [manifestFile];
  for (const group of groups) {
    // A group's shards are one logical buffer split into files.
    const shards = group.paths.map((p) => readFileSync(join(dir, p)));
    files.push(...group.paths);
    const buffer = Buffer.concat(shards);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const storedAs = spec.quantization?.dtype ?? spec.dtype;
      const bytesPerValue = BYTES[storedAs];
      if (bytesPerValue === undefined) throw new Error(`${modelName}: ${spec.name} stored as unsupported ${storedAs}`);
      const byteLength = size * bytesPerValue;
      // Copy so typed-array views are aligned regardless of the offset inside the shard.
      const bytes = new Uint8Array(buffer.subarray(offset, offset + byteLength));
      offset += byteLength;
      weights.set(spec.name, decode(spec, size, bytes));
    }
    if (offset !== buffer.length) throw new Error(`${modelName}: ${buffer.length - offset} bytes left after decoding`);
  }
  return { weights, files };
}

function decode(spec: ManifestWeight, size: number, bytes: Uint8Array): WeightTensor {
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new Error(`${spec.name}: dtype ${spec.dtype}`);
  const dtype = spec.dtype;
  const data = new Float32Array(size);
  const q = spec.quantization;
  if (q) {
    if (q.dtype !== 'uint8' && q.dtype !== 'uint16') throw new Error(`${spec.name}: quantisation ${q.dtype}`);
    if (q.scale === undefined || q.min === undefined) throw new Error(`${spec.name}: quantisation without scale/min`);
    const values = q.dtype === 'uint8' ? bytes : new Uint16Array(bytes.buffer, 0, size);
    for (let i = 0; i < size; i++) {
      const v = values[i]! * q.scale + q.min;
      data[i] = dtype === 'int32' ? Math.round(v) : v;
    }
  } else if (dtype === 'float32') {
    data.set(new Float32Array(bytes.buffer, 0, size));
  } else {
    data.set(new Int32Array(bytes.buffer, 0, size));
  }
  return { name: spec.name, shape: spec.shape, data, dtype };
}

/** The tensor `name`, checking its rank so a wrong manifest fails loudly at build time. */
export function requireWeight(weights: WeightMap, name: string, rank?: number): WeightTensor {
  const t = weights.get(name);
  if (!t) throw new Error(`weight ${name} missing`);
  if (rank !== undefined && t.shape.length !== rank)
    throw new Error(`weight ${name}: rank ${t.shape.length} != ${rank}`);
  return t;
}
