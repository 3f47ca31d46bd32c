/**
 * One library folder with a photo of every supported format, a RAW+JPEG pair and a video: every photo indexes
 * (the engine's own decoder), the status counts them by format, the video and the paired RAW are listed as
 * skipped with the reason (never as errors), and the pair's faces are counted once. `facenet status` says it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { facenet } from '../../../helpers/facenet-cli.js';
import { heicFrom, rawWithPreview, sharpCopy, toolMissing } from '../../../helpers/format-fixtures.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';

const missing = toolMissing('heif-enc') ?? toolMissing('exiftool');
if (missing) console.warn(`skipping the every-format library test: ${missing}`);

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.skipIf(missing !== null)('a library of every format', () => {
  const dir = join(tmp.dir, 'photos');
  const db = join(tmp.dir, 'lib.db');
  let svc: LibraryService;

  beforeAll(async () => {
    mkdirSync(dir);
    const drawn = join(tmp.dir, 'drawn');
    mkdirSync(drawn);
    // Each photo shows one "face" (test pipeline: a red grid cell) of its own identity.
    const face = async (name: string, identity: number): Promise<string> => {
      const p = join(drawn, name);
      await makePhoto(p, { size: 128, seed: identity, faces: [{ cell: identity, identity }] });
      return p;
    };
    await makePhoto(join(dir, 'a.jpg'), { size: 128, faces: [{ cell: 1, identity: 1 }] });
    await sharpCopy(await face('b.jpg', 2), join(dir, 'b.png'));
    await sharpCopy(await face('c.jpg', 3), join(dir, 'c.webp'));
    await sharpCopy(await face('d.jpg', 4), join(dir, 'd.tif'));
    await sharpCopy(await face('e.jpg', 5), join(dir, 'e.gif'));
    await sharpCopy(await face('f.jpg', 6), join(dir, 'f.avif'));
    await heicFrom(await face('g.jpg', 7), join(dir, 'g.heic'));
    await rawWithPreview(await face('h.jpg', 8), join(dir, 'h.nef'), { orientation: 1 });
    // RAW+JPEG shooting: the same picture twice under one name.
    const pair = await face('IMG_0001.jpg', 9);
    await makePhoto(join(dir, 'IMG_0001.JPG'), { size: 128, seed: 9, faces: [{ cell: 9, identity: 9 }] });
    await rawWithPreview(pair, join(dir, 'IMG_0001.CR2'), { orientation: 1 });
    writeFileSync(join(dir, 'clip.mp4'), Buffer.alloc(4096, 7));
    writeFileSync(join(dir, 'scan.jxl'), Buffer.from([0xff, 0x0a, 1, 2, 3]));
    svc = LibraryService.open(db);
    svc.addFolder(dir);
  });

  afterAll(async () => {
    await svc.close();
  });

  it('indexes every photo, counts them by format and lists the skipped files with the reason', async () => {
    const summary = await svc.index(new TestPipeline({ decoder: 'engine' }));
    expect(svc.errors()).toEqual([]);
    expect(summary).toMatchObject({ analysed: 9, failed: 0 });
    const status = svc.status();
    expect(Object.fromEntries(status.formats.map((f) => [f.format, f.photos]))).toEqual({
      JPEG: 2,
      PNG: 1,
      WebP: 1,
      TIFF: 1,
      GIF: 1,
      AVIF: 1,
      HEIC: 1,
      RAW: 1,
    });
    expect(status.skipped).toEqual([
      { reason: 'video', files: 1, examples: [join(dir, 'clip.mp4')] },
      { reason: 'raw-with-jpeg', files: 1, examples: [join(dir, 'IMG_0001.CR2')] },
      { reason: 'jpeg-xl', files: 1, examples: [join(dir, 'scan.jxl')] },
    ]);
    // One face per photo: the pair's picture is counted once.
    expect(status.faces).toBe(9);
    expect(svc.photos().map((p) => p.path)).not.toContain(join(dir, 'IMG_0001.CR2'));
  });

  it('`facenet status` says the counts by format and what was skipped, in plain words', () => {
    const r = facenet(['status', '--library', db]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^formats +2 JPEG, 1 AVIF, 1 GIF, 1 HEIC, 1 PNG, 1 RAW, 1 TIFF, 1 WebP$/m);
    expect(r.stdout).toMatch(/^skipped +1 video: not photos, skipped$/m);
    expect(r.stdout).toMatch(/^skipped +1 JPEG XL photo: this version cannot read JPEG XL, skipped$/m);
    expect(r.stdout).toMatch(/^skipped +1 RAW file with a JPEG or HEIC of the same name: the JPEG or HEIC is indexed/m);
  });

  it('indexes the RAW once its JPEG is gone', async () => {
    rmSync(join(dir, 'IMG_0001.JPG'));
    const summary = await svc.index(new TestPipeline({ decoder: 'engine' }));
    expect(summary).toMatchObject({ analysed: 1, removed: 1, failed: 0 });
    expect(svc.status().skipped.map((k) => k.reason)).toEqual(['video', 'jpeg-xl']);
    expect(svc.status().faces).toBe(9);
  });
});
