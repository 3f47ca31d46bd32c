/**
 * End to end, as a user: `facenet serve` (in process, the real EngineApi and the real ONNX pipeline) on a
 * library built from a subset of ../shared/faces in a temp folder, driven in Debian's Chromium:
 * add the folder, watch indexing, see people appear, rename, merge, split (move faces out to a new person),
 * reject a face, undo, preview a threshold on the ROC page, open a photo and draw a box around a face.
 * Assertions are on what the page shows. Screenshots go to test-results/e2e/.
 * Skips (with the reason) without ../shared/faces or Chromium.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../src-main/app/engine-api.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { hasShared, SHARED_DIR } from '../helpers/shared.js';
import { tempDir } from '../helpers/tmp.js';

const IDENTITIES = 8;
const PER_IDENTITY = 4;
/** The engine's default (1.1) puts every dlib face in one person; 0.25 separates these 8 identities. */
const THRESHOLD = 0.25;
const SHOTS = join(REPO, 'test-results', 'e2e');
const enabled = hasShared('faces') && hasChromium();

/** 8 identities x 4 photos + 2 group photos + 1 photo without a face, copied to `dir` (never into the repo). */
function buildPhotoFolder(dir: string): number {
  const faces = join(SHARED_DIR, 'faces');
  const ids = readdirSync(faces)
    .filter((d) => d.startsWith('celeba_'))
    .sort()
    .slice(0, IDENTITIES);
  let n = 0;
  const take = (sub: string, count: number): void => {
    const target = join(dir, sub);
    mkdirSync(target, { recursive: true });
    for (const f of readdirSync(join(faces, sub)).sort().slice(0, count)) {
      copyFileSync(join(faces, sub, f), join(target, f));
      n++;
    }
  };
  for (const id of ids) take(id, PER_IDENTITY);
  take('_group', 2);
  take('_noface', 1);
  return n;
}

