/**
 * Issue 12 item 1: a folder that is empty or unreadable for one run must not delete its photos. Real folders:
 * the library folder is emptied (its files moved away), or a subfolder is made unreadable. Tests run as root
 * here, where chmod 000 does not stop reads; then the subfolder is replaced by a dangling symbolic link (what a
 * link to an unmounted drive looks like) instead, and separately by a plain file (readdir fails with ENOTDIR).
 * After each, indexing must report the folder as not reachable, keep every photo, face, person and decision,
 * and once the folder is back, leave everything exactly as before.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { IndexSummary } from '../../../../src-main/engine/indexing/indexer.js';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

let n = 0;
let base: string;
let root: string;
let svc: LibraryService;
const pipeline = new TestPipeline();

/** Every face with its photo, box, person name and assignment, the decisions and the people: by id. */
function snapshot(): unknown {
  const lib = svc.library;
  const name = (id: number | null) => (id === null ? '-' : (lib.people.get(id)?.name ?? `#${id}`));
  return {
    photos: lib.photos.list().map((p) => `${p.id} ${p.path.slice(base.length)} ${p.status}`),
    faces: [...lib.faces.iterateAll()].map(
      (f) => `${f.id} photo ${f.photoId} @${f.box.x},${f.box.y} ${name(f.personId)} ${f.assignment}`,
    ),
    decisions: lib.decisions.list().map((d) => `${d.faceId} ${name(d.personId)} ${d.decision}`),
    people: lib.people.list().map((p) => `${p.id} ${p.name}`),
    orphans: lib.decisions.orphanCount(),
  };
}

beforeEach(async () => {
  base = join(tmp.dir, `case-${n++}`);
  root = join(base, 'photos');
  mkdirSync(root, { recursive: true });
  await makePhoto(join(root, 'family.jpg'), { seed: 1, faces: [{ cell: 0, identity: 1 }] });
  await makePhoto(join(root, 'trip', 'beach.jpg'), { seed: 2, faces: [{ cell: 5, identity: 2 }] });
  await makePhoto(join(root, 'trip', 'hike.jpg'), { seed: 3, faces: [{ cell: 10, identity: 2 }] });
  svc = LibraryService.open(join(base, 'library.db'));
  svc.addFolder(root);
  await svc.index(pipeline);
  // Ada: a confirmed face (a decision). Bob: named, with automatically grouped faces only.
  const lib = svc.library;
  const face = (file: string) => lib.faces.listByPhoto(svc.photoByPath(join(root, file))!.id)[0]!;
  const ada = lib.people.create('Ada');
  const bob = lib.people.create('Bob');
  lib.decisions.record(face('family.jpg').id, ada, 'confirmed');
  lib.faces.setPerson(face('family.jpg').id, ada, 'confirmed');
  lib.faces.setPerson(face('trip/beach.jpg').id, bob, 'auto');
  lib.faces.setPerson(face('trip/hike.jpg').id, bob, 'auto');
});

afterAll(async () => {
  await svc?.close();
});

/** Runs the index, asserts nothing was lost and the folder was reported, restores, asserts all is as before. */
async function expectKeptWhile(unreachable: string, restore: () => void): Promise<void> {
  const before = snapshot();
  const s = await svc.index(pipeline);
  expect(s).toMatchObject({ removed: 0, decisionsOrphaned: 0, unreachable: [unreachable] });
  expect(s.offline).toBeGreaterThan(0);
  expect(snapshot()).toEqual(before);
  expect(svc.status().offline).toEqual({ photos: s.offline, folders: [unreachable] });
  // A second run while it is still unreachable changes nothing either.
  expect(await svc.index(pipeline)).toMatchObject({ removed: 0, unreachable: [unreachable] });
  restore();
  const back = await svc.index(pipeline);
  expect(back).toMatchObject({ removed: 0, analysed: 0, unreachable: [], offline: 0 });
  expect(snapshot()).toEqual(before);
  expect(svc.status().offline).toEqual({ photos: 0, folders: [] });
}

