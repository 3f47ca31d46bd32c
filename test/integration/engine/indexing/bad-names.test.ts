/**
 * Issue 12 item 8: a photo file or folder whose name is not valid UTF-8 (Linux allows any bytes; Node shows
 * the bad bytes as U+FFFD) used to be skipped without a word: the walk's stat on the lossy name failed. Real
 * files with such names next to normal ones: the walk reports them (onBadName) without entering the folder,
 * the indexer stores them as failed photos with a plain reason, counts them as failed once, keeps them on later
 * runs (full or watch), never reports their folder as not reachable, and lets the normal photo index.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_NAME_DETAIL } from '../../../../src-main/engine/indexing/indexer.js';
import { walkPhotos, type BadName } from '../../../../src-main/engine/indexing/scan.js';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import {
  BAD_FOLDER,
  LATIN1_PHOTO,
  badNamesSupported,
  bytePath,
  lossy,
  makePhotoAt,
} from '../../../helpers/bad-names.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const supported = badNamesSupported();
if (!supported) console.warn('this file system refuses names that are not valid UTF-8: bad-name tests skipped');

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.runIf(supported)('names that are not valid UTF-8', () => {
  const root = join(tmp.dir, 'photos');
  const badFile = lossy(root, LATIN1_PHOTO);
  const badFolder = lossy(root, BAD_FOLDER);
  const good = join(root, 'good.jpg');
  let svc: LibraryService;
  const pipeline = new TestPipeline();

  beforeAll(async () => {
    await makePhoto(good, { seed: 1, faces: [{ cell: 0, identity: 1 }] });
    await makePhotoAt(root, [LATIN1_PHOTO], { seed: 2, faces: [{ cell: 5, identity: 2 }] });
    mkdirSync(bytePath(root, BAD_FOLDER));
    await makePhotoAt(root, [BAD_FOLDER, Buffer.from('inside.jpg')], { seed: 3 });
    // Ignored as before: a bad name that is not a photo, and a hidden folder with a bad name.
    writeFileSync(bytePath(root, Buffer.concat([Buffer.from('notes'), Buffer.from([0xe9]), Buffer.from('.txt')])), '');
    mkdirSync(bytePath(root, Buffer.concat([Buffer.from('.cache'), Buffer.from([0xff])])));
    svc = LibraryService.open(join(tmp.dir, 'library.db'));
    svc.addFolder(root);
  });

  afterAll(async () => {
    await svc?.close();
  });

  it('walkPhotos reports the bad names, does not enter the folder, and finds the normal photo', async () => {
    const found: string[] = [];
    const bad: BadName[] = [];
    const errors: string[] = [];
    for await (const f of walkPhotos(root, {
      onBadName: (b) => bad.push(b),
      onError: (p) => errors.push(p),
    }))
      found.push(f.path);
    expect(found).toEqual([good]);
    expect(errors).toEqual([]);
    expect(bad.map(({ path, kind }) => ({ path, kind })).sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: badFile, kind: 'file' },
      { path: badFolder, kind: 'folder' },
    ]);
    expect(bad.find((b) => b.kind === 'file')!.size).toBeGreaterThan(0); // stat'ed through the byte path
  });

  const rows = () =>
    svc.library.photos
      .list()
      .map((p) => `${p.id} ${p.path} ${p.status} ${p.size} ${p.mtimeMs} ${p.indexedAt} ${p.errorDetail ?? ''}`);

  it('lists both in errors with a plain reason; the normal photo indexes; no folder goes offline', async () => {
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 1, failed: 2, removed: 0, offline: 0, unreachable: [] });
    expect(svc.photoByPath(good)?.status).toBe('done');
    const errors = svc.errors();
    expect(errors.map((e) => [e.path, e.reason])).toEqual([
      [badFile, 'unreadable'],
      [badFolder, 'unreadable'],
    ]);
    expect(errors[0]!.detail).toContain(BAD_NAME_DETAIL.file);
    expect(errors[0]!.detail).toContain('rename the file');
    expect(errors[1]!.detail).toContain(BAD_NAME_DETAIL.folder);
    expect(svc.status().offline).toEqual({ photos: 0, folders: [] });
    expect(svc.status().photos).toMatchObject({ done: 1, error: 2, pending: 0, total: 3 });
  });

  it('a second run, and a watch run given the lossy paths, change nothing', async () => {
    const before = rows();
    const again = await svc.index(pipeline);
    expect(again).toMatchObject({ analysed: 0, failed: 0, removed: 0, unchanged: 3, offline: 0, unreachable: [] });
    expect(rows()).toEqual(before);
    const watched = await svc.index(pipeline, { paths: [badFile, badFolder] });
    expect(watched).toMatchObject({ failed: 0, removed: 0, offline: 0, unreachable: [] });
    expect(rows()).toEqual(before);
    expect(svc.status().offline).toEqual({ photos: 0, folders: [] });
  });

  it('once renamed, the photo indexes and its failure goes', async () => {
    renameSync(bytePath(root, LATIN1_PHOTO), join(root, 'café.jpg'));
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 1, failed: 0, removed: 1, offline: 0 });
    expect(svc.photoByPath(join(root, 'café.jpg'))?.status).toBe('done');
    expect(svc.errors().map((e) => e.path)).toEqual([badFolder]);
  });
});
