/**
 * TensorFlow.js graph model -> ONNX.
 *
 * Layout choice: the TF graph is NHWC and stays NHWC; only the operators ONNX defines on NCHW (Conv,
 * MaxPool, DepthToSpace, Resize) are wrapped in a Transpose pair. onnxruntime's transpose optimiser
 * (graphOptimizationLevel 'all', which `openSession` sets) cancels adjacent pairs and pushes the rest
 * through element-wise operators, so the optimised graph runs NCHW end to end with a transpose at the
 * input and before any flatten (measured in the report: 0 to 2 Transposes remain, and the speed is that of
 * a hand-written NCHW graph). The upside is that every other operator keeps TF's exact semantics (axes,
 * broadcasting, flatten order) with no axis bookkeeping here.
 *
 * Only the nodes that the requested outputs depend on are converted, so heads a recipe does not ask for
 * (BlazeFace's person head, FaceRes' age/gender) disappear. Shape arithmetic (Shape -> StridedSlice -> Pack
 * -> Reshape) is constant-folded from statically inferred shapes, with -1 standing for the batch.
 */
import type { OnnxGraphBuilder } from '../onnx-graph.js';
import { tfFilterToOnnx, tfPadding } from '../tfjs-ops.js';
import type { TfAttr, TfGraphModel, TfNode } from './load.js';

/** Static shape; -1 marks an unknown (batch) dimension. */
export type Shape = number[];

type Value =
  | { kind: 'const'; dtype: 'float32' | 'int32'; shape: Shape; data: Float32Array | Int32Array }
  | { kind: 'tensor'; name: string; shape: Shape }
  // A Pad kept pending so that a following convolution can absorb it into its own pads.
  | { kind: 'pad'; src: TensorValue; pads: number[]; shape: Shape };

export type TensorValue = Extract<Value, { kind: 'tensor' }>;

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

export class TfGraphConverter {
  private readonly nodes = new Map<string, TfNode>();
  private readonly values = new Map<string, Value>();
  private readonly materialisedPads = new Map<Value, TensorValue>();
  private readonly consumers = new Map<string, number>();

  constructor(
    private readonly model: TfGraphModel,
    readonly builder: OnnxGraphBuilder,
    /** ONNX names of the graph inputs, keyed by TF Placeholder name. */
    private readonly inputNames: Record<string, string>,
  ) {
    for (const node of model.nodes) {
      this.nodes.set(node.name, node);
      for (const input of node.input ?? []) {
        const key = stripPort(input);
        this.consumers.set(key, (this.consumers.get(key) ?? 0) + 1);
      }
    }
  }

  /** The ONNX value computing TF tensor `tfName` (converting what it depends on, once). */
  tensor(tfName: string): TensorValue {
    return this.materialise(this.value(tfName));
  }

  /** The TF node that produces `tfName`, for recipes that navigate the graph (e.g. a concat's inputs). */
  node(tfName: string): TfNode {
    const node = this.nodes.get(stripPort(tfName));
    if (!node) throw new Error(`tfjs-graph: no node ${tfName}`);
    return node;
  }

  private value(tfName: string): Value {
    const key = stripPort(tfName);
    if (tfName.includes(':') && !tfName.endsWith(':0')) throw new Error(`tfjs-graph: ${tfName}: only port 0 supported`);
    let value = this.values.get(key);
    if (!value) {
      value = this.convert(this.node(key));
      this.values.set(key, value);
    }
    return value;
  }

