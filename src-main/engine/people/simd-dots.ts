/**
 * Dot products for the kNN graph (knn-tasks.ts), in one arithmetic wherever they are computed: four float32
 * partial sums, lane l summing the products of dimensions t ≡ l (mod 4) in ascending t (each product rounded to
 * float32, then added and rounded), and the result ((s0 + s1) + (s2 + s3)) in float32. That is exactly what a
 * WebAssembly f32x4 multiply-add loop computes, so blocks of pairs run in the SIMD kernel below (18 GMAC/s on one
 * core of the project's machine, 19x dotF32: `npx tsx test/bench/dot-kernel.bench.ts`) and single pairs in dotF32, and every path
 * gives a pair the same bits: the graph stays the same whatever chunk, task or thread computed a distance.
 * The rounding to float32 costs nothing the graph keeps: its distances are stored as float32 anyway.
 */
import { locals, name, op, section, SECTION, uleb, VALTYPE, vec, type Bytes } from './wasm-encoding.js';

/** Vector rows in the kernel's memory are padded with zeros to a multiple of this many floats. */
const LANES = 4;

/**
 * The dot product of rows of `a` and `b` starting at element offsets ai and bi, in the kernel's arithmetic.
 * Exact emulation of float32 operations: a float64 product of two float32 is exact, and rounding a float64 sum of
 * two float32 gives the correctly rounded float32 sum (53 >= 2·24 + 2 bits).
 */
export function dotF32(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  const f = Math.fround;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < dim; t += 4) {
    s0 = f(s0 + f((a[ai + t] as number) * (b[bi + t] as number)));
    s1 = f(s1 + f((a[ai + t + 1] as number) * (b[bi + t + 1] as number)));
    s2 = f(s2 + f((a[ai + t + 2] as number) * (b[bi + t + 2] as number)));
    s3 = f(s3 + f((a[ai + t + 3] as number) * (b[bi + t + 3] as number)));
  }
  // The last dim mod 4 dimensions go to lanes 0, 1, 2 (the kernel adds zeros to the rest).
  if (t < dim) s0 = f(s0 + f((a[ai + t] as number) * (b[bi + t] as number)));
  if (t + 1 < dim) s1 = f(s1 + f((a[ai + t + 1] as number) * (b[bi + t + 1] as number)));
  if (t + 2 < dim) s2 = f(s2 + f((a[ai + t + 2] as number) * (b[bi + t + 2] as number)));
  return f(f(s0 + s1) + f(s2 + s3));
}

/**
 * The kernel: dots(q, qn, c, cn, stride, out) writes out[a·cn + b] = q_a · c_b for a < qn (a multiple of 4),
 * b < cn (a multiple of 2); q, c, out are byte offsets, stride the bytes per row (a multiple of 16). Tiles of four
 * query rows by two candidate rows: eight f32x4 accumulators share six loads per four dimensions.
 */
function kernelModule(): Bytes {
  const [Q, QN, C, CN, STRIDE, OUT] = [0, 1, 2, 3, 4, 5];
  // i32 locals: the loop counters, the four query rows' and the two candidate rows' addresses.
  const [A, B, T, P0, PX, PY] = [6, 7, 8, 9, 13, 14];
  // v128 locals: accumulators (query row i with x at ACC + i, with y at ACC + 4 + i), x, y, the query's values.
  const [ACC, X, Y, QV] = [15, 23, 24, 25];
  const code: Bytes = [];
  const emit = (...parts: Bytes[]): void => {
    for (const p of parts) code.push(...p);
  };
  // for (a = 0; a < qn; a += 4)
  emit(op.i32Const(0), op.set(A), op.block(), op.loop());
  emit(op.get(A), op.get(QN), op.i32LtU(), op.i32Eqz(), op.brIf(1));
  for (let i = 0; i < 4; i++)
    emit(op.get(Q), op.get(A), op.i32Const(i), op.i32Add(), op.get(STRIDE), op.i32Mul(), op.i32Add(), op.set(P0 + i));
  //   for (b = 0; b < cn; b += 2)
  emit(op.i32Const(0), op.set(B), op.block(), op.loop());
  emit(op.get(B), op.get(CN), op.i32LtU(), op.i32Eqz(), op.brIf(1));
  emit(op.get(C), op.get(B), op.get(STRIDE), op.i32Mul(), op.i32Add(), op.tee(PX), op.get(STRIDE), op.i32Add());
  emit(op.set(PY));
  for (let i = 0; i < 8; i++) emit(op.v128Zero(), op.set(ACC + i));
  //     for (t = 0; t < stride; t += 16 bytes)
  emit(op.i32Const(0), op.set(T), op.block(), op.loop());
  emit(op.get(T), op.get(STRIDE), op.i32LtU(), op.i32Eqz(), op.brIf(1));
  emit(op.get(PX), op.get(T), op.i32Add(), op.v128Load(), op.set(X));
  emit(op.get(PY), op.get(T), op.i32Add(), op.v128Load(), op.set(Y));
  for (let i = 0; i < 4; i++) {
    emit(op.get(P0 + i), op.get(T), op.i32Add(), op.v128Load(), op.tee(QV));
    emit(op.get(X), op.f32x4Mul(), op.get(ACC + i), op.f32x4Add(), op.set(ACC + i));
    emit(op.get(QV), op.get(Y), op.f32x4Mul(), op.get(ACC + 4 + i), op.f32x4Add(), op.set(ACC + 4 + i));
  }
  emit(op.get(T), op.i32Const(16), op.i32Add(), op.set(T), op.br(0), op.end(), op.end());
  //     out[(a + i)·cn + b + j] = ((l0 + l1) + (l2 + l3)) of the accumulator
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 2; j++) {
      const acc = ACC + 4 * j + i;
      emit(op.get(OUT), op.get(A), op.i32Const(i), op.i32Add(), op.get(CN), op.i32Mul(), op.get(B), op.i32Add());
      emit(op.i32Const(j), op.i32Add(), op.i32Const(4), op.i32Mul(), op.i32Add());
      emit(op.get(acc), op.f32x4ExtractLane(0), op.get(acc), op.f32x4ExtractLane(1), op.f32Add());
      emit(op.get(acc), op.f32x4ExtractLane(2), op.get(acc), op.f32x4ExtractLane(3), op.f32Add(), op.f32Add());
      emit(op.f32Store());
    }
  }
  emit(op.get(B), op.i32Const(2), op.i32Add(), op.set(B), op.br(0), op.end(), op.end());
  emit(op.get(A), op.i32Const(4), op.i32Add(), op.set(A), op.br(0), op.end(), op.end());
  const body = [
    ...locals([
      [9, VALTYPE.i32],
      [11, VALTYPE.v128],
    ]),
    ...code,
    ...op.end(),
  ];
  const i32 = [VALTYPE.i32];
  return [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(SECTION.type, vec([[0x60, ...vec([i32, i32, i32, i32, i32, i32]), ...vec([])]])),
    ...section(SECTION.import, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
    ...section(SECTION.function, vec([uleb(0)])),
    ...section(SECTION.export, vec([[...name('dots'), 0x00, ...uleb(0)]])),
    ...section(SECTION.code, vec([[...uleb(body.length), ...body]])),
  ];
}

