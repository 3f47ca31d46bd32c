/**
 * Clustering evaluation on a folder-per-identity image tree (`<root>/<identity>/<photo>`): the label of a
 * photo is its folder. Every photo is treated as single-subject: its primary face (the one nearest the centre
 * among the large ones, as in LFW evaluation) is embedded and the others are ignored, because the folder says
 * who the photo is about, not who else is in it. Photos where no face is found are counted and left out.
 *
 * The faces are clustered with FaceClusterer (the product's clustering, at its default or a given threshold)
 * and scored against the folders with pairwise and BCubed precision/recall/F. Embedding is separate from
 * scoring (`embedTree` then `scoreClustering`) so that a threshold sweep embeds once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { clusterScores, type PRF } from '../../../src-shared/cluster-metrics.js';
import { parseLfwPairs } from '../../../src-shared/lfw-pairs.js';
import {
  DEFAULT_MIN_CLUSTER_SIZE,
  DEFAULT_MIN_QUALITY,
  DEFAULT_THRESHOLD,
  FaceClusterer,
  type FaceClustererOptions,
} from '../../engine/people/index.js';
import { CachedGraphClusterer, GraphCache } from '../../engine/people/graph-cache.js';
import type { FaceAnalyzer } from '../../engine/vision/pipeline.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { embedPrimaryFace } from './primary-embedding.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.bmp', '.gif', '.avif']);

export interface LabelledPhoto {
  path: string;
  identity: string;
}

/** The photos of a folder-per-identity tree, sorted by path; hidden files and folders are skipped. */
export function listIdentityTree(root: string): LabelledPhoto[] {
  const photos: LabelledPhoto[] = [];
  const identities = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  for (const identity of identities) {
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
          photos.push({ path, identity });
        }
      }
    };
    walk(join(root, identity));
  }
  return photos.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The images an LFW pairs file references, labelled with their person: a folder-per-identity set without
 * copying files (used for the development set: the View 1 training pairs, disjoint in identity from the
 * View 1 test people that lfw-dev-people is drawn from).
 */
