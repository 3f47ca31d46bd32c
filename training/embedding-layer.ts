/**
 * The embedding layer that fine-tuning retrains: embedding = l2normalize(features · W + b), with features the
 * embedder's pooled pre-embedding vector (256-D for the shipped dlib ResNet), W [inDim x outDim] row-major
 * (the same layout as face-api's `fc`, so `features · fc` is a plain row-vector product) and b [outDim].
 *
 * Because the output is normalised, (W, b) and (s·W, s·b) give identical embeddings for any s > 0.
 *
 * Serialisation: JSON ({ format, id, inDim, outDim, weights, bias }) or a compact little-endian binary:
 *   bytes 0..3 "FNEL", uint32 format version (1), uint32 inDim, uint32 outDim, uint32 id byte length,
 *   the id in UTF-8 padded with zeros to a multiple of 4, then W (inDim*outDim float32), then b (outDim float32).
 */
import { matmul, type FloatArray } from './linalg.js';
import type { FeatureMatrix } from './features.js';
import { Rng } from '../src-shared/random.js';

export const LAYER_FORMAT_VERSION = 1;
const MAGIC = 0x4c454e46; // "FNEL" read as little-endian uint32

/** Norms below this are treated as this (a zero pre-embedding has no direction; avoids dividing by 0). */
export const MIN_NORM = 1e-12;

export interface LayerForward {
  rows: number;
  /** Unnormalised outputs z = x·W + b, rows x outDim. */
  z: Float64Array;
  /** ||z|| per row. */
  norms: Float64Array;
  /** Unit embeddings u = z / ||z||, rows x outDim. */
  u: Float64Array;
}

export interface EmbeddingLayerJson {
  format: number;
  id: string;
  inDim: number;
  outDim: number;
  weights: number[];
  bias: number[];
}

export class EmbeddingLayer {
  readonly inDim: number;
  readonly outDim: number;
  /** W, inDim x outDim row-major. */
  readonly weights: FloatArray;
  /** b, outDim. */
  readonly bias: FloatArray;
  /** Version id, e.g. "faceapi-recognition" for the shipped layer, or the id a tuning run assigned. */
  readonly id: string;

  constructor(init: { inDim: number; outDim: number; weights: FloatArray; bias?: FloatArray; id?: string }) {
    if (init.weights.length !== init.inDim * init.outDim)
      throw new RangeError(`weights: ${init.weights.length} values for ${init.inDim}x${init.outDim}`);
    const bias = init.bias ?? new Float32Array(init.outDim);
    if (bias.length !== init.outDim) throw new RangeError(`bias: ${bias.length} values for ${init.outDim}`);
    this.inDim = init.inDim;
    this.outDim = init.outDim;
    this.weights = init.weights;
    this.bias = bias;
    this.id = init.id ?? 'layer';
  }

  /** A layer with i.i.d. N(0, 1/inDim) weights and zero bias (tests, or a fresh v2 initialisation). */
  static random(inDim: number, outDim: number, seed = 1, id = `random-${seed}`): EmbeddingLayer {
    const rng = new Rng(seed);
    const w = new Float32Array(inDim * outDim);
    const s = 1 / Math.sqrt(inDim);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * s;
    return new EmbeddingLayer({ inDim, outDim, weights: w, id });
  }

  /** A copy with the given storage precision (float64 for gradient checks and as training master weights). */
  clone(precision: 'float32' | 'float64' = this.weights instanceof Float64Array ? 'float64' : 'float32', id = this.id) {
    const Ctor = precision === 'float64' ? Float64Array : Float32Array;
    return new EmbeddingLayer({
      inDim: this.inDim,
      outDim: this.outDim,
      weights: Ctor.from(this.weights),
      bias: Ctor.from(this.bias),
      id,
    });
  }