type Kernel = (q: number, qn: number, c: number, cn: number, stride: number, out: number) => void;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel, once per thread; null where this runtime lacks WebAssembly SIMD. */
function kernel(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = new Uint8Array(kernelModule());
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

const PAGE = 65536;
const roundUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/**
 * Blocks of dot products: fill query rows and candidate rows (views into the kernel's memory, `stride` floats
 * per row, the first `dim` of each), then compute every query row against a run of candidate rows. Each
 * thread owns its BlockDots (the memory is not shared).
 */
export class BlockDots {
  /** Floats per row in q and c: dim rounded up to whole f32x4 lanes; the padding stays zero. */
  readonly stride: number;
  /** Query rows: row a at [a·stride, a·stride + dim). */
  q = new Float32Array(0);
  /** Candidate rows: row b at [b·stride, b·stride + dim). */
  c = new Float32Array(0);
  private out = new Float32Array(0);
  private readonly memory: WebAssembly.Memory;
  private readonly dots: Kernel | null;
  private qCap = 0;
  private cCap = 0;

  /** simd false: the plain-JS path (dotF32), as in a runtime without WebAssembly SIMD. Same results. */
  constructor(
    readonly dim: number,
    options: { simd?: boolean } = {},
  ) {
    this.stride = roundUp(Math.max(1, dim), LANES);
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const module = options.simd === false ? null : kernel();
    this.dots = module
      ? (new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports.dots as Kernel)
      : null;
  }

  /** Whether blocks run in the WebAssembly SIMD kernel (else in dotF32). */
  get simd(): boolean {
    return this.dots !== null;
  }

  /**
   * Room for qn query rows and cn candidate rows. When it has to grow, q and c are new views and their old
   * contents are gone: reserve before filling.
   */
  reserve(qn: number, cn: number): void {
    if (qn <= this.qCap && cn <= this.cCap) return;
    // Whole tiles: query rows in fours, candidate rows in twos (the products of the padding rows are ignored).
    this.qCap = roundUp(Math.max(qn, this.qCap, 4), 4);
    this.cCap = roundUp(Math.max(cn, this.cCap, 2), 2);
    const floats = (this.qCap + this.cCap) * this.stride + this.qCap * this.cCap;
    const bytes = floats * 4;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    const buffer = this.memory.buffer;
    new Float32Array(buffer).fill(0, 0, (this.qCap + this.cCap) * this.stride);
    this.q = new Float32Array(buffer, 0, this.qCap * this.stride);
    this.c = new Float32Array(buffer, this.q.byteLength, this.cCap * this.stride);
    this.out = new Float32Array(buffer, this.q.byteLength + this.c.byteLength, this.qCap * this.cCap);
  }

  /** Copies row `row` of `vectors` (width dim) to query row a. */
  setQuery(a: number, vectors: Float32Array, row: number): void {
    this.q.set(vectors.subarray(row * this.dim, (row + 1) * this.dim), a * this.stride);
  }

  /** Copies row `row` of `vectors` (width dim) to candidate row b. */
  setCandidate(b: number, vectors: Float32Array, row: number): void {
    this.c.set(vectors.subarray(row * this.dim, (row + 1) * this.dim), b * this.stride);
  }

  /**
   * Dots of query rows [0, qn) with candidate rows [0, cn): the product of query a and candidate b is at
   * out[a·width + b]. The returned view is valid until the next compute or reserve.
   */
  compute(qn: number, cn: number): { out: Float32Array; width: number } {
    const width = roundUp(cn, 2);
    if (qn > this.qCap || cn > this.cCap) throw new RangeError('BlockDots: reserve() the rows first');
    const s = this.stride;
    if (this.dots) {
      this.dots(this.q.byteOffset, roundUp(qn, 4), this.c.byteOffset, width, s * 4, this.out.byteOffset);
    } else {
      for (let a = 0; a < qn; a++)
        for (let b = 0; b < cn; b++) this.out[a * width + b] = dotF32(this.q, a * s, this.c, b * s, this.dim);
    }
    return { out: this.out, width };
  }
}
