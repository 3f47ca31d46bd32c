import { mkdirSync, renameSync, rmSync, utimesSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../../../src-main/engine/indexing/progress.js';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { newLibraryCase } from '../../../helpers/library-case.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const setup = (): ReturnType<typeof newLibraryCase> => newLibraryCase(tmp.dir);

function faceCount(svc: LibraryService, path: string): number {
  const p = svc.photoByPath(path);
  return p ? svc.facesOfPhoto(p.id).length : -1;
}

describe('Indexer', () => {
  let svc: LibraryService;
  let root: string;
  beforeEach(async () => {
    ({ svc, root } = setup());
    await makePhoto(join(root, 'one.jpg'), {
      seed: 1,
      faces: [{ cell: 0, identity: 1 }],
      takenAt: '2021:05:06 07:08:09',
    });
    await makePhoto(join(root, 'two.png'), {
      seed: 2,
      faces: [
        { cell: 5, identity: 2 },
        { cell: 10, identity: 3 },
      ],
    });
    await makePhoto(join(root, 'sub', 'none.webp'), { seed: 3 });
    svc.addFolder(root);
  });

  it('indexes a folder: photos, faces, dimensions, EXIF date, progress', async () => {
    const pipeline = new TestPipeline();
    const progress: IndexProgress[] = [];
    const s = await svc.index(pipeline, { onProgress: (p) => progress.push(p) });
    expect(s).toMatchObject({ scanned: 3, analysed: 3, failed: 0, facesFound: 3 });
    expect(svc.status()).toMatchObject({ folders: 1, photos: { done: 3, total: 3, pending: 0, error: 0 }, faces: 3 });
    expect(svc.photoByPath(join(root, 'one.jpg'))).toMatchObject({
      width: 64,
      height: 64,
      takenAt: '2021-05-06T07:08:09',
      modelVersion: pipeline.modelVersion,
    });
    expect(svc.photoByPath(join(root, 'one.jpg'))!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(faceCount(svc, join(root, 'two.png'))).toBe(2);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ done: 3, total: 3, facesFound: 3, etaSeconds: 0 });
    expect(last.photosPerSecond).toBeGreaterThan(0);
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3]);
  });

  it('a second run skips unchanged files without decoding them', async () => {
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    const calls = pipeline.calls;
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ scanned: 3, unchanged: 3, analysed: 0 });
    expect(pipeline.calls).toBe(calls);
  });

  it('a touched file (mtime changed, same bytes) is confirmed by hash and not re-analysed', async () => {
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    const before = svc.photoByPath(join(root, 'one.jpg'))!;
    const faceIds = svc.facesOfPhoto(before.id).map((f) => f.id);
    utimesSync(join(root, 'one.jpg'), new Date(), new Date(Date.now() + 5000));
    const calls = pipeline.calls;
    const s = await svc.index(pipeline);
    expect(pipeline.calls).toBe(calls);
    expect(s).toMatchObject({ analysed: 0, unchanged: 3 });
    const after = svc.photoByPath(join(root, 'one.jpg'))!;
    expect(after.mtimeMs).not.toBe(before.mtimeMs);
    expect(svc.facesOfPhoto(after.id).map((f) => f.id)).toEqual(faceIds);
  });

  it('an edited file is re-processed', async () => {
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    await makePhoto(join(root, 'one.jpg'), {
      seed: 1,
      faces: [
        { cell: 0, identity: 1 },
        { cell: 15, identity: 4 },
      ],
    });
    utimesSync(join(root, 'one.jpg'), new Date(), new Date(Date.now() + 5000));
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 1, unchanged: 2 });
    expect(faceCount(svc, join(root, 'one.jpg'))).toBe(2);
    expect(svc.status().faces).toBe(4);
  });

  it('a renamed/moved file keeps its row and faces without re-analysis', async () => {
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    const before = svc.photoByPath(join(root, 'two.png'))!;
    const faceIds = svc.facesOfPhoto(before.id).map((f) => f.id);
    mkdirSync(join(root, 'moved'));
    renameSync(join(root, 'two.png'), join(root, 'moved', 'renamed.png'));
    const calls = pipeline.calls;
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ moved: 1, removed: 0, analysed: 0 });
    expect(pipeline.calls).toBe(calls);
    const after = svc.photoByPath(join(root, 'moved', 'renamed.png'))!;
    expect(after.id).toBe(before.id);
    expect(svc.facesOfPhoto(after.id).map((f) => f.id)).toEqual(faceIds);
    expect(svc.photoByPath(join(root, 'two.png'))).toBeUndefined();
    expect(svc.status().photos.total).toBe(3);
  });

  it('a copy is a new photo whose faces are reused; deleting the original then leaves the copy', async () => {
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    await makePhoto(join(root, 'copy.png'), {
      seed: 2,
      faces: [
        { cell: 5, identity: 2 },
        { cell: 10, identity: 3 },
      ],
    });
    const calls = pipeline.calls;
    let s = await svc.index(pipeline);
    expect(s).toMatchObject({ analysed: 0, reused: 1, moved: 0, facesFound: 2 });
    expect(pipeline.calls).toBe(calls);
    const original = svc.facesOfPhoto(svc.photoByPath(join(root, 'two.png'))!.id);
    const copy = svc.facesOfPhoto(svc.photoByPath(join(root, 'copy.png'))!.id);
    expect(copy.map((f) => f.box)).toEqual(original.map((f) => f.box));
    expect(copy.map((f) => f.id)).not.toEqual(original.map((f) => f.id));
    rmSync(join(root, 'two.png'));
    s = await svc.index(pipeline);
    expect(s).toMatchObject({ removed: 1, moved: 0 });
    expect(svc.status()).toMatchObject({ photos: { total: 3 }, faces: 3 });
  });

  it('a deleted photo leaves with its faces', async () => {
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    rmSync(join(root, 'two.png'));
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ removed: 1 });
    expect(svc.status()).toMatchObject({ photos: { total: 2 }, faces: 1 });
  });

  it('a missing library folder (unplugged drive) does not delete its photos', async () => {
    const pipeline = new TestPipeline();
    await svc.index(pipeline);
    renameSync(root, `${root}-away`);
    const s = await svc.index(pipeline);
    expect(s).toMatchObject({ scanned: 0, removed: 0 });
    expect(svc.status().photos.total).toBe(3);
    // Nor does a targeted (watcher) run for the vanished folder or one of its files.
    expect(await svc.index(pipeline, { paths: [root, join(root, 'one.jpg')] })).toMatchObject({ removed: 0 });
    expect(svc.status().photos.total).toBe(3);
    renameSync(`${root}-away`, root);
    expect(await svc.index(pipeline)).toMatchObject({ unchanged: 3, analysed: 0 });
  });

  it('records per-photo failures with a reason and carries on', async () => {
    writeFileSync(join(root, 'corrupt.jpg'), Buffer.from('\xff\xd8\xff\xe0 this is not really a jpeg', 'latin1'));
    writeFileSync(join(root, 'empty.png'), '');
    writeFileSync(join(root, 'text.gif'), 'GIF? no, plain text');
    writeFileSync(join(root, 'locked.jpg'), 'x');
    chmodSync(join(root, 'locked.jpg'), 0o000);
    const rootUser = process.getuid?.() === 0;
    const s = await svc.index(new TestPipeline());
    expect(s.analysed).toBe(3);
    const errors = Object.fromEntries(svc.errors().map((e) => [e.path.slice(root.length + 1), e.reason]));
    expect(errors['corrupt.jpg']).toMatch(/corrupt|unsupported/);
    expect(errors['empty.png']).toBe('empty');
    expect(errors['text.gif']).toMatch(/corrupt|unsupported/);
    // root reads anything, so there the locked file gets decoded and fails on its content instead.
    if (rootUser) expect(errors['locked.jpg']).toMatch(/corrupt|unsupported/);
    else expect(errors['locked.jpg']).toBe('unreadable');
    expect(svc.status().photos).toMatchObject({ done: 3, error: 4 });
    expect(svc.errors()[0]!.detail).toBeTruthy();
    // Failures are not retried while the file is unchanged.
    const again = await svc.index(new TestPipeline());
    expect(again).toMatchObject({ analysed: 0, failed: 0, unchanged: 7 });
  });

  it('a new model version re-analyses everything', async () => {
    await svc.index(new TestPipeline({ modelVersion: 'v1' }));
    const s = await svc.index(new TestPipeline({ modelVersion: 'v2' }));
    expect(s).toMatchObject({ analysed: 3 });
    expect(svc.photos().every((p) => p.modelVersion === 'v2')).toBe(true);
    expect(svc.status().faces).toBe(3);
  });

  it('nested library folders do not index a photo twice, and removing the inner one keeps its photos', async () => {
    svc.addFolder(join(root, 'sub'));
    await svc.index(new TestPipeline());
    expect(svc.status().photos.total).toBe(3);
    const r = svc.removeFolder(join(root, 'sub'));
    expect(r).toMatchObject({ photosKept: 1, photosRemoved: 0 });
    expect(svc.status().photos.total).toBe(3);
  });

  it('concurrency 1 and 4 give the same library', async () => {
    for (const concurrency of [1, 4]) {
      const { svc: s2, root: r2 } = setup();
      for (let i = 0; i < 8; i++)
        await makePhoto(join(r2, `p${i}.jpg`), { seed: i + 10, faces: [{ cell: i, identity: i % 8 }] });
      s2.addFolder(r2);
      await s2.index(new TestPipeline(), { concurrency });
      expect(s2.status()).toMatchObject({ photos: { done: 8 }, faces: 8 });
      await s2.close();
    }
  });

  it('stops taking photos when aborted; the next run finishes the job', async () => {
    const { svc: s2, root: r2 } = setup();
    for (let i = 0; i < 6; i++)
      await makePhoto(join(r2, `p${i}.jpg`), { seed: i + 30, faces: [{ cell: i, identity: 1 }] });
    s2.addFolder(r2);
    const controller = new AbortController();
    const s = await s2.index(new TestPipeline({ delayMs: 20 }), {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 2) controller.abort();
      },
    });
    expect(s).toMatchObject({ aborted: true, analysed: 2 });
    expect(s2.status().photos).toMatchObject({ done: 2, pending: 4 });
    expect(await s2.index(new TestPipeline())).toMatchObject({ aborted: false, analysed: 4, unchanged: 2 });
    await s2.close();
  });

  it('rejects a folder that does not exist', () => {
    expect(() => svc.addFolder(join(root, 'nope'))).toThrow(/not a folder/);
  });
});
