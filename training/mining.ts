/**
 * Triplet selection as in FaceNet section 3.2: identity-balanced mini-batches, all anchor-positive pairs,
 * semi-hard negatives mined online from the current embeddings.
 *
 * Batches (IdentityBalancedSampler): each identity's faces are shuffled and cut into chunks of at most
 * `facesPerIdentity` (default 40, the paper's figure), split as evenly as possible (45 faces -> 23 + 22, never
 * 40 + 5). Chunks are shuffled and packed into batches; one batch never holds two chunks of the same identity,
 * so it holds at most `facesPerIdentity` faces of any identity. Each batch is then topped up to `batchSize`
 * with random faces of identities not in the batch (`randomFaceFraction` of the batch, default 10%): extra
 * negatives, as in the paper. Every labelled face is in exactly one chunk per epoch.
 *
 * Pairs: every ordered pair (a, p), a != p, of faces with the same label is an anchor-positive pair (both
 * orders: the anchor's role in the loss is not symmetric).
 *
 * Negatives, per pair, with D = squared L2 distance between unit embeddings:
 *  1. semi-hard: D(a,p) < D(a,n) < D(a,p) + alpha. One is chosen uniformly at random with the seeded RNG.
 *  2. none semi-hard but some "hard" (D(a,n) <= D(a,p)): fallback 'least-hard' (default) takes the hard
 *     negative with the LARGEST D(a,n), the one nearest the semi-hard band; fallback 'skip' drops the pair.
 *  3. every negative beyond the margin (D(a,n) >= D(a,p) + alpha): the pair is skipped; any negative would
 *     give zero loss and zero gradient.
 * Never the hardest negative overall (smallest D(a,n)): hardest negatives are dominated by mislabelled and
 * badly imaged faces, and pulling every anchor away from its nearest negative drives the model to the
 * collapsed solution f(x) = constant (all distances 0, loss = alpha for every triplet), FaceNet's observation.
 */
import { Rng } from '../src-shared/random.js';
import type { Triplets } from './triplet-loss.js';

export type NegativeFallback = 'least-hard' | 'skip';

export interface MiningStats {
  /** Ordered anchor-positive pairs considered. */
  pairs: number;
  /** Pairs that got a semi-hard negative. */
  semiHard: number;
  /** Pairs that got the least-hard negative under the fallback rule. */
  fallback: number;
  /** Pairs dropped (no usable negative). */
  skipped: number;
}

export interface MinedTriplets extends Triplets {
  stats: MiningStats;
}

export interface MiningOptions {
  /** Margin, in squared-L2 units on the unit sphere (0..4). Default 0.2. */
  alpha?: number;
  /** Rule for pairs without a semi-hard negative. Default 'least-hard'. */
  fallback?: NegativeFallback;
  /** Added to anchor indices in the output (harmonic tables); default 0. */
  anchorOffset?: number;
  /** Added to positive and negative indices in the output; default 0. */
  otherOffset?: number;
  /**
   * Use a == p as a pair too. Only meaningful when the two tables differ (harmonic mode): the anchor face
   * embedded by one version and the same face by the other is the most basic positive there is, and the pair
   * that ties the new version to the old one face by face. Default false.
   */
  selfPairs?: boolean;
}

/**
 * Mines one triplet per ordered anchor-positive pair. `dist` is n x n row-major: dist[a*n + j] is the
 * distance from anchor a (in the anchor table) to item j (in the positive/negative table); both tables hold
 * the same n faces with `labels` (for plain training they are the same table). Pairs with a == p are not
 * used unless `selfPairs`. Deterministic for a given RNG state.
 */
export function mineSemiHard(
  dist: Float64Array,
  labels: Int32Array,
  rng: Rng,
  options: MiningOptions = {},
): MinedTriplets {
  const alpha = options.alpha ?? 0.2;
  const fallback = options.fallback ?? 'least-hard';
  const ao = options.anchorOffset ?? 0;
  const oo = options.otherOffset ?? 0;
  const selfPairs = options.selfPairs ?? false;
  const n = labels.length;
  if (dist.length !== n * n) throw new RangeError(`distance matrix has ${dist.length} entries for ${n} faces`);
  const anchor: number[] = [];
  const positive: number[] = [];
  const negative: number[] = [];
  const stats: MiningStats = { pairs: 0, semiHard: 0, fallback: 0, skipped: 0 };
  // Group the batch by label once so pairs are enumerated without scanning every (a, p).
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i] as number;
    const g = byLabel.get(l);
    if (g) g.push(i);
    else byLabel.set(l, [i]);
  }
  // Per anchor, its negatives are gathered once into contiguous arrays plus a sorted copy of their
  // distances (native typed-array sort). Each positive then finds the size of its semi-hard band and the
  // least-hard negative by binary search. The semi-hard negative is drawn uniformly by rejection sampling
  // (a few draws among all negatives), or, when the band is narrow, as a uniformly chosen rank in the band
  // located by a scan. Either way the choice is uniform over the band and reproducible for the seed.
  const negD = new Float64Array(n);
  const negIdx = new Int32Array(n);
  const find = (m: number, value: number): number => {
    for (let k = 0; k < m; k++) if (negD[k] === value) return negIdx[k] as number;
    throw new Error('unreachable: value not among negatives');
  };
  for (const members of byLabel.values()) {
    if (members.length < 2 && !selfPairs) continue;
    for (const a of members) {
      const la = labels[a] as number;
      const row = a * n;
      let m = 0;
      for (let j = 0; j < n; j++) {
        if ((labels[j] as number) === la) continue;
        negIdx[m] = j;
        negD[m++] = dist[row + j] as number;
      }
      const sorted = negD.slice(0, m).sort();
      for (const p of members) {
        if (p === a && !selfPairs) continue;
        stats.pairs++;
        const dap = dist[row + p] as number;
        const upper = dap + alpha;
        const lo = firstAbove(sorted, dap); // first negative with D(a,n) > D(a,p)
        const hi = firstAtOrAbove(sorted, upper); // first with D(a,n) >= D(a,p) + alpha
        let chosen = -1;
        if (hi > lo) {
          for (let tries = 0; tries < REJECTION_TRIES && chosen < 0; tries++) {
            const k = rng.int(m);
            const v = negD[k] as number;
            if (v > dap && v < upper) chosen = negIdx[k] as number;
          }
          if (chosen < 0) chosen = find(m, sorted[lo + rng.int(hi - lo)] as number);
          stats.semiHard++;
        } else if (fallback === 'least-hard' && lo > 0) {
          chosen = find(m, sorted[lo - 1] as number); // the largest D(a,n) <= D(a,p)
          stats.fallback++;
        } else {
          stats.skipped++;
          continue;
        }
        anchor.push(a + ao);
        positive.push(p + oo);
        negative.push(chosen + oo);
      }
    }
  }
  return {
    anchor: Int32Array.from(anchor),
    positive: Int32Array.from(positive),
    negative: Int32Array.from(negative),
    stats,
  };
}