  private materialise(value: Value): TensorValue {
    if (value.kind === 'tensor') return value;
    if (value.kind === 'const') {
      const b = this.builder;
      const name =
        value.dtype === 'float32'
          ? b.constant('const', value.data as Float32Array, value.shape)
          : b.constantInt64('const', Array.from(value.data), value.shape);
      return { kind: 'tensor', name, shape: value.shape };
    }
    let done = this.materialisedPads.get(value);
    if (!done) {
      const p = value.pads; // TF order [[before, after] per axis]
      const onnxPads = [0, 1, 2, 3].map((a) => p[2 * a]!).concat([0, 1, 2, 3].map((a) => p[2 * a + 1]!));
      const name = this.builder.node('Pad', [value.src.name, this.builder.constantInt64('pads', onnxPads)], {
        mode: 'constant',
      });
      done = { kind: 'tensor', name, shape: value.shape };
      this.materialisedPads.set(value, done);
    }
    return done;
  }

  private constValue(tfName: string): Extract<Value, { kind: 'const' }> {
    const v = this.value(tfName);
    if (v.kind !== 'const') throw new Error(`tfjs-graph: ${tfName} must be a constant`);
    return v;
  }

  private convert(node: TfNode): Value {
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'));
    const b = this.builder;
    const x = (i: number): TensorValue => this.tensor(inputs[i]!);
    switch (node.op) {
      case 'Const': {
        const w = this.model.weights.get(node.name);
        if (!w) throw new Error(`tfjs-graph: constant ${node.name} has no weight`);
        return { kind: 'const', dtype: w.dtype, shape: w.shape, data: w.data };
      }
      case 'Placeholder': {
        const name = this.inputNames[node.name];
        if (!name) throw new Error(`tfjs-graph: no ONNX name for input ${node.name}`);
        const dims = (attrShape(node.attr?.shape) ?? []).map((d) => (d < 0 ? 'batch' : d));
        b.input(name, { elem: 'float32', dims });
        return { kind: 'tensor', name, shape: dims.map((d) => (typeof d === 'number' ? d : -1)) };
      }
      case 'Identity':
        return this.value(inputs[0]!);
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative':
        return this.conv(node, inputs);
      case 'Pad': {
        const src = x(0);
        const pads = Array.from(this.constValue(inputs[1]!).data);
        const shape = src.shape.map((d, a) => (d < 0 ? d : d + pads[2 * a]! + pads[2 * a + 1]!));
        return { kind: 'pad', src, pads, shape };
      }
      case 'Add':
      case 'AddV2':
      case 'Sub':
      case 'Mul':
      case 'Maximum':
      case 'Minimum': {
        const op = { Add: 'Add', AddV2: 'Add', Sub: 'Sub', Mul: 'Mul', Maximum: 'Max', Minimum: 'Min' }[node.op]!;
        const [a, c] = [x(0), x(1)];
        return {
          kind: 'tensor',
          name: b.node(op, [a.name, c.name], {}, node.name),
          shape: broadcast(a.shape, c.shape),
        };
      }
      case 'Relu':
      case 'Sigmoid': {
        const a = x(0);
        return { kind: 'tensor', name: b.node(node.op, [a.name], {}, node.name), shape: a.shape };
      }
      case 'Relu6': {
        const a = x(0);
        return { kind: 'tensor', name: this.clip(a.name, 0, 6, node.name), shape: a.shape };
      }
      case 'Softmax': {
        const a = x(0);
        return { kind: 'tensor', name: b.node('Softmax', [a.name], { axis: -1 }, node.name), shape: a.shape };
      }
      case 'MatMul':
      case '_FusedMatMul':
        return this.matMul(node, inputs);
      case 'Reshape': {
        const a = x(0);
        const target = Array.from(this.constValue(inputs[1]!).data);
        // A folded Shape chain gives -1 for the batch; Keras' Reshape((-1, k)) adds a second -1. ONNX allows
        // one -1, so the batch becomes 0 ("copy the input's dimension").
        if (target.filter((d) => d === -1).length > 1 && target[0] === -1 && a.shape[0] === -1) target[0] = 0;
        if (target.filter((d) => d === -1).length > 1) throw new Error(`tfjs-graph: ${node.name}: two unknown dims`);
        const name = b.node('Reshape', [a.name, b.constantInt64('shape', target)], {}, node.name);
        return { kind: 'tensor', name, shape: reshapeShape(a.shape, target) };
      }
      case 'Mean': {
        const a = x(0);
        const rank = a.shape.length;
        const axes = Array.from(this.constValue(inputs[1]!).data).map((ax) => (ax < 0 ? ax + rank : ax));
        const keep = attrBool(node.attr?.keep_dims);
        const name = b.node('ReduceMean', [a.name], { axes, keepdims: keep ? 1 : 0 }, node.name);
        const shape = a.shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d]));
        return { kind: 'tensor', name, shape };
      }
      case 'ConcatV2': {
        const parts = inputs.slice(0, -1).map((_, i) => x(i));
        const rank = parts[0]!.shape.length;
        let axis = this.constValue(inputs[inputs.length - 1]!).data[0]!;
        if (axis < 0) axis += rank;
        const shape = parts[0]!.shape.slice();
        shape[axis] = parts.some((p) => p.shape[axis]! < 0) ? -1 : parts.reduce((n, p) => n + p.shape[axis]!, 0);
        const name = b.node(
          'Concat',
          parts.map((p) => p.name),
          { axis },
          node.name,
        );
        return { kind: 'tensor', name, shape };
      }
      case 'DepthToSpace': {
        const a = x(0);
        checkNhwc(node);
        const bs = attrInt(node.attr?.block_size);
        const [n, h, w, c] = a.shape as [number, number, number, number];
        // TF's NHWC DepthToSpace reads depth as (row offset, column offset, channel): ONNX mode DCR.
        const name = this.nchw(a.name, (t) => b.node('DepthToSpace', [t], { blocksize: bs, mode: 'DCR' }, node.name));
        return { kind: 'tensor', name, shape: [n, h * bs, w * bs, c / (bs * bs)] };
      }
      case 'ResizeBilinear':
        return this.resizeBilinear(node, inputs);
      case 'MaxPool':
        return this.maxPool(node, x(0));
      case 'Shape': {
        const a = this.value(inputs[0]!);
        return { kind: 'const', dtype: 'int32', shape: [a.shape.length], data: Int32Array.from(a.shape) };
      }
      case 'StridedSlice':
        return this.stridedSlice(node, inputs);
      case 'Pack': {
        const parts = inputs.map((i) => this.constValue(i));
        if (attrInt(node.attr?.axis) !== 0 || parts.some((p) => p.shape.length !== 0)) {
          throw new Error(`tfjs-graph: ${node.name}: only packing scalars on axis 0 is supported`);
        }
        return {
          kind: 'const',
          dtype: 'int32',
          shape: [parts.length],
          data: Int32Array.from(parts.map((p) => p.data[0]!)),
        };
      }
      default:
        throw new Error(`tfjs-graph: unsupported operator ${node.op} (${node.name})`);
    }
  }

  /** Runs `body` on the NCHW view of an NHWC tensor and returns the result back in NHWC. */
  private nchw(nhwc: string, body: (nchw: string) => string): string {
    const t = this.builder.node('Transpose', [nhwc], { perm: TO_NCHW });
    return this.builder.node('Transpose', [body(t)], { perm: TO_NHWC });
  }

  private clip(input: string, min: number, max: number, hint: string): string {
    const b = this.builder;
    return b.node('Clip', [input, b.constant('clip_min', [min], []), b.constant('clip_max', [max], [])], {}, hint);
  }

  private conv(node: TfNode, inputs: string[]): Value {
    checkNhwc(node);
    const b = this.builder;
    const depthwise = node.op.includes('Depthwise');
    let source = this.value(inputs[0]!);
    // Spatial zero padding (Keras ZeroPadding2D) goes into the convolution's own pads.
    const extra = [0, 0, 0, 0]; // top, left, bottom, right
    if (source.kind === 'pad' && foldablePad(source.pads) && this.consumers.get(stripPort(inputs[0]!)) === 1) {
      const p = source.pads;
      extra.splice(0, 4, p[2]!, p[4]!, p[3]!, p[5]!);
      source = source.src;
    }
    const input = this.materialise(source);
    const filter = this.constValue(inputs[1]!);
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const strides = attrInts(node.attr?.strides);
    const dilations = attrInts(node.attr?.dilations, [1, 1, 1, 1]);
    const [sh, sw, dh, dw] = [strides[1]!, strides[2]!, dilations[1]!, dilations[2]!];
    const [n, ih, iw] = input.shape as [number, number, number, number];
    const pads = windowPads(
      node,
      [ih + extra[0]! + extra[2]!, iw + extra[1]! + extra[3]!],
      [kh, kw],
      [sh, sw],
      [dh, dw],
    );
    const total = [pads[0]! + extra[0]!, pads[1]! + extra[1]!, pads[2]! + extra[2]!, pads[3]! + extra[3]!];
    const oh = Math.floor((ih + total[0]! + total[2]! - (dh * (kh - 1) + 1)) / sh) + 1;
    const ow = Math.floor((iw + total[1]! + total[3]! - (dw * (kw - 1) + 1)) / sw) + 1;
    const outChannels = depthwise ? ci * co : co;

    // HWIO -> OIHW; depthwise [kh, kw, C, M] -> [C*M, 1, kh, kw] with group = C.
    const src = filter.data as Float32Array;
    const { weight, dims } = tfFilterToOnnx(src, filter.shape, depthwise, new Float32Array(src.length));
    const convInputs = ['', b.constant(`${node.name}/weights`, weight, dims)];
    const fused = attrStrings(node.attr?.fused_ops);
    let extraArg = 2;
    if (fused[0] === 'BiasAdd') {
      convInputs.push(this.materialise(this.constValue(inputs[extraArg++]!)).name);
      fused.shift();
    }
    const attrs = {
      kernel_shape: [kh, kw],
      strides: [sh, sw],
      dilations: [dh, dw],
      pads: total,
      group: depthwise ? ci : 1,
    };
    const name = this.nchw(input.name, (t) => {
      convInputs[0] = t;
      let out = b.node('Conv', convInputs, attrs, node.name);
      for (const op of fused) out = this.activation(op, out, node, inputs, extraArg++, outChannels);
      return out;
    });
    return { kind: 'tensor', name, shape: [n, oh, ow, outChannels] };
  }

  /** A fused activation applied to an NCHW tensor with `channels` channels. */
  private activation(op: string, input: string, node: TfNode, inputs: string[], argIndex: number, channels: number) {
    const b = this.builder;
    switch (op) {
      case 'Relu':
        return b.node('Relu', [input], {}, `${node.name}/relu`);
      case 'Relu6':
        return this.clip(input, 0, 6, `${node.name}/relu6`);
      case 'Elu':
        return b.node('Elu', [input], { alpha: 1 }, `${node.name}/elu`);
      case 'LeakyRelu':
        return b.node('LeakyRelu', [input], { alpha: node.attr?.leakyrelu_alpha?.f ?? 0.2 }, `${node.name}/lrelu`);
      case 'Prelu': {
        const alpha = this.constValue(inputs[argIndex]!).data as Float32Array;
        const slope = b.constant(
          `${node.name}/alpha`,
          alpha,
          channels === alpha.length ? [channels, 1, 1] : [alpha.length],
        );
        return b.node('PRelu', [input, slope], {}, `${node.name}/prelu`);
      }
      default:
        throw new Error(`tfjs-graph: ${node.name}: unsupported fused op ${op}`);
    }
  }

  private matMul(node: TfNode, inputs: string[]): Value {
    const b = this.builder;
    let a = this.tensor(inputs[0]!);
    if (attrBool(node.attr?.transpose_a)) a = { ...a, name: b.node('Transpose', [a.name], { perm: [1, 0] }) };
    const w = this.constValue(inputs[1]!);
    let [k, m] = w.shape as [number, number];
    let data = w.data as Float32Array;
    if (attrBool(node.attr?.transpose_b)) {
      const t = new Float32Array(data.length);
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) t[j * m + i] = data[i * k + j]!;
      data = t;
      [k, m] = [m, k];
    }
    let out = b.node('MatMul', [a.name, b.constant(`${node.name}/kernel`, data, [k, m])], {}, node.name);
    const fused = attrStrings(node.attr?.fused_ops);
    let arg = 2;
    for (const op of fused) {
      if (op === 'BiasAdd') out = b.node('Add', [out, this.tensor(inputs[arg++]!).name], {}, `${node.name}/bias`);
      else if (op === 'Relu') out = b.node('Relu', [out], {}, `${node.name}/relu`);
      else throw new Error(`tfjs-graph: ${node.name}: unsupported fused op ${op}`);
    }
    return { kind: 'tensor', name: out, shape: [a.shape[0]!, m] };
  }

  private resizeBilinear(node: TfNode, inputs: string[]): Value {
    const b = this.builder;
    const a = this.tensor(inputs[0]!);
    const size = Array.from(this.constValue(inputs[1]!).data) as [number, number];
    const [n, h, w, c] = a.shape as [number, number, number, number];
    // TF half_pixel_centers: src = (dst + 0.5) / scale - 0.5, clamped at the edges = ONNX 'half_pixel'.
    const mode = attrBool(node.attr?.align_corners)
      ? 'align_corners'
      : attrBool(node.attr?.half_pixel_centers)
        ? 'half_pixel'
        : 'asymmetric';
    const scales = b.constant('scales', [1, 1, size[0] / h, size[1] / w], [4]);
    const name = this.nchw(a.name, (t) =>
      b.node('Resize', [t, '', scales], { mode: 'linear', coordinate_transformation_mode: mode }, node.name),
    );
    return { kind: 'tensor', name, shape: [n, size[0], size[1], c] };
  }

  private maxPool(node: TfNode, a: TensorValue): Value {
    checkNhwc(node);
    const k = attrInts(node.attr?.ksize);
    const s = attrInts(node.attr?.strides);
    const [n, h, w, c] = a.shape as [number, number, number, number];
    const pads = windowPads(node, [h, w], [k[1]!, k[2]!], [s[1]!, s[2]!], [1, 1]);
    const attrs = { kernel_shape: [k[1]!, k[2]!], strides: [s[1]!, s[2]!], pads };
    const name = this.nchw(a.name, (t) => this.builder.node('MaxPool', [t], attrs, node.name));
    const oh = Math.floor((h + pads[0]! + pads[2]! - k[1]!) / s[1]!) + 1;
    const ow = Math.floor((w + pads[1]! + pads[3]! - k[2]!) / s[2]!) + 1;
    return { kind: 'tensor', name, shape: [n, oh, ow, c] };
  }

  /** Only the 1-D constant case that shape arithmetic uses. */
  private stridedSlice(node: TfNode, inputs: string[]): Value {
    const src = this.constValue(inputs[0]!);
    const [begin, end, strides] = [1, 2, 3].map((i) => this.constValue(inputs[i]!).data[0]!) as [
      number,
      number,
      number,
    ];
    const masks = ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((m) =>
      attrInt(node.attr?.[m], 0),
    ) as [number, number, number, number, number];
    if (src.shape.length !== 1 || masks[2] || masks[3]) throw new Error(`tfjs-graph: ${node.name}: unsupported slice`);
    const len = src.shape[0]!;
    const norm = (v: number) => (v < 0 ? v + len : v);
    let from = masks[0] & 1 ? (strides > 0 ? 0 : len - 1) : norm(begin);
    if (masks[4] & 1) return { kind: 'const', dtype: src.dtype, shape: [], data: src.data.slice(from, from + 1) };
    const to = masks[1] & 1 ? (strides > 0 ? len : -1) : norm(end);
    const out: number[] = [];
    for (; strides > 0 ? from < to : from > to; from += strides) out.push(src.data[from]!);
    return { kind: 'const', dtype: src.dtype, shape: [out.length], data: Int32Array.from(out) };
  }
}