describe.skipIf(!enabled)('review flow in Chromium against facenet serve (real engine)', () => {
  const tmp = tempDir('facenet-e2e-');
  let engine: EngineApi;
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let photos = 0;
  const pageErrors: string[] = [];

  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  const count = async (testId: string): Promise<number> => {
    const text = (await page.getByTestId(testId).textContent()) ?? '';
    return Number(/(\d+)/.exec(text)?.[1] ?? NaN);
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const photoDir = join(tmp.dir, 'photos');
    photos = buildPhotoFolder(photoDir);
    engine = EngineApi.open(join(tmp.dir, 'library.sqlite'), { assignIntervalMs: 3000 });
    app = await openApp(engine, { width: 1280, height: 860 }, pageErrors);
    page = app.page;
    server = app.server;
  });

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('indexes, shows people, and lets the user review them', { timeout: 900_000 }, async () => {
    // ---- Settings first: the clustering threshold for the dlib embedder (same person ~0.1, others ~0.35).
    await page.goto(`${server.url}#/settings`);
    await expect.poll(() => page.url()).not.toContain('token='); // the token leaves the address bar
    await page.getByLabel('How strict grouping is').fill((THRESHOLD - 0.01).toFixed(2));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved\./).waitFor();

    // ---- Library: add the folder; indexing starts and shows its progress.
    await page.getByRole('link', { name: 'Library' }).click();
    await page.getByLabel('Folder path').fill(join(tmp.dir, 'photos'));
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.locator('.folder-list .path').first().waitFor();
    await page
      .getByTestId('index-progress')
      .getByText(new RegExp(`/ ${photos}`))
      .waitFor({ timeout: 120_000 });
    await shot('01-library-indexing');

    // ---- Wait for indexing to finish: every photo done or failed, none pending, and the sidebar idle.
    await page.waitForFunction(
      (total) => {
        const m = /(\d+) done · (\d+) pending · (\d+) failed/.exec(
          document.querySelector('[data-testid=library-counts]')?.textContent ?? '',
        );
        const idle = document.querySelector('.sidebar-progress')?.textContent?.includes('Idle') ?? false;
        return !!m && Number(m[1]) + Number(m[3]) === total && m[2] === '0' && idle;
      },
      photos,
      { timeout: 840_000, polling: 1000 },
    );
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.locator('.person-card').first().waitFor({ timeout: 60_000 });
    await shot('02-people-while-indexing');

    // ---- Tune the threshold up one step and apply it: a full re-clustering of everything indexed (while
    // indexing, new faces are only voted into the people that exist, so the grouping depends on timing).
    await page.getByRole('link', { name: 'Threshold' }).click();
    const tuning = page.getByRole('slider', { name: /^How strict grouping is/ });
    await tuning.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('threshold-value').textContent()).toBe(THRESHOLD.toFixed(2));
    await page
      .getByTestId('threshold-preview')
      .getByText(/people \(now \d+\)/)
      .waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(new RegExp(`^Applied ${THRESHOLD.toFixed(2)}: \\d+ people\\.`)).waitFor({ timeout: 120_000 });
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page.locator('.person-card').first().waitFor();
    const peopleAtStart = await count('people-count');
    expect(peopleAtStart).toBeGreaterThanOrEqual(4);
    await expect
      .poll(() =>
        page
          .locator('.person-card img')
          .first()
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await shot('02-people');

    // ---- Rename the largest unnamed person.
    const unnamed = page.getByTestId('unnamed-people').locator('.person-card');
    await unnamed.first().click();
    await page.locator('.cell').first().waitFor();
    const aliceFaces = await count('person-count');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Alice Example');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('h1.person-name').textContent()).toBe('Alice Example');
    await expect.poll(() => page.getByTestId('undo-toast').textContent()).toMatch(/Undo/);
    const aliceUrl = page.url();
    const aliceId = Number(/person\/(\d+)/.exec(aliceUrl)?.[1]);
    await shot('03-renamed');

    // ---- Merge another unnamed person into Alice (from that person's page).
    await page.getByRole('link', { name: 'Back to people' }).click();
    await page.getByTestId('named-people').getByText('Alice Example').waitFor();
    const other = page.getByTestId('unnamed-people').locator('.person-card').first();
    const otherFaces = Number(/(\d+)/.exec((await other.locator('.person-card-count').textContent()) ?? '')?.[1]);
    await other.click();
    await page.locator('.cell').first().waitFor();
    await page.getByLabel('Merge into…').click();
    await page.getByRole('combobox').fill('alice ex');
    await page.getByRole('option', { name: `Alice Example ${aliceFaces} faces` }).waitFor();
    await page.keyboard.press('Enter');
    // A merge waits for its confirmation, which says what it will do.
    const confirmBar = page.getByTestId('confirm-bar');
    await expect
      .poll(() => confirmBar.textContent())
      .toMatch(new RegExp(`^Merge ${otherFaces} faces of Unnamed #\\d+ into Alice Example\\?`));
    await confirmBar.getByRole('button', { name: /^Merge/ }).click();
    await page.waitForURL(new RegExp(`#/person/${aliceId}$`));
    await expect.poll(() => count('person-count'), { timeout: 30_000 }).toBe(aliceFaces + otherFaces);
    await shot('04-merged');

    // ---- Split: select two faces (click, shift+click) and move them to a new person "Bob Example".
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell[data-index="0"]').click();
    await grid.locator('.cell[data-index="1"]').click({ modifiers: ['Shift'] });
    await expect(page.locator('.selection-count').textContent()).resolves.toBe('2 selected');
    await page.getByLabel('Move to…').click();
    await page.getByRole('combobox').fill('Bob Example');
    await page.getByRole('option', { name: 'New person "Bob Example"' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel("New person's name").inputValue()).toBe('Bob Example');
    await confirmBar.getByRole('button', { name: /^Move/ }).click();
    await expect.poll(() => count('person-count'), { timeout: 30_000 }).toBe(aliceFaces + otherFaces - 2);
    await shot('05-split');

    // ---- Reject a face with the keyboard (X = not this person), then undo with Ctrl+Z.
    const beforeReject = aliceFaces + otherFaces - 2;
    await grid.locator('.cell[data-index="0"]').click();
    await page.keyboard.press('x');
    await expect.poll(() => count('person-count'), { timeout: 30_000 }).toBe(beforeReject - 1);
    await shot('06-rejected');
    await page.keyboard.press('Control+z');
    await expect.poll(() => count('person-count'), { timeout: 30_000 }).toBe(beforeReject);
    await page.getByText(/^Undid: /).waitFor();
    await shot('07-undone');

    // Confirm every face left in Alice (select all, C): confirmed labels feed the ROC curve.
    await grid.click({ position: { x: 4, y: 4 } });
    await page.keyboard.press('Control+a');
    await expect(page.locator('.selection-count').textContent()).resolves.toBe(`${beforeReject} selected`);
    await page.keyboard.press('c');
    await expect
      .poll(() => page.getByTestId('person-count').textContent(), { timeout: 30_000 })
      .toContain(`${beforeReject} confirmed`);

    // People now lists Alice and Bob by name, Bob with the two faces moved out.
    await page.getByRole('link', { name: 'Back to people' }).click();
    const named = page.getByTestId('named-people');
    await named.getByText('Bob Example').waitFor();
    await expect(
      named.locator('.person-card', { hasText: 'Bob Example' }).locator('.person-card-count').textContent(),
    ).resolves.toMatch(/^2 faces/);
    await page.getByLabel('Search people by name').fill('bob');
    await expect.poll(() => page.locator('.person-card').count()).toBe(1);
    await page.getByLabel('Search people by name').fill('');

    // ---- Threshold: the ROC page previews the effect of a lower threshold before applying.
    await page.getByRole('link', { name: 'Threshold' }).click();
    const slider = page.getByRole('slider', { name: /^How strict grouping is/ });
    await slider.waitFor();
    // The value shows once the settings have arrived (the slider is disabled until then).
    await expect.poll(() => slider.isEnabled()).toBe(true);
    const shown = Number(await page.getByTestId('threshold-value').textContent());
    await slider.focus();
    expect(shown).toBeCloseTo(THRESHOLD);
    for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('threshold-value').textContent()).toBe((shown + 0.15).toFixed(2));
    await page
      .getByTestId('threshold-preview')
      .getByText(/people \(now \d+\)/)
      .waitFor({ timeout: 60_000 });
    // The ROC curve from the confirmed labels, with the current threshold and the previewed one marked.
    await page.getByTestId('roc-plot').waitFor();
    await expect(page.getByTestId('roc-current').count()).resolves.toBe(1);
    await expect(page.locator('.roc-curve').getAttribute('d')).resolves.toMatch(/^M[\d.]+,[\d.]+ L/);
    await shot('08-threshold-preview');
    await page.getByRole('button', { name: 'Reset' }).click();

    // ---- Photo: open one of Alice's faces, see its box labelled Alice, draw a missed face, assign it to Bob.
    await page.goto(aliceUrl);
    await grid.locator('.cell[data-index="0"]').dblclick();
    await page.waitForURL(/#\/photo\/\d+/);
    const stage = page.getByTestId('photo-stage');
    await stage.locator('.face-box', { hasText: 'Alice Example' }).first().waitFor();
    await expect
      .poll(() => stage.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    const boxesBefore = await stage.locator('.face-box').count();
    await shot('09-photo');
    await page.getByRole('button', { name: 'Add a missed face' }).click();
    const r = (await stage.boundingBox())!;
    await page.mouse.move(r.x + r.width * 0.04, r.y + r.height * 0.6);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width * 0.2, r.y + r.height * 0.75, { steps: 5 });
    await page.mouse.move(r.x + r.width * 0.3, r.y + r.height * 0.95, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('drawn-box').waitFor();
    await page.getByText(/^New face at/).waitFor();
    await shot('10-drawn-box');
    await page.getByLabel('Assign to…').click();
    await page.getByRole('combobox').fill('bob');
    await page.getByRole('option', { name: 'Bob Example 2 faces' }).click();
    await expect.poll(() => stage.locator('.face-box').count(), { timeout: 60_000 }).toBe(boxesBefore + 1);
    await stage.locator('.face-box', { hasText: 'Bob Example' }).first().waitFor();
    await shot('11-photo-assigned');

    // ---- 200% zoom: the layout still fits (no horizontal scrolling of the page).
    await page.setViewportSize({ width: 640, height: 430 });
    await page.goto(`${server.origin}/#/people`);
    await page.locator('.person-card').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot('12-narrow');

    expect(pageErrors).toEqual([]);
  });
});
