/**
 * Just enough of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/) to write one
 * small module by hand in source: LEB128 numbers, sections, and the opcodes the kNN dot-product kernel uses
 * (simd-dots.ts). Written here rather than shipped as a compiled .wasm file, so that the kernel's source is the
 * code itself, reviewed and versioned like the rest, with no build step and nothing extra to package.
 */

export type Bytes = number[];

/** Unsigned LEB128. */
export function uleb(n: number): Bytes {
  const out: Bytes = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): Bytes {
  const out: Bytes = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A vector: its length, then its items. */
export function vec(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

export function name(s: string): Bytes {
  return vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
}

export function section(id: number, content: Bytes): Bytes {
  return [id, ...uleb(content.length), ...content];
}

export const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;
export const VALTYPE = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;

/** The instructions the kernel uses; each returns its encoding. */
export const op = {
  block: (): Bytes => [0x02, 0x40],
  loop: (): Bytes => [0x03, 0x40],
  end: (): Bytes => [0x0b],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  get: (local: number): Bytes => [0x20, ...uleb(local)],
  set: (local: number): Bytes => [0x21, ...uleb(local)],
  tee: (local: number): Bytes => [0x22, ...uleb(local)],
  i32Const: (v: number): Bytes => [0x41, ...sleb(v)],
  i32Eqz: (): Bytes => [0x45],
  i32LtU: (): Bytes => [0x49],
  i32Add: (): Bytes => [0x6a],
  i32Mul: (): Bytes => [0x6c],
  f32Add: (): Bytes => [0x92],
  /** f32.store with natural (4-byte) alignment. */
  f32Store: (offset = 0): Bytes => [0x38, 2, ...uleb(offset)],
  /** v128.load with 16-byte alignment. */
  v128Load: (offset = 0): Bytes => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128Zero: (): Bytes => [0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0)],
  f32x4ExtractLane: (lane: number): Bytes => [0xfd, ...uleb(0x1f), lane],
  f32x4Add: (): Bytes => [0xfd, ...uleb(0xe4)],
  f32x4Mul: (): Bytes => [0xfd, ...uleb(0xe6)],
};

/** Locals of a function body: runs of (count, type). */
export function locals(runs: [count: number, type: number][]): Bytes {
  return vec(runs.map(([count, type]) => [...uleb(count), type]));
}
