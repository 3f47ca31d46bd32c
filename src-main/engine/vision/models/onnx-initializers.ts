/**
 * Reads the float32 initializers (weights) of an ONNX file without onnx-proto, which is a build-time
 * dependency: a few lines of protobuf wire-format walking are enough for ModelProto.graph.initializer.
 * Fields used (onnx.proto3): ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto.dims = 1,
 * data_type = 2, float_data = 4, name = 8, raw_data = 9. FLOAT is data_type 1.
 */

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

const FLOAT = 1;

/** name -> tensor, for every float32 initializer of the model's main graph. */
export function readFloatInitializers(model: Uint8Array): Map<string, FloatTensor> {
  const out = new Map<string, FloatTensor>();
  for (const graph of fields(model, 7)) {
    for (const tensor of fields(graph, 5)) {
      const parsed = parseTensor(tensor);
      if (parsed) out.set(parsed.name, parsed.tensor);
    }
  }
  return out;
}

function parseTensor(bytes: Uint8Array): { name: string; tensor: FloatTensor } | null {
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | null = null;
  const floats: number[] = [];
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const { field, wire } = reader.tag();
    if (field === 1 && wire === 0) dims.push(reader.varint());
    else if (field === 1 && wire === 2) {
      const packed = new Reader(reader.bytes());
      while (!packed.done()) dims.push(packed.varint());
    } else if (field === 2 && wire === 0) dataType = reader.varint();
    else if (field === 8 && wire === 2) name = new TextDecoder().decode(reader.bytes());
    else if (field === 9 && wire === 2) raw = reader.bytes();
    else if (field === 4 && wire === 2) {
      const b = reader.bytes();
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let o = 0; o + 4 <= b.byteLength; o += 4) floats.push(view.getFloat32(o, true));
    } else if (field === 4 && wire === 5) floats.push(reader.float32());
    else reader.skip(wire);
  }
  if (dataType !== FLOAT) return null;
  let data: Float32Array;
  if (raw) {
    // Copy: raw_data is little-endian and need not be 4-byte aligned inside the file buffer.
    data = new Float32Array(raw.byteLength / 4);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true);
  } else data = Float32Array.from(floats);
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== data.length) throw new Error(`ONNX initializer ${name}: ${data.length} values for dims [${dims}]`);
  return { name, tensor: { dims, data } };
}

/** The payloads of every length-delimited field `wanted` at the top level of `bytes`. */
function* fields(bytes: Uint8Array, wanted: number): Generator<Uint8Array> {
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const { field, wire } = reader.tag();
    if (field === wanted && wire === 2) yield reader.bytes();
    else reader.skip(wire);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  done(): boolean {
    return this.pos >= this.buf.byteLength;
  }

  tag(): { field: number; wire: number } {
    const t = this.varint();
    return { field: Math.floor(t / 8), wire: t % 8 };
  }

  /** Unsigned varint as a JS number (exact up to 2^53, plenty for dims, types and lengths). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.byteLength) throw new Error('ONNX file truncated (varint)');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
  }

  bytes(): Uint8Array {
    const length = this.varint();
    if (this.pos + length > this.buf.byteLength) throw new Error('ONNX file truncated (field)');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  float32(): number {
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4);
    this.pos += 4;
    return view.getFloat32(0, true);
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`ONNX file: unsupported protobuf wire type ${wire}`);
  }
}
