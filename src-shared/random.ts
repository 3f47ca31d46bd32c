/**
 * The one seeded pseudo-random generator of the code base (mulberry32), for everything that must be
 * reproducible: training (batches, mining, held-out splits), the tuning run's held-out faces, the naming
 * simulation, and the tests' and benchmarks' synthetic data and shuffles. The same seed gives the same
 * sequence on every platform, bit for bit. Pure: no Node or DOM imports, so every layer may use it.
 *
 * Not for anything secret (ids, tokens): use crypto for those.
 */
export class Rng {
  private state: number;

  constructor(seed = 1) {
    // Mix the seed so that small consecutive seeds give unrelated streams.
    this.state = (Math.imul(seed | 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller; two uniforms per sample). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** A shuffled copy; `items` is left as it is. */
  shuffled<T>(items: readonly T[]): T[] {
    return this.shuffle([...items]);
  }
}
