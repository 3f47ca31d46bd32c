/**
 * NCHW building blocks for face-api graphs on top of OnnxGraphBuilder.
 *
 * face-api runs tfjs ops in NHWC with TensorFlow's 'same'/'valid' padding. These helpers translate the
 * tfjs filter layouts to ONNX's OIHW, compute TensorFlow's (possibly asymmetric) 'same' pads statically,
 * and fold every per-channel affine that follows a convolution (conv bias, face-api's scale layers,
 * inference batch-norm) into the convolution's weights and bias, so each layer is a single Conv node.
 */
import type { OnnxGraphBuilder } from '../onnx-graph.js';
import { tfFilterToOnnx, tfPadding } from '../tfjs-ops.js';
import type { WeightTensor } from './weights.js';

/** A value in the graph with its static NCHW geometry (the batch dim stays symbolic). */
export interface Activation {
  name: string;
  c: number;
  h: number;
  w: number;
}

/** Conv weights in ONNX layout [out, in/group, kh, kw] plus a per-output bias. */
export interface ConvWeights {
  weight: Float64Array;
  dims: [number, number, number, number];
  bias: Float64Array;
}

/** tfjs conv2d filter [kh, kw, in, out] -> ONNX [out, in, kh, kw] with a zero bias. */
export function convFromTf(filter: WeightTensor): ConvWeights {
  const { weight, dims } = tfFilterToOnnx(filter.data, filter.shape, false, new Float64Array(filter.data.length));
  return { weight, dims, bias: new Float64Array(dims[0]) };
}

/** tfjs depthwise filter [kh, kw, channels, 1] -> ONNX grouped conv [channels, 1, kh, kw]. */
export function depthwiseFromTf(filter: WeightTensor): ConvWeights {
  const multiplier = filter.shape[3];
  if (multiplier !== 1) throw new Error(`${filter.name}: depth multiplier ${multiplier} unsupported`);
  const { weight, dims } = tfFilterToOnnx(filter.data, filter.shape, true, new Float64Array(filter.data.length));
  return { weight, dims, bias: new Float64Array(dims[0]) };
}

/** Adds a per-output-channel bias: conv(x) + b. */
export function addBias(conv: ConvWeights, bias: ArrayLike<number>): ConvWeights {
  return { ...conv, bias: conv.bias.map((v, o) => v + bias[o]!) };
}

/** Folds a following per-channel affine y * scale + shift into the conv (exact up to rounding). */
export function foldAffine(conv: ConvWeights, scale: ArrayLike<number>, shift: ArrayLike<number>): ConvWeights {
  const per = conv.weight.length / conv.dims[0];
  const weight = conv.weight.map((v, i) => v * scale[Math.floor(i / per)]!);
  const bias = conv.bias.map((v, o) => v * scale[o]! + shift[o]!);
  return { weight, dims: conv.dims, bias };
}

/** Folds inference batch-norm (x - mean) / sqrt(var + eps) * gamma + beta into the conv. */
export function foldBatchNorm(
  conv: ConvWeights,
  bn: { gamma: ArrayLike<number>; beta: ArrayLike<number>; mean: ArrayLike<number>; variance: ArrayLike<number> },
  epsilon: number,
): ConvWeights {
  const n = conv.dims[0];
  const scale = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let o = 0; o < n; o++) {
    scale[o] = bn.gamma[o]! / Math.sqrt(bn.variance[o]! + epsilon);
    shift[o] = bn.beta[o]! - bn.mean[o]! * scale[o]!;
  }
  return foldAffine(conv, scale, shift);
}

/**
 * Folds an input normalisation x' = (x - mean[c]) * scale into the conv so it reads raw pixels.
 * Exact only for 'valid' convolutions: with 'same' padding the border zeros would mean `mean`, not 0.
 */
