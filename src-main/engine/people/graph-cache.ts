/**
 * The k-NN graph is most of the cost of a clustering run, and it depends only on the faces (ids are
 * immutable rows: a re-analysed face gets a new id), not on the threshold or the user's decisions. The
 * people service keeps the last graph and reuses it while the set of clustered faces is the same, so that
 * threshold previews (a slider) and repeated re-clusters cost only the agglomeration.
 */
import { FaceClusterer, type FaceClustererOptions } from './clusterer.js';
import type { FaceId, PackedFaces } from './faces.js';
import type { KnnGraph } from './knn.js';

export class GraphCache {
  private key: string | null = null;
  private graph: KnnGraph | null = null;
  hits = 0;

  /** The cached graph when `faces` (same ids, same order, same k) is the set it was built for. */
  get(faces: PackedFaces, k: number, build: () => KnnGraph): KnnGraph {
    const key = `${k}:${signature(faces.ids)}`;
    if (this.key === key && this.graph) {
      this.hits++;
      return this.graph;
    }
    const graph = build();
    this.key = key;
    this.graph = graph;
    return graph;
  }

  clear(): void {
    this.key = null;
    this.graph = null;
  }
}

/** Order-sensitive signature of an id list (count + two 32-bit FNV-style hashes). */
function signature(ids: readonly FaceId[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const id of ids) {
    const s = String(id);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 + c, 0x5bd1e995) >>> 0;
    }
    h1 = Math.imul(h1 ^ 0x2c, 0x01000193) >>> 0;
    h2 = (h2 ^ (h2 >>> 13)) >>> 0;
  }
  return `${ids.length}:${h1.toString(16)}:${h2.toString(16)}`;
}

/** FaceClusterer whose k-NN graph comes from (and goes to) a GraphCache. */
export class CachedGraphClusterer extends FaceClusterer {
  constructor(
    options: FaceClustererOptions,
    private readonly cache: GraphCache,
  ) {
    super(options);
  }

  override knnGraph(faces: PackedFaces): KnnGraph {
    return this.cache.get(faces, this.k, () => super.knnGraph(faces));
  }
}
