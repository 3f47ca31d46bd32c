/**
 * A real SQLite library of synthetic identities for the people-service property tests: `identities` random
 * unit centres in 16 dimensions, `perIdentity` faces around each (Gaussian spread), stored as indexed faces
 * the way the indexer stores them. Seeded, so fast-check can shrink and replay a counter-example.
 */
import { join } from 'node:path';
import { LibraryService } from '../../src-main/engine/library/library-service.js';
import { Rng } from '../../src-shared/random.js';
import { insertStoredFace } from './stored-face.js';

const DIM = 16;

export interface IdentityClusters {
  seed: number;
  identities: number;
  perIdentity: number;
  spread: number;
  /** Every third face shares the previous face's photo (group photos: two faces that cannot be one person). */
  groupPhotos: boolean;
}

/** Opens a new library file `file` in `dir` holding the faces; the caller closes it. */
export function identityClustersLibrary(dir: string, file: string, plan: IdentityClusters): LibraryService {
  const svc = LibraryService.open(join(dir, file));
  const lib = svc.library;
  const rng = new Rng(plan.seed);
  const g = () => rng.normal();
  lib.transaction(() => {
    const folder = lib.folders.add(dir);
    let photo = 0;
    for (let c = 0; c < plan.identities; c++) {
      const centre = Array.from({ length: DIM }, () => g());
      for (let s = 0; s < plan.perIdentity; s++) {
        const v = centre.map((x) => x + plan.spread * g());
        const n = Math.hypot(...v);
        const embedding = Float32Array.from(v, (x) => x / n);
        if (!plan.groupPhotos || s % 3 !== 2) photo++;
        const path = join(dir, `${file}-photo${photo}.jpg`);
        const photoId = lib.photos.upsertFile({ folderId: folder.id, path, size: 1, mtimeMs: 1 });
        lib.photos.markDone(photoId, {
          contentHash: `hash${photo}`,
          width: 100,
          height: 100,
          takenAt: null,
          modelVersion: 'synthetic',
          indexedAt: 1,
        });
        insertStoredFace(
          lib,
          photoId,
          { box: { x: 10 * s, y: 0, width: 10, height: 10 }, embedding, features: embedding },
          'synthetic',
        );
      }
    }
  });
  return svc;
}