export function foldInputNormalisation(conv: ConvWeights, mean: number[], scale: number): ConvWeights {
  const [cout, cin, kh, kw] = conv.dims;
  const weight = conv.weight.map((v) => v * scale);
  const bias = Float64Array.from(conv.bias);
  for (let o = 0; o < cout; o++)
    for (let i = 0; i < cin; i++)
      for (let k = 0; k < kh * kw; k++) bias[o] = bias[o]! - weight[(o * cin + i) * kh * kw + k]! * mean[i]!;
  return { weight, dims: conv.dims, bias };
}

/** Keeps only the given output channels (e.g. the one class logit of SSD that face-api reads). */
export function selectOutputs(conv: ConvWeights, channels: number[]): ConvWeights {
  const per = conv.weight.length / conv.dims[0];
  const weight = new Float64Array(channels.length * per);
  channels.forEach((c, j) => weight.set(conv.weight.subarray(c * per, (c + 1) * per), j * per));
  return {
    weight,
    dims: [channels.length, conv.dims[1], conv.dims[2], conv.dims[3]],
    bias: Float64Array.from(channels, (c) => conv.bias[c]!),
  };
}

export interface ConvOptions {
  stride?: number;
  padding: 'same' | 'valid';
  /** 'relu' | 'relu6' (MobileNet's clipByValue(0, 6)) | none. */
  activation?: 'relu' | 'relu6';
  depthwise?: boolean;
  hint: string;
}

/** One Conv node (plus its activation) in NCHW. */
export function conv2d(g: OnnxGraphBuilder, x: Activation, w: ConvWeights, opts: ConvOptions): Activation {
  const stride = opts.stride ?? 1;
  const [cout, , kh, kw] = w.dims;
  const py = tfPadding(x.h, kh, stride, opts.padding);
  const px = tfPadding(x.w, kw, stride, opts.padding);
  const weight = g.constant(`${opts.hint}/W`, Float32Array.from(w.weight), [...w.dims]);
  const bias = g.constant(`${opts.hint}/B`, Float32Array.from(w.bias), [cout]);
  let out = g.node(
    'Conv',
    [x.name, weight, bias],
    {
      kernel_shape: [kh, kw],
      strides: [stride, stride],
      pads: [py.begin, px.begin, py.end, px.end],
      dilations: [1, 1],
      group: opts.depthwise ? x.c : 1,
    },
    opts.hint,
  );
  out = activate(g, out, opts.activation, opts.hint);
  return { name: out, c: cout, h: py.out, w: px.out };
}

export function activate(g: OnnxGraphBuilder, x: string, activation: ConvOptions['activation'], hint: string): string {
  if (activation === 'relu') return g.node('Relu', [x], {}, `${hint}/relu`);
  if (activation === 'relu6') {
    // Clip with constant min/max inputs (opset 13); onnxruntime fuses Conv+Clip.
    return g.node('Clip', [x, scalar(g, 0, `${hint}/min`), scalar(g, 6, `${hint}/max`)], {}, `${hint}/relu6`);
  }
  return x;
}

const scalarCache = new WeakMap<OnnxGraphBuilder, Map<number, string>>();

/** A float scalar constant, shared per graph so repeated clips do not duplicate initialisers. */
export function scalar(g: OnnxGraphBuilder, value: number, hint: string): string {
  let cache = scalarCache.get(g);
  if (!cache) scalarCache.set(g, (cache = new Map()));
  let name = cache.get(value);
  if (!name) cache.set(value, (name = g.constant(hint, [value], [])));
  return name;
}

/** Raw NHWC uint8-range input -> NCHW float, the first node of every face-api graph. */
export function nhwcInput(g: OnnxGraphBuilder, name: string, size: number): Activation {
  const input = g.input(name, { elem: 'float32', dims: ['batch', size, size, 3] });
  const nchw = g.node('Transpose', [input], { perm: [0, 3, 1, 2] }, 'to_nchw');
  return { name: nchw, c: 3, h: size, w: size };
}

export function add(g: OnnxGraphBuilder, a: Activation, b: Activation, hint: string): Activation {
  return { ...a, name: g.node('Add', [a.name, b.name], {}, hint) };
}

export function relu(g: OnnxGraphBuilder, a: Activation, hint: string): Activation {
  return { ...a, name: g.node('Relu', [a.name], {}, hint) };
}
