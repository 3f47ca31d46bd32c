/**
 * `npx tsx test/bench/tune-library.bench.ts [--seed 1] [--out <db>]`: a real-faces library for trying
 * `facenet tune` / `facenet models` end to end without decoding images: every celeba-people photo from the
 * stored features (tune-features.ts; extracted on the first run) becomes a
 * photo with one face (features as cached, embedding = shipped layer); per person 10 random faces (split
 * seed as in tune-protocol.bench.ts) are confirmed for a named person, the other 10 are left unassigned.
 * Prints the database path. Then: `npx tsx src-main/hosts/cli/main.ts tune --json --library <db>`.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Library } from '../../src-main/engine/storage/library.js';
import { Rng } from '../../src-shared/random.js';
import { loadShippedLayer } from '../../models/convert/faceapi/shipped-layer.js';
import { SHARED_DIR } from '../helpers/shared.js';
import { confirmStoredFace, insertStoredFace } from '../helpers/stored-face.js';
import { celebaPeople } from '../helpers/tune-features.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
const seed = Number(values.seed);
const out = values.out ?? join(tmpdir(), 'facenet-tune-lib', `celeba-split${seed}.db`);
for (const suffix of ['', '-wal', '-shm']) if (existsSync(out + suffix)) rmSync(out + suffix);
const { byPerson } = await celebaPeople();
const shipped = loadShippedLayer();
const lib = Library.open(out);
const rng = new Rng(1000 + seed);
const now = Date.now();
lib.transaction(() => {
  const folder = lib.folders.add(join(SHARED_DIR, 'celeba-people'), now);
  for (const [person, photos] of byPerson) {
    const personId = lib.people.create(person, now);
    rng.shuffle([...photos]).forEach((photo, i) => {
      const id = lib.photos.upsertFile({
        folderId: folder.id,
        path: join(SHARED_DIR, photo.path),
        size: 1,
        mtimeMs: 1,
      });
      lib.photos.markDone(id, {
        contentHash: photo.path,
        width: 178,
        height: 218,
        takenAt: null,
        modelVersion: 'celeba-cache',
        indexedAt: now,
      });
      const faceId = insertStoredFace(
        lib,
        id,
        {
          box: { x: 40, y: 60, width: 100, height: 100 },
          embedding: shipped.embedEach([photo.features])[0] as Float32Array,
          features: photo.features,
        },
        'celeba-cache',
        now,
      );
      if (i < 10) confirmStoredFace(lib, faceId, personId, now);
    });
  }
});
lib.close();
console.log(out);
