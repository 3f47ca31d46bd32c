/**
 * Round trip with the real ONNX face pipeline on a few ../shared/faces photos: faces named in one library,
 * exported as XMP sidecars, imported into a fresh library (indexed with the same pipeline) give the same
 * named people, matched to the detected faces; a face the user drew is embedded again from its region.
 * Then `facenet import xmp --index` does the same into a new library from the command line. Skips with a message when ../shared/faces is absent.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../../../src-main/app/engine-api.js';
import { hasShared, SHARED_DIR } from '../../../helpers/shared.js';
import { tempDir } from '../../../helpers/tmp.js';
import { fingerprint, namedPeople } from '../../../helpers/interop-library.js';

const IDENTITIES = ['celeba_07218', 'celeba_07221'];
const PER_IDENTITY = 2;
const present = hasShared('faces/celeba_07218');
const tmp = tempDir('export-real-');
afterAll(() => tmp.cleanup());
const root = join(tmp.dir, 'photos');
const files: string[] = [];

async function indexed(db: string, root: string): Promise<EngineApi> {
  const api = EngineApi.open(db);
  await api.addFolder({ path: root });
  await api.startIndexing();
  await api.whenIdle();
  return api;
}

describe.skipIf(!present)('export -> import round trip with the real face pipeline', () => {
  it('reproduces the named people in a fresh library', async () => {
    for (const id of IDENTITIES) {
      mkdirSync(join(root, id), { recursive: true });
      for (const f of readdirSync(join(SHARED_DIR, 'faces', id))
        .sort()
        .slice(0, PER_IDENTITY)) {
        copyFileSync(join(SHARED_DIR, 'faces', id, f), join(root, id, f));
        files.push(join(root, id, f));
      }
    }
    const before = fingerprint(files);
    const first = await indexed(join(tmp.dir, 'first.db'), root);
    let expected: Record<string, string[]>;
    try {
      // Name each identity by hand (a confirmed move of its faces), independent of the clustering threshold.
      const lib = first.library.library;
      for (const id of IDENTITIES) {
        const faceIds = [...lib.faces.iterateAll()]
          .filter((f) => basename(dirname(lib.photos.get(f.photoId)!.path)) === id)
          .map((f) => f.id);
        expect(faceIds).toHaveLength(PER_IDENTITY);
        await first.moveFaces({ faceIds, to: { newPerson: true, name: `Name of ${id}` } });
      }
      // A face the user drew where the detector found none: the import has to embed it again.
      const photoId = lib.photos.getByPath(files[0]!)!.id;
      await first.addManualFace({
        photoId,
        box: { x: 2, y: 2, width: 64, height: 64 },
        to: { newPerson: true, name: 'Drawn' },
      });
      expected = namedPeople(first);
      expect(expected.Drawn).toEqual([`${basename(files[0]!)}@2,2,64,64`]);
      const r = await first.exportPeople({ format: 'xmp', sidecar: 'photo.xmp' });
      expect(r).toMatchObject({ people: 3, photos: files.length, faces: files.length + 1, errors: [] });
    } finally {
      await first.close();
    }
    const fresh = await indexed(join(tmp.dir, 'fresh.db'), root);
    try {
      const r = await fresh.importXmp({ folders: [root] });
      expect(r).toMatchObject({ regions: files.length + 1, matched: files.length, created: 1, newPeople: 3 });
      expect(r.conflicts).toEqual([]);
      expect(namedPeople(fresh)).toEqual(expected);
    } finally {
      await fresh.close();
    }
    expect(fingerprint(files)).toEqual(before);
  });

  it('facenet import xmp --index: indexes a new library, then imports the sidecars', async () => {
    const bin = fileURLToPath(new URL('../../../../bin/facenet.js', import.meta.url));
    const db = join(tmp.dir, 'cli.db');
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'import',
      'xmp',
      root,
      '--index',
      '--sidecar',
      'photo.xmp',
      '--library',
      db,
    ]);
    expect(stdout).toContain(
      `read ${files.length + 1} named face regions in ${files.length} of ${files.length} indexed`,
    );
    expect(stdout).toContain(
      `${files.length} matched to detected faces, 1 new faces, 0 already confirmed; 3 people (3 new)`,
    );
    const api = EngineApi.open(db);
    try {
      expect((await api.listPeople({})).filter((p) => p.name !== null).map((p) => p.name)).toEqual([
        'Drawn',
        ...IDENTITIES.map((id) => `Name of ${id}`),
      ]);
    } finally {
      await api.close();
    }
  });
});
