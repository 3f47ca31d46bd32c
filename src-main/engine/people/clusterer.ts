/**
 * FaceClusterer: turns faces (+ the user's decisions) into people. scikit-learn style: configure in the
 * constructor, run with fit().
 *
 * Pipeline of fit():
 * 1. Canonical order (faces.ts): sort by id, so the result never depends on input order.
 * 2. Quality floor: faces with quality < minQuality take no part in the agglomeration (blurry, tiny or
 *    profile faces make chains between people). Faces the user confirmed are exempt: the user's decision
 *    outranks the quality score.
 * 3. Constraints (constraints.ts): must-link seeds for confirmed people, cannot-links for rejections,
 *    between named people and within a photo.
 * 4. Agglomeration under `linkage` up to `threshold`, on a kNN graph (default) or exactly.
 * 5. People: clusters holding a named person's seed always become that person, whatever their size (named
 *    people are never dissolved); other clusters become (unnamed) people if they have at least
 *    minClusterSize faces; the rest go to Unsorted.
 * 6. Faces below the floor (belowFloor 'attach', the default) each join the person they would join as a
 *    single face, when within the threshold and allowed by the constraints, linking nothing else
 *    (below-floor.ts); the others go to Unsorted.
 */
import { labelsFromMerges, type AdaptiveCriterion, type Linkage, LINKAGES } from './agglomeration.js';
import { attachBelowFloor } from './below-floor.js';
import { prepareConstraints, type ClusterConstraints } from './constraints.js';
import { packFaces, type FaceId, type FaceRecord, type PackedFaces, type PersonId } from './faces.js';
import { exactAgglomerate } from './hac-exact.js';
import { graphAgglomerate } from './hac-graph.js';
import { IvfKnn } from './ivf-knn.js';
import { BruteForceKnn, DEFAULT_K, type KnnGraph } from './knn.js';
import { sharedFloat32 } from './shared-arrays.js';

/**
 * Default merge threshold in FaceNet squared-L2 units (0..4), for the default embedder (dlib ResNet, flip
 * augmentation) and the default adaptive criterion below. The paper's ~1.1 belongs to its own embedding; ours
 * is more compact (same person: median 0.083; different people: 1st percentile 0.179). Chosen with
 * DEFAULT_ADAPTIVE and DEFAULT_BELOW_FLOOR by the second rule written in docs/clustering-threshold.md (the
 * largest smallest margin over exact HAC tuned per set, on five development sets: library-like, sparse
 * library, family, lfw-dev-people, LFW View 1 train): 0.11125. A single face joins a group, and a person gains
 * faces, when their mean distance is within it. The user can change it.
 */
export const DEFAULT_THRESHOLD = 0.11125;
/**
 * The adaptive merge criterion the product uses (agglomeration.ts): 55% of each group's own spread is not
 * held against it (spread 0.55: a person seen in many poses is not kept apart by their own spread), and two
 * groups join more strictly than a single face attaches (size slack -0.35); a single face joining a group of
 * 15 or more is credited 85% of the group's spread (singleSpread: a large group's centroid is steady, and a
 * person's face in an unusual pose is otherwise left out of their own 19-photo group). Chosen with
 * DEFAULT_THRESHOLD on five development sets (docs/clustering-threshold.md, second rule: smallest margin over
 * exact HAC tuned per set -0.0008, against -0.0028 without singleSpread, -0.0085 for 0.5 / -0.3 and -0.029 for
 * plain average linkage). Larger spread credits for every merge came close too but grew "people" of strangers
 * on LFW View 1 train (pairwise F below the rule's guard), so they were not taken.
 */
export const DEFAULT_ADAPTIVE: AdaptiveCriterion = {
  spread: 0.55,
  sizeSlack: -0.35,
  singleSpread: 0.85,
  singleSpreadFrom: 15,
};
/**
 * Faces below the quality floor never link anything, but join the group they would join as a single face when
 * within the threshold (FaceClustererOptions.belowFloor; chosen with DEFAULT_ADAPTIVE and DEFAULT_THRESHOLD by
 * the second rule of docs/clustering-threshold.md).
 */
export const DEFAULT_BELOW_FLOOR: BelowFloor = 'attach';
/** Clusters smaller than this (and not carrying a named person) go to Unsorted: one-off faces are noise. */
export const DEFAULT_MIN_CLUSTER_SIZE = 2;
/** Faces whose quality (0..1, src-main/engine/vision/quality.ts) is below this go to Unsorted. */
export const DEFAULT_MIN_QUALITY = 0.2;
/** Above this many faces 'auto' builds the kNN graph with IVF instead of brute force (brute force: ~3 s at 10k on one core). */
export const BRUTE_FORCE_MAX_FACES = 10000;

