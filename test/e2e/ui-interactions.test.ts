/**
 * Browser interactions that need no real engine, against `facenet serve` on the in-memory FakeEngine
 * (fast and deterministic): drag-rectangle and keyboard selection in the virtualised grid at 1,500 faces,
 * hide/show hidden, merge suggestions (accept, dismiss), unsorted bulk naming, export dialog, settings with GPU status,
 * the history list and undo. Skips without Chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'ui');

describe.skipIf(!hasChromium())('UI interactions in Chromium (fake engine)', () => {
  const tmp = tempDir('facenet-ui-');
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let engine: FakeEngine;
  const errors: string[] = [];

  beforeAll(async () => {
    engine = new FakeEngine(
      tmp.dir,
      [
        { name: 'Many', faces: 1500 },
        { name: null, faces: 12 },
        { name: null, faces: 7 },
        { name: 'Dora', faces: 3 },
      ],
      40,
    );
    app = await openApp(engine, { width: 1100, height: 800 }, errors);
    page = app.page;
    server = app.server;
    await page.goto(`${server.url}#/people`);
  });

  afterAll(async () => {
    await app?.close();
    tmp.cleanup();
  });

  it('selects by drag rectangle and keyboard in a virtualised grid', async () => {
    await page.goto(`${server.origin}/#/person/1`);
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
    await page.goto(`${server.origin}/#/person/4`);
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
    const first = page.getByTestId('suggestion').first();
    await first.waitFor();
    expect(await first.locator('.person-card').count()).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'suggestions.png') });
    const pairs = await page.getByTestId('suggestion').count();
    await first.getByRole('button', { name: 'Not the same' }).click();
    await expect.poll(() => page.getByTestId('suggestion').count()).toBe(pairs - 1);
    // Accept merges the unnamed into the named one: "Many" then has 1500 + 12 faces.
    const withMany = page.getByTestId('suggestion').filter({ hasText: 'Many' }).first();
    await withMany.getByRole('button', { name: 'Same person' }).click();
    await page.getByTestId('undo-toast').waitFor();
    await page.goto(`${server.origin}/#/person/1`);
    await expect.poll(() => page.getByTestId('person-count').textContent()).toMatch(/^15(0[0-9]|1[0-9]) faces/);
  });

  it('names unsorted faces in bulk', async () => {
    await page.goto(`${server.origin}/#/unsorted`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell').first().waitFor();
    await grid.locator('.cell[data-index="0"]').click();
    await grid.locator('.cell[data-index="4"]').click({ modifiers: ['Shift'] });
    await page.getByLabel('Name as…').selectOption({ label: 'New person…' });
    await page.getByLabel("New person's name").fill('Eve');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => grid.locator('.cell').count()).toBe(35);
    await page.goto(`${server.origin}/#/people`);
    await expect(
      page.locator('.person-card', { hasText: 'Eve' }).locator('.person-card-count').textContent(),
    ).resolves.toBe('5 faces');
  });

  it('exports a person as CSV from the Export dialog', async () => {
    await page.goto(`${server.origin}/#/person/1`);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Format').selectOption('csv');
    await dialog.getByLabel('Output folder').fill(join(tmp.dir, 'export'));
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await expect
      .poll(() => dialog.getByTestId('export-result').textContent())
      .toContain('Exported 1 person · 0 photos · 0 faces');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  });

  it('keeps what the user types in Settings while the library changes underneath, and saves it', async () => {
    await page.goto(`${server.origin}/#/settings`);
    const field = page.getByLabel('Clustering threshold (squared distance)');
    await field.fill('0.24');
    // Indexing sends library changes every few hundred milliseconds; each reloads the settings.
    for (let i = 0; i < 3; i++) {
      engine.emit({ type: 'library-changed', reason: 'people-updated' });
      await page.waitForTimeout(800);
    }
    expect(await field.inputValue()).toBe('0.24');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/^Saved\./).waitFor();
    expect((await engine.call('getSettings', {})) as { threshold: number }).toMatchObject({ threshold: 0.24 });
    // Once saved, changes made elsewhere show again.
    await engine.call('updateSettings', { threshold: 0.3 });
    engine.emit({ type: 'library-changed', reason: 'settings' });
    await expect.poll(() => field.inputValue()).toBe('0.3');
  });

  it('stops the progress and says why when indexing fails', async () => {
    await page.goto(`${server.origin}/#/people`);
    const progress = page.locator('.sidebar-progress');
    engine.emit({
      type: 'indexing-progress',
      progress: { done: 3, total: 10, photosPerSecond: 2, facesFound: 4, etaSeconds: 4, currentPath: null },
    });
    await expect.poll(() => progress.textContent()).toContain('3');
    const message = 'the disk is full: the library could not be saved (nothing was changed)';
    engine.emit({ type: 'indexing-failed', message });
    await page.getByRole('alert').filter({ hasText: message }).waitFor();
    await expect.poll(() => progress.textContent()).toContain('Idle');
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  });

  it('shows settings with the execution provider, and the history', async () => {
    await page.goto(`${server.origin}/#/settings`);
    await page.getByRole('cell', { name: 'CPU' }).waitFor();
    await page.getByText('cuda: no GPU').waitFor();
    await page.goto(`${server.origin}/#/undo`);
    await expect.poll(() => page.locator('.history li').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SHOTS, 'history.png') });
    expect(errors).toEqual([]);
  });
});
