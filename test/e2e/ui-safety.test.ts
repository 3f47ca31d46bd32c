/**
 * Nothing happens by accident, and nothing fails silently (issue 13, "Broken or risky today"), driven in
 * Chromium with the keyboard and the mouse against `facenet serve` on the real EngineApi over a real SQLite
 * library of synthetic people (test/helpers/synthetic-library.ts):
 * - a merge or a move chosen with the arrow keys waits for Enter or its button, and says what it will do;
 * - the Person view's shortcuts work right after it opens and after a click on a button; a selected face is
 *   clearly framed and checked;
 * - error toasts close themselves, close on Escape and keep to a few;
 * - the empty first screen leads to Library, where a typed `~/…` folder is the home folder;
 * - a tab on the address without the token says what to do (the server's 401 page, and the app's page when the
 *   page loads from the cookie but the tab has no token);
 * - when the server stops, a banner says so and the view keeps what it showed.
 * Screenshots land in test-results/ui-safety/. Skips without Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../src-main/app/engine-api.js';
import { startServer, type RunningServer } from '../../src-main/hosts/server/server.js';
import { ensureRendererBuilt, hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'ui-safety');

describe.skipIf(!hasChromium())('UI safety in Chromium (real engine, synthetic library)', () => {
  const tmp = tempDir('facenet-ui-safety-');
  let app: OpenedApp | undefined;
  let server: RunningServer;
  let page: Page;
  let engine: EngineApi;
  /** Alice (6 faces), two unnamed people (12 and 7 faces) and Bob (3). */
  let alice: number;
  let twelve: number;
  let bob: number;
  const errors: string[] = [];

  const open = async (hash: string): Promise<void> => {
    await page.goto(`${server.origin}/#${hash}`);
  };
  const faceCount = async (personId: number): Promise<number> =>
    (await engine.getPerson({ personId })).person.faceCount;

  beforeAll(async () => {
    const library = await syntheticLibrary(join(tmp.dir, 'library'), {
      people: [
        { name: 'Alice', faces: 6 },
        { name: null, faces: 12 },
        { name: null, faces: 7 },
        { name: 'Bob', faces: 3 },
      ],
      unsorted: 4,
    });
    engine = library.api;
    [alice, twelve, , bob] = library.personIds as [number, number, number, number];
    app = await openApp(engine, { width: 1100, height: 800 }, errors);
    page = app.page;
    server = app.server;
    await page.goto(server.url);
  });

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('merges only after Enter: the picker only chooses, the bar says what will happen, Escape cancels', async () => {
    await open(`/person/${twelve}`);
    await page.getByTestId('face-grid').locator('.cell').first().waitFor();
    const merge = page.getByLabel('Merge into…');
    const bar = page.getByTestId('confirm-bar');
    await merge.focus();
    // The arrow keys open the list and move in it: nothing is chosen, nothing merged.
    await page.keyboard.press('ArrowDown');
    await page.getByRole('combobox').waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await bar.count()).toBe(0);
    expect(await faceCount(twelve)).toBe(12);
    // Enter in the list chooses (Bob, the second named person); the bar says what confirming will do.
    await page.keyboard.press('Enter');
    await expect.poll(() => bar.textContent()).toMatch(/^Merge 12 faces of Unnamed #\d+ into Bob\?/);
    await page.screenshot({ path: join(SHOTS, 'merge-confirm.png') });
    expect(await faceCount(twelve)).toBe(12);
    // Choosing again only changes the choice.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => bar.textContent()).toMatch(/^Merge 12 faces of Unnamed #\d+ into Alice\?/);
    expect(await faceCount(twelve)).toBe(12);
    // Escape forgets the choice.
    await page.keyboard.press('Escape');
    await expect.poll(() => bar.count()).toBe(0);
    expect(await faceCount(twelve)).toBe(12);
    // Enter on the chosen merge does it: twelve faces join Bob, and the view follows them.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => bar.textContent()).toMatch(/into Bob\?/);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/person/${bob}$`));
    await expect.poll(() => page.getByTestId('person-count').textContent()).toMatch(/^15 faces/);
    await page.keyboard.press('Control+z');
    await page.getByText(/^Undid: /).waitFor();
    await expect.poll(() => faceCount(twelve)).toBe(12);
  });

  it('moves only after the button: M, then the picker chooses; the bar counts the selected faces', async () => {
    await open(`/person/${alice}`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell[data-index="0"]').click();
    await grid.locator('.cell[data-index="2"]').click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('.selection-count').textContent()).toBe('3 selected');
    await page.keyboard.press('m');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('move-to');
    const bar = page.getByTestId('confirm-bar');
    // Shift+Enter in the list chooses a new person.
    await page.keyboard.press('ArrowDown');
    await page.getByRole('combobox').waitFor();
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => bar.textContent()).toMatch(/^Move 3 faces to a new person\?/);
    // Enter chooses the highlighted person: Bob, the first named one (Alice is this person).
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => bar.textContent()).toMatch(/^Move 3 faces to Bob\?/);
    expect(await faceCount(alice)).toBe(6);
    await page.screenshot({ path: join(SHOTS, 'move-confirm.png') });
    await bar.getByRole('button', { name: /^Move/ }).click();
    await expect.poll(() => faceCount(alice)).toBe(3);
    expect(await faceCount(bob)).toBe(6);
    await expect.poll(() => bar.count()).toBe(0);
    await page.keyboard.press('Control+z');
    await page.getByText(/^Undid: /).waitFor();
    await expect.poll(() => faceCount(alice)).toBe(6);
  });

  it('takes R right after a person opens and C after a click on "Select all"; the selection is plain to see', async () => {
    await open(`/person/${alice}`);
    await page.getByTestId('face-grid').locator('.cell').first().waitFor();
    await page.keyboard.press('r');
    await page.getByLabel('Name', { exact: true }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Alice');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('Name', { exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Select all' }).click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'selected-faces.png') });
    // The frame and the check mark are drawn above the thumbnail.
    const look = await page
      .locator('.cell.selected')
      .first()
      .evaluate((el) => {
        const after = getComputedStyle(el, '::after');
        const before = getComputedStyle(el, '::before');
        return { frame: after.boxShadow, check: before.content };
      });
    expect(look.frame).toMatch(/5px/);
    expect(look.check).toBe('"✓"');
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('person-count').textContent()).toBe('6 faces · 6 confirmed');
  });

  it('closes error toasts on Escape and by itself, and shows at most three', async () => {
    await open('/library');
    const path = page.getByLabel('Folder path');
    const toasts = page.getByTestId('error-toast');
    await path.fill('/no/such/folder');
    await path.press('Enter');
    await expect.poll(() => toasts.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => toasts.count()).toBe(0);
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await path.fill(`/no/such/folder-${name}`);
      await path.press('Enter');
      await expect.poll(() => page.getByText(`folder-${name}`).count()).toBeGreaterThan(0);
    }
    expect(await toasts.count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'error-toasts.png') });
    await page.getByRole('button', { name: 'Dismiss error' }).first().click();
    await expect.poll(() => toasts.count()).toBe(2);
    // The rest close themselves (after 12 s).
    await expect.poll(() => toasts.count(), { timeout: 20_000 }).toBe(0);
  }, 40_000);

  it('answers a tab without the token with what to do, not a bare 401', async () => {
    // A second tab of the same browser: the page loads (the cookie), but the tab has no token for the API.
    const browser = app!.browser;
    const context = await browser.newContext();
    const first = await context.newPage();
    await first.goto(server.url);
    await first.getByRole('heading', { name: 'People' }).waitFor();
    const second = await context.newPage();
    await second.goto(`${server.origin}/`);
    await second.getByTestId('no-access').waitFor();
    expect(await second.textContent('body')).toContain('facenet serve');
    expect(await second.textContent('body')).not.toContain('HTTP 401');
    await second.screenshot({ path: join(SHOTS, 'second-tab.png') });
    await context.close();
    // Another browser (no cookie): the server's own page, still a 401.
    const other = await browser.newContext();
    const fresh = await other.newPage();
    const response = await fresh.goto(`${server.origin}/`);
    expect(response?.status()).toBe(401);
    await fresh.getByRole('heading', { name: /Open FaceNet Photos from the address it printed/ }).waitFor();
    await fresh.screenshot({ path: join(SHOTS, 'no-token.png') });
    await other.close();
  });

  it('leads from the empty first screen to Library, where "~/Pictures" is the home folder', async () => {
    const home = join(tmp.dir, 'home');
    mkdirSync(join(home, 'Pictures'), { recursive: true });
    const savedHome = process.env.HOME;
    process.env.HOME = home; // os.homedir(), which the engine expands `~` with, reads it
    const empty = EngineApi.open(join(tmp.dir, 'empty.db'));
    const emptyServer = await startServer({ engine: empty, staticDir: await ensureRendererBuilt() });
    const tab = await app!.browser.newPage();
    try {
      await tab.goto(emptyServer.url);
      await tab.getByTestId('people-empty').waitFor();
      await tab.screenshot({ path: join(SHOTS, 'empty-first-screen.png') });
      await tab.getByRole('button', { name: 'Add photos in Library' }).click();
      await tab.waitForURL(/#\/library$/);
      const path = tab.getByLabel('Folder path');
      await path.fill('~/Pictures');
      await path.press('Enter');
      await tab.locator('.folder-list .path', { hasText: join(home, 'Pictures') }).waitFor();
      await tab.screenshot({ path: join(SHOTS, 'tilde-folder.png') });
      expect(await tab.getByTestId('error-toast').count()).toBe(0);
    } finally {
      process.env.HOME = savedHome;
      await tab.close();
      await emptyServer.close();
      await empty.close();
    }
  });

  it('says so when the server stops, and keeps the view', async () => {
    const second = await startServer({ engine, staticDir: await ensureRendererBuilt() });
    const tab = await app!.browser.newPage();
    try {
      await tab.goto(`${second.url}#/people`);
      await tab.locator('.person-card', { hasText: 'Alice' }).waitFor();
      await second.close();
      await tab.getByTestId('stopped-banner').waitFor();
      expect(await tab.getByTestId('stopped-banner').textContent()).toContain('FaceNet Photos stopped');
      expect(await tab.locator('.person-card', { hasText: 'Alice' }).count()).toBe(1);
      await tab.screenshot({ path: join(SHOTS, 'server-stopped.png') });
      // Another view: the banner stays, and says why nothing loads.
      await tab.getByRole('link', { name: 'Library' }).click();
      await tab.getByTestId('stopped-banner').waitFor();
      await tab.screenshot({ path: join(SHOTS, 'server-stopped-library.png') });
    } finally {
      await tab.close();
    }
  });

  it('raised no page errors', () => {
    expect(errors).toEqual([]);
  });
});
