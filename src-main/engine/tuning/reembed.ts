/**
 * Re-embedding faces from their stored features (no image is decoded). Version 0 restores the pipeline's own
 * embedding (kept in faces.base_embedding while a tuned version is applied); version v > 0 writes
 * layer(features) and keeps the pipeline's embedding aside. versionEmbeddings computes the same vectors in
 * memory without writing (a forecast of what using the version would do).
 */
import { fromBlob, toBlob } from '../storage/blob.js';
import type { EmbeddingRepository, FeatureRow } from '../storage/embedding-repository.js';
import type { EmbeddingLayer } from '../../../training/embedding-layer.js';

const CHUNK = 1000;

type Row = FeatureRow;

/**
 * Brings the faces of `modelVersion` to `version` (layer: null for version 0). `onlyStale`: just the faces
 * whose embedding_version differs (faces indexed since). Returns how many faces were rewritten. Run inside
 * the caller's transaction.
 */
export function reembedFaces(
  store: EmbeddingRepository,
  modelVersion: string,
  version: number,
  layer: EmbeddingLayer | null,
  onlyStale = false,
): number {
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = store.featurePage(modelVersion, after, CHUNK, onlyStale ? version : undefined);
    if (rows.length === 0) break;
    after = (rows[rows.length - 1] as Row).id;
    if (!layer) {
      for (const r of rows) {
        store.write(r.id, r.base_embedding ?? r.embedding, null, 0);
        count++;
      }
      continue;
    }
    const usable = rows.filter((r) => r.features.byteLength === layer.inDim * 4);
    const embedded = layer.embedEach(usable.map((r) => fromBlob(r.features)));
    usable.forEach((r, i) => {
      store.write(r.id, toBlob(embedded[i] as Float32Array), r.base_embedding ?? r.embedding, version);
      count++;
    });
  }
  return count;
}

/**
 * True when reembedFaces(store, modelVersion, version, layer, true) would write anything: some face the layer can
 * read (every face for version 0) does not carry `version`'s vectors yet.
 */
export function hasStaleFaces(
  store: EmbeddingRepository,
  modelVersion: string,
  version: number,
  layer: EmbeddingLayer | null,
): boolean {
  let after = 0;
  for (;;) {
    const rows = store.featurePage(modelVersion, after, CHUNK, version);
    if (rows.length === 0) return false;
    if (!layer || rows.some((r) => r.features.byteLength === layer.inDim * 4)) return true;
    after = (rows[rows.length - 1] as Row).id;
  }
}

/**
 * The vectors reembedFaces(store, modelVersion, version, layer) would write, by face id, without writing them:
 * version 0 (layer null) the pipeline's own embedding; otherwise layer(features) for the faces whose features
 * the layer reads (the others keep their embedding, as reembedFaces leaves them).
 */
export function versionEmbeddings(
  store: EmbeddingRepository,
  modelVersion: string,
  layer: EmbeddingLayer | null,
): Map<number, Float32Array> {
  const out = new Map<number, Float32Array>();
  let after = 0;
  for (;;) {
    const rows = store.featurePage(modelVersion, after, CHUNK);
    if (rows.length === 0) break;
    after = (rows[rows.length - 1] as Row).id;
    if (!layer) {
      for (const r of rows) out.set(r.id, fromBlob(r.base_embedding ?? r.embedding));
      continue;
    }
    const usable = rows.filter((r) => r.features.byteLength === layer.inDim * 4);
    const embedded = layer.embedEach(usable.map((r) => fromBlob(r.features)));
    // Through the stored form (float32 bytes), so the forecast sees exactly the vectors a switch writes.
    usable.forEach((r, i) => out.set(r.id, fromBlob(toBlob(embedded[i] as Float32Array))));
  }
  return out;
}
