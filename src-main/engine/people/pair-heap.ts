/**
 * Binary min-heap of cluster pairs keyed by (distance, a, b), in growable typed arrays (millions of entries
 * without millions of objects). The full key makes the pop order a total order, so merges happen in the
 * same sequence whatever order the pairs were pushed in; `a < b` are canonical cluster indices.
 */
export class PairHeap {
  private d: Float64Array;
  private a: Int32Array;
  private b: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.d = new Float64Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
  }

  private less(i: number, j: number): boolean {
    const di = this.d[i] as number;
    const dj = this.d[j] as number;
    if (di !== dj) return di < dj;
    const ai = this.a[i] as number;
    const aj = this.a[j] as number;
    if (ai !== aj) return ai < aj;
    return (this.b[i] as number) < (this.b[j] as number);
  }

  private swap(i: number, j: number): void {
    const d = this.d[i] as number;
    const a = this.a[i] as number;
    const b = this.b[i] as number;
    this.d[i] = this.d[j] as number;
    this.a[i] = this.a[j] as number;
    this.b[i] = this.b[j] as number;
    this.d[j] = d;
    this.a[j] = a;
    this.b[j] = b;
  }

  push(d: number, x: number, y: number): void {
    if (this.size === this.d.length) {
      const cap = this.d.length * 2;
      const nd = new Float64Array(cap);
      nd.set(this.d);
      const na = new Int32Array(cap);
      na.set(this.a);
      const nb = new Int32Array(cap);
      nb.set(this.b);
      this.d = nd;
      this.a = na;
      this.b = nb;
    }
    let i = this.size++;
    this.d[i] = d;
    this.a[i] = Math.min(x, y);
    this.b[i] = Math.max(x, y);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** The entry the last pop() removed: distance, a, b (a < b). */
  topD = 0;
  topA = 0;
  topB = 0;

  /** Removes the smallest entry into topD, topA, topB (no allocation per pop); false when empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    this.topD = this.d[0] as number;
    this.topA = this.a[0] as number;
    this.topB = this.b[0] as number;
    const last = --this.size;
    if (last > 0) {
      this.d[0] = this.d[last] as number;
      this.a[0] = this.a[last] as number;
      this.b[0] = this.b[last] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.less(r, l) ? r : l;
        if (!this.less(c, i)) break;
        this.swap(c, i);
        i = c;
      }
    }
    return true;
  }
}