export function listPairsPhotos(pairsFile: string, imagesDir: string): LabelledPhoto[] {
  const parsed = parseLfwPairs(readFileSync(pairsFile, 'utf8'));
  const byPath = new Map<string, LabelledPhoto>();
  for (const p of parsed.pairs) {
    for (const ref of [p.a, p.b]) byPath.set(ref.path, { path: join(imagesDir, ref.path), identity: ref.name });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface EmbeddedFace {
  /** Path relative to the root (the face's id in clustering). */
  id: string;
  identity: string;
  embedding: Float32Array;
  quality: number;
}

export interface EmbeddedTree {
  faces: EmbeddedFace[];
  photos: number;
  /** Photos (relative paths) where no face was found even at the fallback scores. */
  noFace: string[];
  /** Photos whose face was found only at a fallback (lower) detector score. */
  fallback: number;
  /** Photos with more than one detected face (only the primary one is used). */
  multiFace: number;
  /** Seconds spent embedding (near 0 when everything came from the cache). */
  seconds: number;
  cacheHits: number;
  modelVersion: string;
}

/** Embeds the primary face of every photo; `root` makes the face ids relative paths. */
export async function embedPhotos(
  analyzer: FaceAnalyzer,
  photos: readonly LabelledPhoto[],
  root: string,
  options: { cache?: EmbeddingCache; onProgress?: (done: number, total: number) => void } = {},
): Promise<EmbeddedTree> {
  const faces: EmbeddedFace[] = [];
  const noFace: string[] = [];
  let fallback = 0;
  let multiFace = 0;
  const hitsBefore = options.cache?.hits ?? 0;
  const started = performance.now();
  for (const [i, photo] of photos.entries()) {
    const id = relative(root, photo.path);
    const face = await embedPrimaryFace(analyzer, photo.path, options.cache);
    if (!face) noFace.push(id);
    else {
      faces.push({ id, identity: photo.identity, embedding: face.embedding, quality: face.quality });
      if (face.fallback) fallback++;
      if (face.faces > 1) multiFace++;
    }
    options.onProgress?.(i + 1, photos.length);
  }
  return {
    faces,
    photos: photos.length,
    noFace,
    fallback,
    multiFace,
    seconds: (performance.now() - started) / 1000,
    cacheHits: (options.cache?.hits ?? 0) - hitsBefore,
    modelVersion: analyzer.modelVersion,
  };
}

export interface ClusterSettings {
  threshold: number;
  minClusterSize: number;
  minQuality: number;
  /** Further FaceClusterer options (a grouping candidate under evaluation); absent: the product's defaults. */
  clusterer?: Omit<FaceClustererOptions, 'threshold' | 'minClusterSize' | 'minQuality'>;
}

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  threshold: DEFAULT_THRESHOLD,
  minClusterSize: DEFAULT_MIN_CLUSTER_SIZE,
  minQuality: DEFAULT_MIN_QUALITY,
};

export interface ClusterScore {
  threshold: number;
  minClusterSize: number;
  minQuality: number;
  faces: number;
  /** Distinct folders among the faces clustered. */
  identities: number;
  /** People the product would show: clusters of at least minClusterSize faces. */
  people: number;
  /** Folders with at least minClusterSize faces: the people a perfect clustering would show. */
  identitiesWithPeople: number;
  /** Faces left in the Unsorted pool (small clusters and faces below the quality floor). */
  unsorted: number;
  /** Faces below the quality floor. */
  lowQuality: number;
  /** Predicted clusters counted for the metrics (every Unsorted face is its own singleton). */
  clusters: number;
  pairwise: PRF;
  bcubed: PRF;
  /** Seconds spent clustering. */
  clusterSeconds: number;
}

/**
 * Clusters the embedded faces and scores the result against the folders. Metrics use FaceClusterer's
 * `labels`: faces in clusters below the minimum size keep their raw cluster, faces below the quality floor
 * are singletons (they are claimed to belong with nobody).
 */
export function scoreClustering(
  faces: readonly EmbeddedFace[],
  settings: ClusterSettings,
  /** Reuses the k-NN graph between calls on the same faces (a sweep); absent: built every time. */
  graphs?: GraphCache,
): ClusterScore {
  const started = performance.now();
  const options = {
    ...settings.clusterer,
    threshold: settings.threshold,
    minClusterSize: settings.minClusterSize,
    minQuality: settings.minQuality,
  };
  const clusterer = graphs ? new CachedGraphClusterer(options, graphs) : new FaceClusterer(options);
  const result = clusterer.fit(
    faces.map((f) => ({ id: f.id, embedding: f.embedding, photoId: f.id, quality: f.quality })),
  );
  const clusterSeconds = (performance.now() - started) / 1000;
  const truth = faces.map((f) => f.identity);
  const scores = clusterScores(result.labels, truth);
  const folderSizes = new Map<string, number>();
  for (const t of truth) folderSizes.set(t, (folderSizes.get(t) ?? 0) + 1);
  return {
    ...settings,
    faces: faces.length,
    identities: scores.classes,
    people: result.clusters.length,
    identitiesWithPeople: [...folderSizes.values()].filter((n) => n >= settings.minClusterSize).length,
    unsorted: result.unsorted.length,
    lowQuality: faces.filter((f) => f.quality < settings.minQuality).length,
    clusters: scores.clusters,
    pairwise: scores.pairwise,
    bcubed: scores.bcubed,
    clusterSeconds,
  };
}

export function embedTree(
  analyzer: FaceAnalyzer,
  root: string,
  options: { cache?: EmbeddingCache; onProgress?: (done: number, total: number) => void } = {},
): Promise<EmbeddedTree> {
  return embedPhotos(analyzer, listIdentityTree(root), root, options);
}

/** Thresholds from..to (inclusive) in steps, rounded to avoid float drift (0.30000000000000004). */
export function thresholdRange(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; from + i * step <= to + 1e-9; i++) out.push(Math.round((from + i * step) * 1e6) / 1e6);
  return out;
}
