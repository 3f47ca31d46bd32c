/**
 * A small, deterministic ONNX graph builder on top of the `onnx-proto` protobuf definitions.
 *
 * Converters (face-api weight manifests, TFJS graph models) describe a network with `node()` calls and
 * constant tensors with `constant()`; `toBytes()` serialises a ModelProto. Names are generated from a
 * counter and nothing time- or host-dependent is written, so the same recipe always gives the same bytes
 * (`npm run models` twice gives identical sha256).
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX opset used by every converted model. 13 is supported by every onnxruntime release we target. */
export const OPSET = 13;

export type AttributeValue = number | string | number[] | Float32Array | { floats: number[] };

export interface TensorType {
  /** Element type; only what our models need. */
  elem: 'float32' | 'int64' | 'int32';
  /** Dimensions; a string is a symbolic dimension (for example 'batch'). */
  dims: Array<number | string>;
}

const ELEM_TYPE = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
} as const;

interface PendingNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: onnxProto.onnx.IAttributeProto[];
}

export class OnnxGraphBuilder {
  private readonly nodes: PendingNode[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly usedNames = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh, unique value name derived from `hint`. */
  uniqueName(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = base;
    while (this.usedNames.has(name)) name = `${base}__${++this.counter}`;
    this.usedNames.add(name);
    return name;
  }

  input(name: string, type: TensorType): string {
    this.usedNames.add(name);
    this.inputs.push(valueInfo(name, type));
    return name;
  }

  /** Declares `value` a graph output, renaming it through an Identity node when `name` differs. */
  output(value: string, name: string, type: TensorType): string {
    if (value !== name) {
      this.usedNames.add(name);
      this.nodes.push({ op: 'Identity', inputs: [value], outputs: [name], name: `${name}_identity`, attributes: [] });
    }
    this.outputs.push(valueInfo(name, type));
    return name;
  }

  /** A float32 constant (weights, biases, scalars). */
  constant(hint: string, data: Float32Array | number[], dims: number[]): string {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    checkSize(hint, values.length, dims);
    const name = this.uniqueName(hint);
    this.initializers.push({
      name,
      dataType: onnx.TensorProto.DataType.FLOAT,
      dims,
      rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)),
    });
    return name;
  }

  /** An int64 constant (shapes, axes, pads for opset-13 operators that take them as inputs). */
  constantInt64(hint: string, data: number[] | bigint[], dims: number[] = [data.length]): string {
    checkSize(hint, data.length, dims);
    const values = BigInt64Array.from(data.map((v) => BigInt(v)));
    const name = this.uniqueName(hint);
    this.initializers.push({
      name,
      dataType: onnx.TensorProto.DataType.INT64,
      dims,
      rawData: new Uint8Array(values.buffer),
    });
    return name;
  }

  /**
   * Adds one operator. Returns its first output's name (or all of them via `outputCount`).
   * Attribute types are inferred: integer numbers become INT, non-integers FLOAT, arrays INTS, strings
   * STRING; use `{ floats: [...] }` for a FLOATS attribute.
   */
  node(op: string, inputs: string[], attrs: Record<string, AttributeValue> = {}, hint = op): string {
    return this.nodeMulti(op, inputs, 1, attrs, hint)[0]!;
  }

  nodeMulti(
    op: string,
    inputs: string[],
    outputCount: number,
    attrs: Record<string, AttributeValue> = {},
    hint = op,
  ): string[] {
    const outputs = Array.from({ length: outputCount }, (_, i) =>
      this.uniqueName(outputCount > 1 ? `${hint}:${i}` : hint),
    );
    const attributes = Object.keys(attrs)
      .sort()
      .map((key) => attribute(key, attrs[key]!, op));
    this.nodes.push({ op, inputs, outputs, name: this.uniqueName(`${hint}_node`), attributes });
    return outputs;
  }

  /** Serialises the model. `docString` should name the source weights (package@version, files). */
  toBytes(options: { docString: string; producerVersion: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 7,
      producerName: 'facenet-photos/models',
      producerVersion: options.producerVersion,
      docString: options.docString,
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.graphName,
        node: this.nodes.map((n) => ({
          opType: n.op,
          input: n.inputs,
          output: n.outputs,
          name: n.name,
          attribute: n.attributes,
        })),
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function checkSize(hint: string, length: number, dims: number[]): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== length) throw new Error(`constant ${hint}: ${length} values do not fill dims [${dims.join(', ')}]`);
}

function valueInfo(name: string, type: TensorType): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM_TYPE[type.elem],
        shape: { dim: type.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue, op: string): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) && !FLOAT_ATTRIBUTES.has(`${op}.${name}`)
      ? { name, type: T.INT, i: value }
      : { name, type: T.FLOAT, f: value };
  }
  if (value instanceof Float32Array) return { name, type: T.FLOATS, floats: Array.from(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value };
  return { name, type: T.FLOATS, floats: value.floats };
}

/** Attributes that are floats even when the value happens to be integral (e.g. LeakyRelu alpha = 0). */
const FLOAT_ATTRIBUTES = new Set([
  'LeakyRelu.alpha',
  'Elu.alpha',
  'Clip.min',
  'Clip.max',
  'BatchNormalization.epsilon',
  'InstanceNormalization.epsilon',
  'LRN.alpha',
  'LRN.beta',
  'LRN.bias',
  'Resize.cubic_coeff_a',
  'Resize.extrapolation_value',
  'HardSigmoid.alpha',
  'HardSigmoid.beta',
]);

/** The recipe that `models/build.ts` runs for each model. */
/** `embedding-layer`: the last layer of an embedder on its own (the starting point of fine-tuning). */
export type ModelRole = 'detector' | 'landmarks' | 'embedder' | 'embedding-layer';

export interface ModelRecipe {
  /** File stem: `models/<id>.onnx`. */
  id: string;
  /** What the model does. */
  role: ModelRole;
  build(): Promise<{ bytes: Uint8Array; manifest: ModelManifestEntry }>;
}

/** One model's row in `models/manifest.json`; everything a runtime needs to feed and read the model. */
export interface ModelManifestEntry {
  id: string;
  role: ModelRole;
  source: { package: string; version: string; files: string[] };
  input: {
    name: string;
    /** [batch, height, width, channels] for NHWC or [batch, channels, height, width] for NCHW. */
    shape: Array<number | string>;
    layout: 'NHWC' | 'NCHW';
    colorOrder: 'RGB' | 'BGR';
    /** How 0..255 pixel values are mapped before entering the model: (x - mean) / std, per channel. */
    normalization: { mean: [number, number, number]; std: [number, number, number]; note?: string };
  };
  outputs: Array<{ name: string; shape: Array<number | string>; description: string }>;
  /** Model-specific facts (anchors, template, embedding size...). */
  details?: Record<string, unknown>;
  /** sha256 of the ONNX file, filled in by the build. */
  sha256?: string;
}
