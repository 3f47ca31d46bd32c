/**
 * Browser interactions on a large library, against `facenet serve` on the real EngineApi over a real SQLite
 * library of synthetic people (test/helpers/synthetic-library.ts: no vision, so it builds in seconds):
 * drag-rectangle and keyboard selection in the virtualised grid at 1,500 faces, hide/show hidden, merge
 * suggestions (accept, dismiss), unsorted bulk naming, export dialog, settings with the execution providers of
 * the real ONNX pipeline, an indexing run that fails (the library locked by another process), the history list
 * and undo. Skips without Chromium.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoAnalysis } from '../../src-shared/analysis.js';
import type { EngineApi } from '../../src-main/app/engine-api.js';
import { plainProblem } from '../../src-main/app/plain-errors.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import type { FacePipeline } from '../../src-main/engine/vision/analysis.js';
import { createFaceAnalyzer } from '../../src-main/engine/vision/registry.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { makePhoto } from '../helpers/images.js';
import { syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'ui');
/**
 * Centre distances (squared L2) of the two look-alikes from Many and from Dora: the grouping's merge value for
 * each pair (the adaptive criterion, DEFAULT_ADAPTIVE) falls between the grouping threshold (0.11125), so the
 * grouping keeps them apart, and the suggestions' cut (SUGGESTION_RANGE 1.25x: 0.141), while the other pairs
 * stay above it (Many and Dora). Separate values because the size slack judges a pair whose
 * smaller side has 3 faces (Dora's) more leniently than one of 7 and 12.
 */
const LOOK_ALIKE = { many: 0.075, dora: 0.085 };

/**
 * The real pipeline, held before its `holdAt`-th photo until `release()`: the real engine analyses a few small
 * photos faster than a page can show their progress, and the test needs the run to stand still mid-way.
 */
class HeldPipeline implements FacePipeline {
  readonly modelVersion: string;
  private calls = 0;
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  private onHold!: () => void;
  /** Resolves once the run waits at the held photo. */
  readonly holding = new Promise<void>((resolve) => (this.onHold = resolve));

  constructor(
    private readonly real: FacePipeline,
    private readonly holdAt: number,
  ) {
    this.modelVersion = real.modelVersion;
  }

  async analyzePhoto(path: string): Promise<PhotoAnalysis> {
    if (++this.calls === this.holdAt) {
      this.onHold();
      await this.gate;
    }
    return this.real.analyzePhoto(path);
  }

  release(): void {
    this.open();
  }

  dispose(): Promise<void> {
    return this.real.dispose();
  }
}

