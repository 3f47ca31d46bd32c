/**
 * Reading a TensorFlow.js graph model (model.json + weight shards) without TensorFlow.js: the topology
 * stays JSON and every weight is de-quantised to float32 (or kept as int32 for shapes and indices), so
 * the converter sees the values the reference runtime would use.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface TfAttr {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { s?: string[]; i?: string[]; f?: number[] };
  shape?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TfWeight {
  dtype: 'float32' | 'int32';
  shape: number[];
  /** float32 values (de-quantised) or int32 values. */
  data: Float32Array | Int32Array;
}

export interface TfGraphModel {
  /** The raw model.json (kept for the parity test, which hands it to tfjs as is). */
  json: TfModelJson;
  nodes: TfNode[];
  weights: Map<string, TfWeight>;
  /** Concatenated shard bytes, exactly as stored. */
  weightData: Uint8Array;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; min?: number; scale?: number; original_dtype?: string };
}

export interface TfModelJson {
  modelTopology: { node: TfNode[] };
  weightsManifest: Array<{ paths: string[]; weights: WeightSpec[] }>;
  signature?: unknown;
}

export function loadTfGraphModel(jsonPath: string): TfGraphModel {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as TfModelJson;
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) shards.push(readFileSync(join(dirname(jsonPath), path)));
  }
  const weightData = concat(shards);
  const weights = new Map<string, TfWeight>();
  let offset = 0;
  for (const spec of json.weightsManifest.flatMap((g) => g.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const { weight, bytes } = decodeWeight(spec, count, weightData, offset);
    weights.set(spec.name, weight);
    offset += bytes;
  }
  if (offset !== weightData.length) {
    throw new Error(`${jsonPath}: weights use ${offset} bytes but the shards hold ${weightData.length}`);
  }
  return { json, nodes: json.modelTopology.node, weights, weightData };
}

function decodeWeight(
  spec: WeightSpec,
  count: number,
  buffer: Uint8Array,
  offset: number,
): { weight: TfWeight; bytes: number } {
  const view = new DataView(buffer.buffer, buffer.byteOffset + offset);
  const q = spec.quantization;
  if (spec.dtype === 'int32') {
    if (q) throw new Error(`${spec.name}: quantised int32 weights are not supported`);
    const data = new Int32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getInt32(i * 4, true);
    return { weight: { dtype: 'int32', shape: spec.shape, data }, bytes: count * 4 };
  }
  const data = new Float32Array(count);
  if (!q) {
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
    return { weight: { dtype: 'float32', shape: spec.shape, data }, bytes: count * 4 };
  }
  if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) data[i] = halfToFloat(view.getUint16(i * 2, true));
    return { weight: { dtype: 'float32', shape: spec.shape, data }, bytes: count * 2 };
  }
  // Affine quantisation: value = min + scale * q (tfjs rounds the same way when it de-quantises).
  const min = q.min ?? 0;
  const scale = q.scale ?? 1;
  const width = q.dtype === 'uint8' ? 1 : 2;
  for (let i = 0; i < count; i++) {
    const raw = width === 1 ? view.getUint8(i) : view.getUint16(i * 2, true);
    data[i] = raw * scale + min;
  }
  return { weight: { dtype: 'float32', shape: spec.shape, data }, bytes: count * width };
}

/** IEEE 754 half to float, including subnormals, infinities and NaN. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (mantissa / 1024);
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