const REJECTION_TRIES = 16;

/** Index of the first sorted value that is > x (length when none). */
function firstAbove(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first sorted value that is >= x (length when none). */
function firstAtOrAbove(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Concatenates several triplet sets (e.g. the kinds of a harmonic mix). */
export function concatTriplets(parts: readonly Triplets[]): Triplets {
  const total = parts.reduce((s, p) => s + p.anchor.length, 0);
  const out: Triplets = {
    anchor: new Int32Array(total),
    positive: new Int32Array(total),
    negative: new Int32Array(total),
  };
  let o = 0;
  for (const p of parts) {
    out.anchor.set(p.anchor, o);
    out.positive.set(p.positive, o);
    out.negative.set(p.negative, o);
    o += p.anchor.length;
  }
  return out;
}

export interface SamplerOptions {
  /** Faces per batch, including the random top-up. Default 480. */
  batchSize?: number;
  /** Most faces of one identity in a batch. Default 40 (FaceNet). */
  facesPerIdentity?: number;
  /** Share of each batch filled with random faces of identities not otherwise in it. Default 0.1. */
  randomFaceFraction?: number;
}

/**
 * Identity-balanced batches over a labelled set (see the file comment). `labels` are dense ids; the sampler
 * returns indices into them. Identities with a single face never form a chunk of their own (they have no
 * positive) but serve as random negatives.
 */
export class IdentityBalancedSampler {
  readonly batchSize: number;
  readonly facesPerIdentity: number;
  readonly randomFaceFraction: number;

  constructor(options: SamplerOptions = {}) {
    this.batchSize = options.batchSize ?? 480;
    this.facesPerIdentity = options.facesPerIdentity ?? 40;
    this.randomFaceFraction = options.randomFaceFraction ?? 0.1;
    if (this.facesPerIdentity < 2) throw new RangeError('facesPerIdentity must be at least 2');
    if (this.batchSize < this.facesPerIdentity) throw new RangeError('batchSize must be >= facesPerIdentity');
  }

  /** One epoch of batches (arrays of face indices), deterministic for the RNG state. */
  epoch(labels: Int32Array, rng: Rng): Int32Array[] {
    const groups = new Map<number, number[]>();
    labels.forEach((l, i) => {
      const g = groups.get(l);
      if (g) g.push(i);
      else groups.set(l, [i]);
    });
    const chunks: { label: number; faces: number[] }[] = [];
    for (const [label, faces] of groups) {
      if (faces.length < 2) continue;
      rng.shuffle(faces);
      const k = Math.ceil(faces.length / this.facesPerIdentity);
      const base = Math.floor(faces.length / k);
      const extra = faces.length % k;
      let o = 0;
      for (let c = 0; c < k; c++) {
        const size = base + (c < extra ? 1 : 0);
        chunks.push({ label, faces: faces.slice(o, o + size) });
        o += size;
      }
    }
    rng.shuffle(chunks);
    const identityBudget = Math.max(this.facesPerIdentity, Math.round(this.batchSize * (1 - this.randomFaceFraction)));
    const batches: Int32Array[] = [];
    let pending = chunks;
    while (pending.length > 0) {
      const batch: number[] = [];
      const inBatch = new Set<number>();
      const deferred: typeof chunks = [];
      for (const c of pending) {
        if (!inBatch.has(c.label) && batch.length + c.faces.length <= identityBudget) {
          batch.push(...c.faces);
          inBatch.add(c.label);
        } else deferred.push(c);
      }
      pending = deferred;
      this.topUp(batch, inBatch, labels, rng);
      batches.push(Int32Array.from(batch));
    }
    return batches;
  }

  /** Adds random faces of identities not in the batch until it has batchSize faces (or none are left). */
  private topUp(batch: number[], inBatch: Set<number>, labels: Int32Array, rng: Rng): void {
    const want = this.batchSize - batch.length;
    if (want <= 0) return;
    const candidates: number[] = [];
    labels.forEach((l, i) => {
      if (!inBatch.has(l)) candidates.push(i);
    });
    // Partial Fisher-Yates: the first `want` of a random permutation.
    const take = Math.min(want, candidates.length);
    for (let i = 0; i < take; i++) {
      const j = i + rng.int(candidates.length - i);
      const t = candidates[i] as number;
      candidates[i] = candidates[j] as number;
      candidates[j] = t;
      batch.push(candidates[i] as number);
    }
  }
}