export interface FaceClustererOptions {
  /** Merge while linkage distance <= threshold (squared L2, 0..4). Default DEFAULT_THRESHOLD. */
  threshold?: number;
  /** 'average' (default), 'single' or 'complete'. */
  linkage?: Linkage;
  /** 'knn-graph' (default, memory O(n·k)) or 'exact' (O(n^2) memory, reference, n <= 6000). */
  algorithm?: 'knn-graph' | 'exact';
  /** Neighbours per face in the kNN graph (default 16). */
  k?: number;
  /**
   * How the kNN graph is built: 'brute-force' (exact, O(n^2·d) time), 'ivf' (approximate inverted file,
   * ivf-knn.ts), or 'auto' (default): brute force up to BRUTE_FORCE_MAX_FACES faces, IVF above.
   */
  neighbours?: 'auto' | 'brute-force' | 'ivf';
  /**
   * Worker threads that build the kNN graph (knn-threads.ts; 0: this thread). Default: none below 5000
   * faces, else one per CPU, at most 4. The graph, and so the result, is the same whatever the number.
   */
  workers?: number;
  /** Smallest cluster that becomes a person (default 2). */
  minClusterSize?: number;
  /** Quality floor, 0..1 (default 0.2); faces without a quality score pass. */
  minQuality?: number;
  /** Adaptive merge criterion (agglomeration.ts; average linkage on the kNN graph). Default DEFAULT_ADAPTIVE. */
  adaptive?: AdaptiveCriterion;
  /**
   * Faces below the quality floor: 'unsorted' (they stay out) or 'attach' (after the grouping each joins the
   * group it would join as a single face, when within the threshold, linking nothing else: below-floor.ts).
   * Default DEFAULT_BELOW_FLOOR.
   */
  belowFloor?: BelowFloor;
}

export type BelowFloor = 'unsorted' | 'attach';

export interface Cluster {
  /**
   * Canonical cluster id: the smallest id among the faces the grouping joined (a face attached afterwards from
   * below the quality floor never renames its group).
   */
  id: FaceId;
  /** Member face ids in canonical order. */
  faces: FaceId[];
  /** The named person this cluster carries, if any. */
  personId?: PersonId;
}

export interface ClusteringResult {
  /** People-worthy clusters, sorted by id. */
  clusters: Cluster[];
  /** Faces in no person: below the quality floor, or in clusters smaller than minClusterSize. */
  unsorted: FaceId[];
  /**
   * Cluster id of every face, in the caller's input order. Faces in small clusters keep their raw cluster id;
   * faces below the quality floor are their own singleton (their own id) unless attached to a group. Use for metrics.
   */
  labels: FaceId[];
  /** Constraint contradictions that were resolved in favour of must-link (face id pairs). */
  conflicts: [FaceId, FaceId][];
}

export class FaceClusterer {
  readonly threshold: number;
  readonly linkage: Linkage;
  readonly algorithm: 'knn-graph' | 'exact';
  readonly k: number;
  readonly neighbours: 'auto' | 'brute-force' | 'ivf';
  readonly workers: number | undefined;
  readonly minClusterSize: number;
  readonly minQuality: number;
  readonly adaptive: AdaptiveCriterion;
  readonly belowFloor: BelowFloor;

  constructor(options: FaceClustererOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
    this.linkage = options.linkage ?? 'average';
    this.algorithm = options.algorithm ?? 'knn-graph';
    this.k = options.k ?? DEFAULT_K;
    this.neighbours = options.neighbours ?? 'auto';
    this.workers = options.workers;
    this.minClusterSize = options.minClusterSize ?? DEFAULT_MIN_CLUSTER_SIZE;
    this.minQuality = options.minQuality ?? DEFAULT_MIN_QUALITY;
    this.adaptive = options.adaptive ?? DEFAULT_ADAPTIVE;
    this.belowFloor = options.belowFloor ?? DEFAULT_BELOW_FLOOR;
    if (this.belowFloor !== 'unsorted' && this.belowFloor !== 'attach') {
      throw new RangeError(`unknown belowFloor ${String(this.belowFloor)}`);
    }
    if (!(this.threshold >= 0 && this.threshold <= 4)) throw new RangeError('threshold must be in 0..4');
    if (!LINKAGES.includes(this.linkage)) throw new RangeError(`unknown linkage ${String(this.linkage)}`);
    if (this.algorithm !== 'knn-graph' && this.algorithm !== 'exact') {
      throw new RangeError(`unknown algorithm ${String(this.algorithm)}`);
    }
    if (!(Number.isInteger(this.minClusterSize) && this.minClusterSize >= 1)) {
      throw new RangeError('minClusterSize must be a positive integer');
    }
  }

