/**
 * End to end: one photo of every supported format (JPEG, PNG, WebP, AVIF, TIFF, GIF, a phone's HEIC turned by
 * its EXIF, RAW files of four containers: DNG, NEF, CR3, RAF), indexed by the real engine and pipeline, shown
 * in Debian's Chromium by `facenet serve`: the Library view counts them by format, the Photo view displays
 * every one of them (the app's WebP preview, at the photo's displayed shape), and every face thumbnail of
 * every photo loads in the People view. Screenshots go to test-results/formats/.
 * Skips (with the reason) without Chromium, heif-enc or ExifTool.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../src-main/app/engine-api.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { demoPhotos } from '../helpers/demo-photos.js';
import { everyFormatFolder, rawWithPreview, toolMissing } from '../helpers/format-fixtures.js';
import { hasShared, SHARED_DIR } from '../helpers/shared.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'formats');
const missing =
  (hasChromium() ? null : 'Chromium is not installed') ?? toolMissing('heif-enc') ?? toolMissing('exiftool');
if (missing) console.warn(`skipping the every-format UI test: ${missing}`);

/** Photos with faces: the group photos and a few identities of ../shared/faces, or the face-api demo photos. */
function sources(): string[] {
  if (!hasShared('faces/_group')) return demoPhotos();
  const group = join(SHARED_DIR, 'faces/_group');
  const faces = readdirSync(group)
    .sort()
    .map((f) => join(group, f));
  const one = join(SHARED_DIR, 'faces/celeba_07217');
  return [
    ...faces,
    ...readdirSync(one)
      .sort()
      .map((f) => join(one, f)),
  ];
}

describe.skipIf(missing !== null)('every format shows in Chromium', () => {
  const tmp = tempDir('facenet-formats-e2e-');
  let engine: EngineApi;
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let files: Record<string, string>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const dir = join(tmp.dir, 'photos');
    mkdirSync(dir);
    files = await everyFormatFolder(dir, sources());
    // RAW+JPEG shooting (one photo: the JPEG is indexed) and a video (skipped), as a camera card holds them.
    copyFileSync(files.JPEG!, join(dir, 'pair.jpg'));
    await rawWithPreview(files.JPEG!, join(dir, 'pair.nef'), { orientation: 1 });
    files['JPEG of a RAW+JPEG pair'] = join(dir, 'pair.jpg');
    writeFileSync(join(dir, 'clip.mov'), Buffer.alloc(2048, 1));
    engine = EngineApi.open(join(tmp.dir, 'library.sqlite'), { cacheDir: join(tmp.dir, 'cache') });
    await engine.addFolder({ path: dir });
    await engine.startIndexing();
    // Wait for the run to finish (no expect.poll outside a test).
    for (let waited = 0; ; waited += 500) {
      const status = await engine.status();
      if (status.indexing === null && status.photos.pending === 0) break;
      if (waited > 300_000) throw new Error('indexing did not finish in 5 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    // One grouping of everything indexed (the threshold that separates dlib identities, as in review-flow).
    await engine.recluster({ threshold: 0.25 });
    app = await openApp(engine, { width: 1200, height: 860 }, pageErrors);
    page = app.page;
    server = app.server;
  }, 400_000);

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('counts the photos by format in the Library view and says what it skipped, with no photo failed', async () => {
    expect(await engine.listErrors()).toEqual([]);
    const status = await engine.status();
    expect(status.photos).toMatchObject({ done: Object.keys(files).length, error: 0, pending: 0 });
    await page.goto(`${server.url}#/library`);
    const formats = page.getByTestId('library-formats');
    await formats.waitFor();
    expect(await formats.textContent()).toMatch(
      /^(?=.*4 RAW)(?=.*1 HEIC)(?=.*2 JPEG)(?=.*1 PNG)(?=.*1 WebP)(?=.*1 AVIF)(?=.*1 TIFF)(?=.*1 GIF)/,
    );
    const skipped = page.getByTestId('library-skipped');
    expect(await skipped.textContent()).toContain('1 video: not photos, skipped');
    expect(await skipped.textContent()).toContain('1 RAW file with a JPEG or HEIC of the same name');
    await page.screenshot({ path: join(SHOTS, 'library.png'), fullPage: true });
  });

  it('shows every photo in the Photo view as the app-made preview, turned as it is meant to be seen', async () => {
    const total = Object.keys(files).length;
    const byPath = new Map(Object.entries(files).map(([format, path]) => [basename(path), format]));
    for (let id = 1; id <= total; id++) {
      const format = byPath.get(basename(engine.photoFile(id)))!;
      const photo = await engine.getPhoto({ photoId: id });
      const preview = page.waitForResponse((r) => new URL(r.url()).pathname === `/photo/${id}`);
      await page.goto(`${server.origin}/#/photo/${id}`);
      const response = await preview;
      expect(response.headers()['content-type'], format).toBe('image/webp');
      const img = page.getByTestId('photo-stage').locator('img');
      await expect
        .poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), { timeout: 30_000 })
        .toBe(true);
      const natural = await img.evaluate((i: HTMLImageElement) => ({ w: i.naturalWidth, h: i.naturalHeight }));
      // The preview has the photo's displayed shape (a missed turn would swap it) and the large bucket's size.
      expect(Math.abs(natural.w / natural.h - photo.width / photo.height), format).toBeLessThan(0.02);
      expect(Math.max(natural.w, natural.h), format).toBe(Math.min(2048, Math.max(photo.width, photo.height)));
      expect(photo.faces.length, `${format}: faces found`).toBeGreaterThan(0);
      await page.screenshot({ path: join(SHOTS, `photo-${format.replace(/\W+/g, '-').toLowerCase()}.png`) });
    }
  }, 300_000);

  it('loads every face thumbnail of every format in the People view', async () => {
    await page.goto(`${server.origin}/#/people`);
    await page.locator('.person-card').first().waitFor({ timeout: 60_000 });
    const imgs = page.locator('.person-card img');
    await expect
      .poll(() => imgs.evaluateAll((all: HTMLImageElement[]) => all.every((i) => i.complete && i.naturalWidth > 0)), {
        timeout: 60_000,
      })
      .toBe(true);
    // Every face of every photo has a thumbnail the browser decodes (HEIC and RAW ones made by the engine).
    const faceIds: number[] = [];
    for (let id = 1; id <= Object.keys(files).length; id++)
      faceIds.push(...(await engine.getPhoto({ photoId: id })).faces.map((f) => f.id));
    const sizes = await page.evaluate(async (ids) => {
      const out: number[] = [];
      for (const id of ids) {
        const r = await fetch(`/thumb/${id}`);
        const bitmap = await createImageBitmap(await r.blob());
        out.push(r.ok ? bitmap.width : 0);
      }
      return out;
    }, faceIds);
    expect(sizes.every((w) => w === 160)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'people.png') });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