describe('a folder that is not reachable keeps its photos', () => {
  it('the library folder suddenly empty (unmounted drive: empty mount point)', async () => {
    const away = join(base, 'away');
    renameSync(root, away);
    mkdirSync(root);
    await expectKeptWhile(root, () => {
      rmSync(root, { recursive: true });
      renameSync(away, root);
    });
  });

  it('the library folder missing', async () => {
    const away = join(base, 'away');
    renameSync(root, away);
    await expectKeptWhile(root, () => renameSync(away, root));
  });

  it('an unreadable subfolder (chmod 000, or as root a dangling link where it was)', async () => {
    const sub = join(root, 'trip');
    const away = join(base, 'trip-away');
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      renameSync(sub, away);
      symlinkSync(join(base, 'unmounted-drive', 'trip'), sub);
    } else {
      chmodSync(sub, 0o000);
    }
    await expectKeptWhile(sub, () => {
      if (asRoot) {
        rmSync(sub);
        renameSync(away, sub);
      } else {
        chmodSync(sub, 0o755);
      }
    });
  });

  it('a subfolder replaced by a file (readdir fails)', async () => {
    const sub = join(root, 'trip');
    const away = join(base, 'trip-away');
    renameSync(sub, away);
    writeFileSync(sub, 'not a folder');
    await expectKeptWhile(sub, () => {
      rmSync(sub);
      renameSync(away, sub);
    });
  });

  it('photos deleted from a readable folder, or a deleted or emptied subfolder, are removed as before', async () => {
    rmSync(join(root, 'trip', 'hike.jpg'));
    expect(await svc.index(pipeline)).toMatchObject({ removed: 1, unreachable: [], offline: 0 });
    rmSync(join(root, 'trip', 'beach.jpg')); // 'trip' is left empty: a subfolder, so the user emptied it
    expect(await svc.index(pipeline)).toMatchObject({ removed: 1, unreachable: [], offline: 0 });
    await makePhoto(join(root, 'album', 'x.jpg'), { seed: 9 });
    await svc.index(pipeline);
    rmSync(join(root, 'album'), { recursive: true });
    expect(await svc.index(pipeline)).toMatchObject({ removed: 1, unreachable: [], offline: 0 });
    expect(svc.status().photos.total).toBe(1);
  });

  it('photos moved out of an unreachable-looking library folder still move', async () => {
    const other = join(base, 'other');
    mkdirSync(other);
    svc.addFolder(other);
    renameSync(join(root, 'family.jpg'), join(other, 'family.jpg'));
    renameSync(join(root, 'trip'), join(other, 'trip'));
    const before = snapshot();
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ moved: 3, removed: 0, offline: 0, unreachable: [] });
    expect(JSON.stringify(snapshot())).toEqual(JSON.stringify(before).replaceAll('/photos/', '/other/'));
  });

  it('removing the library folder removes its offline photos', async () => {
    renameSync(root, join(base, 'away'));
    expect(await svc.index(pipeline)).toMatchObject({ removed: 0, offline: 3 });
    svc.removeFolder(root);
    expect(svc.status()).toMatchObject({ photos: { total: 0 }, offline: { photos: 0, folders: [] } });
  });

  it('watch mode: the library folder emptied while watched keeps its photos', async () => {
    const before = snapshot();
    const watcher = svc.watch(pipeline, { debounceMs: 150, writeStabilityMs: 100 });
    try {
      await new Promise<void>((r) => watcher.once('ready', () => r()));
      const runs: IndexSummary[] = [];
      watcher.on('indexed', (s) => runs.push(s));
      const away = join(base, 'away');
      mkdirSync(away);
      renameSync(join(root, 'family.jpg'), join(away, 'family.jpg'));
      renameSync(join(root, 'trip'), join(away, 'trip'));
      const deadline = Date.now() + 10_000;
      while (!runs.some((r) => r.unreachable.includes(root)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      await watcher.flush();
      expect(runs.some((r) => r.unreachable.includes(root))).toBe(true);
      expect(runs.reduce((a, r) => a + r.removed, 0)).toBe(0);
      expect(snapshot()).toEqual(before);
      expect(svc.status().offline.photos).toBe(3);
    } finally {
      await watcher.close();
    }
  });
});