  fit(faces: readonly FaceRecord[], constraints: ClusterConstraints = {}): ClusteringResult {
    const all = packFaces(faces);
    // Confirmed faces (must-link members or people's seeds) are exempt from the quality floor.
    const protectedIds = new Set<FaceId>();
    for (const g of constraints.mustLink ?? []) if (g.length > 1) for (const id of g) protectedIds.add(id);
    for (const p of constraints.people ?? []) for (const id of p.confirmed) protectedIds.add(id);
    const keep: number[] = [];
    const lowQuality: number[] = [];
    all.ids.forEach((id, i) => {
      const q = all.quality[i];
      if (q !== undefined && q < this.minQuality && !protectedIds.has(id)) lowQuality.push(i);
      else keep.push(i);
    });
    const active = subset(all, keep);
    const prepared = prepareConstraints(active, constraints);
    const problem = {
      vectors: active.vectors,
      dim: active.dim,
      root: prepared.root,
      cannot: prepared.cannot,
      anchored: prepared.anchored,
      threshold: this.threshold,
      linkage: this.linkage,
      adaptive: this.adaptive,
    };
    const labels =
      active.ids.length === 0
        ? labelsFromMerges(new Int32Array(0))
        : this.algorithm === 'exact'
          ? exactAgglomerate(problem)
          : graphAgglomerate(problem, this.knnGraph(active));

    // Group rows by label (labels are the smallest row index, rows are in canonical order).
    const members = new Map<number, number[]>();
    labels.forEach((l, i) => {
      const m = members.get(l);
      if (m) m.push(i);
      else members.set(l, [i]);
    });
    const personOfLabel = new Map<number, PersonId>();
    for (const [r, person] of prepared.personOfRoot) personOfLabel.set(labels[r] as number, person);

    const clusters: Cluster[] = [];
    const unsorted: FaceId[] = [];
    const labelOf = new Map<FaceId, FaceId>();
    const worthy: number[][] = []; // rows (of `active`) of each entry of `clusters`
    for (const [l, rows] of members) {
      const id = active.ids[l] as FaceId;
      const ids = rows.map((r) => active.ids[r] as FaceId);
      for (const f of ids) labelOf.set(f, id);
      const personId = personOfLabel.get(l);
      if (personId !== undefined || ids.length >= this.minClusterSize) {
        clusters.push(personId !== undefined ? { id, faces: ids, personId } : { id, faces: ids });
        worthy.push(rows);
      } else {
        unsorted.push(...ids);
      }
    }
    const attachedTo =
      this.belowFloor === 'attach' && lowQuality.length > 0
        ? attachBelowFloor({
            faces: all,
            below: lowQuality,
            targets: worthy.map((rows) => {
              const anchorRows = rows.filter((r) => prepared.anchored[prepared.root[r] as number] === 1);
              const measured = anchorRows.length > 0 ? anchorRows : rows;
              return {
                rows: rows.map((r) => keep[r] as number),
                measuredBy: measured.map((r) => keep[r] as number),
                anchored: anchorRows.length > 0,
              };
            }),
            constraints: prepareConstraints(all, constraints),
            threshold: this.threshold,
            adaptive: this.linkage === 'average' ? this.adaptive : undefined,
          })
        : null;
    lowQuality.forEach((row, i) => {
      const id = all.ids[row] as FaceId;
      const g = attachedTo?.[i] ?? -1;
      if (g < 0) {
        unsorted.push(id);
        return;
      }
      const cluster = clusters[g] as Cluster;
      cluster.faces.push(id);
      labelOf.set(id, cluster.id);
    });
    if (attachedTo) {
      const canonical = (x: FaceId, y: FaceId): number =>
        (all.indexOf.get(x) as number) - (all.indexOf.get(y) as number);
      for (const c of clusters) c.faces.sort(canonical);
    }
    // `members` iterates labels in ascending row order (a label first appears at its own row), so clusters
    // are already sorted by canonical id.
    unsorted.sort((x, y) => (all.indexOf.get(x) as number) - (all.indexOf.get(y) as number));
    return {
      clusters,
      unsorted,
      labels: faces.map((f) => labelOf.get(f.id) ?? f.id),
      conflicts: prepared.conflicts,
    };
  }

  /** The kNN graph of the active faces, by the configured method. */
  knnGraph(faces: PackedFaces): KnnGraph {
    const n = faces.ids.length;
    const ivf = this.neighbours === 'ivf' || (this.neighbours === 'auto' && n > BRUTE_FORCE_MAX_FACES);
    return ivf
      ? new IvfKnn({ k: this.k, workers: this.workers }).fit(faces.vectors, faces.dim)
      : new BruteForceKnn({ k: this.k, workers: this.workers }).fit(faces.vectors, faces.dim);
  }
}

/** The rows `keep` (ascending) of a packed set, as a packed set of their own. */
export function subset(p: PackedFaces, keep: readonly number[]): PackedFaces {
  const vectors = sharedFloat32(keep.length * p.dim);
  keep.forEach((i, r) => vectors.set(p.vectors.subarray(i * p.dim, (i + 1) * p.dim), r * p.dim));
  const ids = keep.map((i) => p.ids[i] as FaceId);
  return {
    ids,
    dim: p.dim,
    vectors,
    photoIds: keep.map((i) => p.photoIds[i]),
    quality: keep.map((i) => p.quality[i]),
    indexOf: new Map(ids.map((id, r) => [id, r])),
  };
}