  /** Features (rows x inDim) -> unnormalised outputs, norms and unit embeddings, all float64. */
  forward(x: FeatureMatrix): LayerForward {
    if (x.cols !== this.inDim) throw new RangeError(`features have ${x.cols} columns, layer expects ${this.inDim}`);
    const { rows } = x;
    const d = this.outDim;
    const z = new Float64Array(rows * d);
    matmul(x.data, rows, this.inDim, this.weights, d, z, this.bias);
    const norms = new Float64Array(rows);
    const u = new Float64Array(rows * d);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (z[i * d + j] as number) ** 2;
      const n = Math.max(Math.sqrt(s), MIN_NORM);
      norms[i] = n;
      for (let j = 0; j < d; j++) u[i * d + j] = (z[i * d + j] as number) / n;
    }
    return { rows, z, norms, u };
  }

  /** Unit embeddings, packed rows x outDim as Float32Array (what the library stores). */
  embed(x: FeatureMatrix): Float32Array {
    return Float32Array.from(this.forward(x).u);
  }

  /** One unit embedding per feature vector. */
  embedEach(features: readonly ArrayLike<number>[]): Float32Array[] {
    const rows = features.length;
    const data = new Float32Array(rows * this.inDim);
    features.forEach((f, i) => data.set(f, i * this.inDim));
    const u = this.embed({ data, rows, cols: this.inDim });
    return features.map((_, i) => u.slice(i * this.outDim, (i + 1) * this.outDim));
  }

  toJSON(): EmbeddingLayerJson {
    return {
      format: LAYER_FORMAT_VERSION,
      id: this.id,
      inDim: this.inDim,
      outDim: this.outDim,
      weights: Array.from(this.weights),
      bias: Array.from(this.bias),
    };
  }

  static fromJSON(json: EmbeddingLayerJson): EmbeddingLayer {
    if (json.format !== LAYER_FORMAT_VERSION) throw new Error(`unsupported embedding-layer format ${json.format}`);
    return new EmbeddingLayer({
      inDim: json.inDim,
      outDim: json.outDim,
      weights: Float32Array.from(json.weights),
      bias: Float32Array.from(json.bias),
      id: json.id,
    });
  }

  /** The compact binary form (float32 weights; see the file comment for the layout). */
  toBinary(): Uint8Array {
    const idBytes = new TextEncoder().encode(this.id);
    const idPadded = Math.ceil(idBytes.length / 4) * 4;
    const header = 20 + idPadded;
    const buf = new ArrayBuffer(header + 4 * (this.weights.length + this.bias.length));
    const view = new DataView(buf);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, LAYER_FORMAT_VERSION, true);
    view.setUint32(8, this.inDim, true);
    view.setUint32(12, this.outDim, true);
    view.setUint32(16, idBytes.length, true);
    new Uint8Array(buf, 20, idBytes.length).set(idBytes);
    let o = header;
    for (const v of this.weights) {
      view.setFloat32(o, v, true);
      o += 4;
    }
    for (const v of this.bias) {
      view.setFloat32(o, v, true);
      o += 4;
    }
    return new Uint8Array(buf);
  }

  static fromBinary(bytes: Uint8Array): EmbeddingLayer {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < 20 || view.getUint32(0, true) !== MAGIC) throw new Error('not an embedding-layer file');
    const format = view.getUint32(4, true);
    if (format !== LAYER_FORMAT_VERSION) throw new Error(`unsupported embedding-layer format ${format}`);
    const inDim = view.getUint32(8, true);
    const outDim = view.getUint32(12, true);
    const idLength = view.getUint32(16, true);
    const header = 20 + Math.ceil(idLength / 4) * 4;
    if (bytes.byteLength !== header + 4 * (inDim * outDim + outDim)) throw new Error('embedding-layer file truncated');
    const id = new TextDecoder().decode(bytes.subarray(20, 20 + idLength));
    const weights = new Float32Array(inDim * outDim);
    const bias = new Float32Array(outDim);
    let o = header;
    for (let i = 0; i < weights.length; i++, o += 4) weights[i] = view.getFloat32(o, true);
    for (let i = 0; i < outDim; i++, o += 4) bias[i] = view.getFloat32(o, true);
    return new EmbeddingLayer({ inDim, outDim, weights, bias, id });
  }
}