describe.skipIf(!hasChromium())('UI interactions in Chromium (real engine, synthetic library)', () => {
  const tmp = tempDir('facenet-ui-');
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let engine: EngineApi;
  let dbPath: string;
  let pipeline: HeldPipeline;
  /** Person ids of Many (1,500 faces), two unnamed people (12 and 7) and Dora (3). */
  let many: number;
  let dora: number;
  const errors: string[] = [];

  beforeAll(async () => {
    // The default pipeline: its sessions are what Settings shows, and it analyses the photos of the failing run.
    const real = await createFaceAnalyzer();
    pipeline = new HeldPipeline(real, 4);
    const library = await syntheticLibrary(
      join(tmp.dir, 'library'),
      {
        people: [
          { name: 'Many', faces: 1500 },
          // Look-alikes of Many and of Dora: kept apart by the grouping, suggested for merging.
          { name: null, faces: 12, twinOf: { person: 0, apart: LOOK_ALIKE.many } },
          { name: null, faces: 7, twinOf: { person: 3, apart: LOOK_ALIKE.dora } },
          { name: 'Dora', faces: 3 },
        ],
        unsorted: 40,
        modelVersion: real.modelVersion,
      },
      { createPipeline: async () => pipeline, progressIntervalMs: 0, concurrency: 1 },
    );
    engine = library.api;
    dbPath = library.dbPath;
    [many, , , dora] = library.personIds as [number, number, number, number];
    app = await openApp(engine, { width: 1100, height: 800 }, errors);
    page = app.page;
    server = app.server;
    await page.goto(`${server.url}#/people`);
  });

  afterAll(async () => {
    pipeline?.release();
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('selects by drag rectangle and keyboard in a virtualised grid', async () => {
    await page.goto(`${server.origin}/#/person/${many}`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell').first().waitFor();
    // 1,500 faces, only a screenful in the DOM.
    expect(await grid.locator('.cell').count()).toBeLessThan(150);
    const cell = (i: number) => grid.locator(`.cell[data-index="${i}"]`);
    const a = (await cell(0).boundingBox())!;
    const b = (await cell(9).boundingBox())!; // second row, second column with 8 columns? any cell below-right
    await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 6 });
    await page.mouse.up();
    const dragged = Number(/(\d+)/.exec((await page.locator('.selection-count').textContent()) ?? '')?.[1]);
    expect(dragged).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: join(SHOTS, 'drag-select.png') });
    // Ctrl-click adds one, Escape clears, arrows + shift extend from the focus.
    await cell(30).click({ modifiers: ['Control'] });
    await expect(page.locator('.selection-count').textContent()).resolves.toBe(`${dragged + 1} selected`);
    await page.keyboard.press('Escape');
    await expect(page.locator('.selection-count').textContent()).resolves.toBe('None selected');
    await cell(2).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect(page.locator('.selection-count').textContent()).resolves.toBe('3 selected');
    // Scrolling deep into the grid keeps the DOM small and shows later faces.
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(() => grid.locator('.cell[data-index="750"]').count()).toBe(1);
    expect(await grid.locator('.cell').count()).toBeLessThan(150);
  });

  it('hides a person and finds them again with "Show hidden"', async () => {
    await page.goto(`${server.origin}/#/person/${dora}`);
    await page.getByRole('button', { name: 'Hide' }).click();
    await page.getByRole('button', { name: 'Unhide' }).waitFor();
    await page.goto(`${server.origin}/#/people`);
    await page.locator('.person-card').first().waitFor();
    await expect.poll(() => page.locator('.person-card', { hasText: 'Dora' }).count()).toBe(0);
    await page.getByLabel('Show hidden').check();
    await expect.poll(() => page.locator('.person-card', { hasText: 'Dora' }).count()).toBe(1);
    await page.keyboard.press('Control+z');
    await page.getByText(/^Undid: /).waitFor();
    await page.getByLabel('Show hidden').uncheck();
    await expect.poll(() => page.locator('.person-card', { hasText: 'Dora' }).count()).toBe(1);
  });

  it('accepts and dismisses merge suggestions side by side', async () => {
    await page.goto(`${server.origin}/#/merge`);
    const rows = page.getByTestId('suggestion');
    await rows.first().waitFor();
    await expect.poll(() => rows.count()).toBe(2);
    // Each side: its name, count and four of its faces (Dora has three).
    const withMany = rows.filter({ hasText: 'Many' });
    const withDora = rows.filter({ hasText: 'Dora' });
    expect(await withMany.locator('.suggestion-side').count()).toBe(2);
    expect(await withMany.locator('.suggestion-side img').count()).toBe(8);
    expect(await withDora.locator('.suggestion-side img').count()).toBe(7);
    const loaded = () =>
      rows
        .locator('img')
        .evaluateAll((imgs) =>
          imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
        );
    // Thumbnails are made on first request: under load fifteen of them take longer than the default second.
    await expect.poll(loaded, { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'suggestions.png') });
    await withDora.getByRole('button', { name: 'Not the same' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    // Accept merges the unnamed look-alike into the named one: Many then has 1,512 faces.
    await withMany.getByRole('button', { name: 'Same person' }).click();
    await page.getByTestId('undo-toast').waitFor();
    await page.goto(`${server.origin}/#/person/${many}`);
    await expect.poll(() => page.getByTestId('person-count').textContent()).toMatch(/^1,?512 faces/);
  });

  it('names unsorted faces in bulk', async () => {
    await page.goto(`${server.origin}/#/unsorted`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell').first().waitFor();
    await grid.locator('.cell[data-index="0"]').click();
    await grid.locator('.cell[data-index="4"]').click({ modifiers: ['Shift'] });
    await page.getByLabel('Name as…').click();
    await page.getByRole('combobox').fill('Eve');
    await page.getByRole('option', { name: 'New person "Eve"' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => grid.locator('.cell').count()).toBe(35);
    await page.goto(`${server.origin}/#/people`);
    await expect(
      page.locator('.person-card', { hasText: 'Eve' }).locator('.person-card-count').textContent(),
    ).resolves.toBe('5 faces');
  });

  it('exports a person as CSV from the Export dialog', async () => {
    const faces = (await engine.getPerson({ personId: many })).person.faceCount;
    await page.goto(`${server.origin}/#/person/${many}`);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Format').selectOption('csv');
    await dialog.getByLabel('Output folder').fill(join(tmp.dir, 'export'));
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    // One face a photo in this library: as many photos as faces, and one CSV row for each.
    await expect
      .poll(() => dialog.getByTestId('export-result').textContent())
      .toContain(`Exported 1 person · ${faces} photos · ${faces} faces`);
    const rows = readFileSync(join(tmp.dir, 'export', 'facenet-faces.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(rows.length - 1).toBe(faces);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('keeps what the user types in Settings while the library changes underneath, and saves it', async () => {
    await page.goto(`${server.origin}/#/settings`);
    const field = page.getByLabel('How strict grouping is');
    await field.fill('0.24');
    // While indexing, the people change every few seconds (a re-grouping, then 'library-changed'); each
    // change reloads the settings.
    for (let i = 0; i < 3; i++) {
      await engine.call('recluster', {});
      await page.waitForTimeout(800);
    }
    expect(await field.inputValue()).toBe('0.24');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved\./).waitFor();
    expect((await engine.call('getSettings', {})) as { threshold: number }).toMatchObject({ threshold: 0.24 });
    // Once saved, changes made elsewhere (here another client of the same engine) show again.
    await engine.call('updateSettings', { threshold: 0.3 });
    await expect.poll(() => field.inputValue()).toBe('0.3');
  });

  it('stops the progress and says why when indexing fails', { timeout: 60_000 }, async () => {
    const folder = join(tmp.dir, 'new-photos');
    for (let i = 0; i < 10; i++) await makePhoto(join(folder, `new-${i}.jpg`), { seed: i + 1 });
    await page.goto(`${server.origin}/#/people`);
    const progress = page.locator('.sidebar-progress');
    await engine.call('addFolder', { path: folder });
    await engine.call('startIndexing', {});
    // The run stands at its 4th new photo: the page shows how far it got.
    await pipeline.holding;
    const running = (await engine.status()).indexing!;
    expect(running.done).toBe(3);
    await expect.poll(() => progress.textContent()).toContain(`${running.done} / ${running.total}`);
    // Another process takes the library (as a second `facenet index` would), then the run goes on: saving the
    // 4th photo fails once SQLite's busy timeout runs out, and the run ends with the plain sentence.
    const other = new Database(dbPath);
    try {
      other.exec('BEGIN EXCLUSIVE');
      pipeline.release();
      const message = plainProblem(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))!.message;
      await page.getByRole('alert').filter({ hasText: message }).waitFor({ timeout: 45_000 });
      await expect.poll(() => progress.textContent()).toContain('Idle');
      expect((await engine.status()).indexing).toBeNull();
      // Back to empty at once: the fill does not glide backwards as if the work were being undone.
      const fill = progress.locator('.progress-fill');
      expect(await fill.evaluate((e) => [e.style.width, getComputedStyle(e).transitionProperty])).toEqual([
        '0%',
        'none',
      ]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  });

  it('shows settings with the execution providers, and the history', async () => {
    // What the engine's real ONNX sessions run on (CPU here; a GPU where one loaded) and why others were not used.
    const providers = (await engine.status()).providers;
    expect(providers.length).toBeGreaterThan(0);
    await page.goto(`${server.origin}/#/settings`);
    for (const p of providers) {
      const row = page.locator('table.providers tr', { hasText: p.model });
      await expect
        .poll(() => row.locator('td').nth(1).textContent())
        .toBe(p.provider === 'cpu' ? 'CPU' : `GPU (${p.provider})`);
      const notUsed = p.fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ') || '—';
      expect(await row.locator('td').nth(2).textContent()).toBe(notUsed);
    }
    await page.goto(`${server.origin}/#/undo`);
    await expect.poll(() => page.locator('.history li').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SHOTS, 'history.png') });
    expect(errors).toEqual([]);
  });
});