function stripPort(name: string): string {
  return name.replace(/^\^/, '').replace(/:\d+$/, '');
}

function foldablePad(p: number[]): boolean {
  return p.length === 8 && p[0] === 0 && p[1] === 0 && p[6] === 0 && p[7] === 0;
}

/** ONNX pads [top, left, bottom, right] for TF's VALID / SAME / EXPLICIT padding of a window op. */
function windowPads(
  node: TfNode,
  size: [number, number],
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
): number[] {
  const padding = attrString(node.attr?.padding);
  if (padding === 'VALID') return [0, 0, 0, 0];
  if (padding === 'EXPLICIT') {
    const e = attrInts(node.attr?.explicit_paddings);
    return [e[2]!, e[4]!, e[3]!, e[5]!];
  }
  if (padding !== 'SAME') throw new Error(`tfjs-graph: ${node.name}: padding ${padding}`);
  const y = tfPadding(size[0], kernel[0], stride[0], 'same', dilation[0]);
  const x = tfPadding(size[1], kernel[1], stride[1], 'same', dilation[1]);
  return [y.begin, x.begin, y.end, x.end];
}

function broadcast(a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    out.push(x === 1 ? y : y === 1 ? x : x < 0 ? y : x);
  }
  return out;
}

/** Output shape of an ONNX Reshape; the batch (-1) cancels out when it is copied (0) from the input. */
function reshapeShape(input: Shape, target: number[]): Shape {
  const dims = target.map((d, i) => (d === 0 ? input[i]! : d));
  if (!dims.includes(-1)) return dims;
  const batchCopied = target[0] === 0 && input[0] === -1;
  const rest = batchCopied ? input.slice(1) : input;
  if (rest.some((d) => d < 0)) return dims;
  const known = dims.filter((d, i) => d !== -1 && !(batchCopied && i === 0)).reduce((p, d) => p * d, 1);
  const total = rest.reduce((p, d) => p * d, 1);
  return dims.map((d, i) => (d === -1 && !(batchCopied && i === 0) ? total / known : d));
}

function checkNhwc(node: TfNode): void {
  const format = node.attr?.data_format ? attrString(node.attr.data_format) : 'NHWC';
  if (format !== 'NHWC') throw new Error(`tfjs-graph: ${node.name}: data_format ${format}`);
}

function decode(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8');
}

function attrString(a: TfAttr | undefined): string {
  if (!a?.s) throw new Error('tfjs-graph: missing string attribute');
  return decode(a.s);
}

function attrStrings(a: TfAttr | undefined): string[] {
  return (a?.list?.s ?? []).map(decode);
}

function attrInt(a: TfAttr | undefined, fallback?: number): number {
  if (a?.i === undefined) {
    if (fallback === undefined) throw new Error('tfjs-graph: missing int attribute');
    return fallback;
  }
  return Number(a.i);
}

function attrInts(a: TfAttr | undefined, fallback?: number[]): number[] {
  const list = a?.list?.i;
  if (!list) {
    if (!fallback) throw new Error('tfjs-graph: missing int list attribute');
    return fallback;
  }
  return list.map(Number);
}

function attrBool(a: TfAttr | undefined): boolean {
  return a?.b === true;
}

function attrShape(a: TfAttr | undefined): number[] | undefined {
  const dims = (a?.shape as { dim?: Array<{ size: string }> } | undefined)?.dim;
  return dims?.map((d) => Number(d.size));
}
