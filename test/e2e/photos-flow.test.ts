/**
 * The Photos view and the browser's folder picker, as a user drives them in Chromium (mouse and keyboard),
 * against `facenet serve` on the real EngineApi:
 * - over a real library of drawn photos (test/helpers/photos-library.ts): Photos in the navigation, every photo
 *   newest first with photos without faces, 320 px previews, a click or Enter opens the Photo view (so a missed
 *   face can be drawn on any photo), "A and B together" picked with the person picker, a folder, a person's
 *   "Photos" button;
 * - Library → Browse…: the folder list starts at the typed path or the home folder, hides hidden folders,
 *   goes down and up with the mouse and the keyboard, and "Add this folder" adds it;
 * - over 100,000 photos (test/helpers/many-photos.ts): the grid holds a screenful of cells and asks for a few
 *   pages, also after jumping to the end with the keyboard.
 * Screenshots go to test-results/photos/. Skips without Chromium.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../src-main/app/engine-api.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { buildManyPhotos } from '../helpers/many-photos.js';
import { openPhotosLibrary, type PhotosLibrary } from '../helpers/photos-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'photos');

/** Photo ids of the grid's cells in index order (only the loaded ones). */
async function gridIds(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.photo-cell[data-photo-id]')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .map((c) => Number(c.dataset.photoId)),
  );
}

describe.skipIf(!hasChromium())('Photos view and folder picker in Chromium (real engine)', () => {
  const tmp = tempDir('facenet-photos-');
  let lib: PhotosLibrary;
  let app: OpenedApp | undefined;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const ids = (...names: string[]): number[] => names.map((n) => lib.photoIds.get(n)!);
  /** Waits until the grid shows exactly these photos. */
  const expectGrid = async (expected: number[]): Promise<void> => {
    await page.waitForFunction(
      (want) => {
        const cells = [...document.querySelectorAll<HTMLElement>('.photo-cell[data-photo-id]')];
        const got = cells
          .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
          .map((c) => Number(c.dataset.photoId));
        return JSON.stringify(got) === JSON.stringify(want);
      },
      expected,
      { timeout: 10_000 },
    );
  };
  const pickPerson = async (button: string, name: string): Promise<void> => {
    await page.getByRole('button', { name: button }).click();
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
  };

  beforeAll(async () => {
    lib = await openPhotosLibrary(join(tmp.dir, 'library'));
    app = await openApp(lib.api, { width: 1200, height: 820 }, errors);
    page = app.page;
    await page.goto(`${app.server.url}#/people`);
  });

  afterAll(async () => {
    await app?.close();
    await lib?.api.close();
    tmp.cleanup();
  });

  it('Photos in the navigation: every photo newest first, faceless ones too, as 320 px previews', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Photos' }).click();
    expect(page.url()).toMatch(/#\/photos$/);
    const tie = ids('tie-1.png', 'tie-2.png').sort((a, b) => b - a);
    await expectGrid([
      ...ids('abc.png', 'ac.png', 'empty.png', 'ab.png'),
      ...tie,
      ...ids('b.png', 'a-old.png', 'nodate.png', 'c.png'),
    ]);
    expect(await page.getByTestId('photos-count').textContent()).toBe('10 photos');
    expect(await page.getByTestId('photos-title').textContent()).toMatch(/All photos/);
    // The previews load, asked for at 320 px (the server may serve the photo itself for now).
    const first = page.locator('.photo-cell[data-index="0"] img');
    expect(await first.getAttribute('src')).toMatch(/\/photo\/\d+\?size=320&token=/);
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll<HTMLImageElement>('.photo-cell img')];
      return imgs.length === 10 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    // Face counts on the cells: the group photo of three says so, a photo without faces says nothing.
    const abc = page.locator(`.photo-cell[data-photo-id="${lib.photoIds.get('abc.png')}"]`);
    expect(await abc.locator('.badge-faces').textContent()).toBe('3 faces');
    expect(await abc.getAttribute('aria-label')).toBe('Photo of 2 Feb 2024, 3 faces');
    const empty = page.locator(`.photo-cell[data-photo-id="${lib.photoIds.get('empty.png')}"]`);
    expect(await empty.locator('.badge-faces').count()).toBe(0);
    await shot('photos-all');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('photos-all-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('a click opens a photo without faces in the Photo view (where a missed face can be drawn); Back returns', async () => {
    await page.locator(`.photo-cell[data-photo-id="${lib.photoIds.get('empty.png')}"]`).click();
    await page.waitForURL(new RegExp(`#/photo/${lib.photoIds.get('empty.png')}\\?at=2$`));
    await page.getByTestId('photo-stage').waitFor();
    await shot('photo-without-faces');
    await page.goBack();
    await page.getByTestId('photo-grid').locator('.photo-cell[data-photo-id]').first().waitFor();
    expect(page.url()).toMatch(/#\/photos$/);
  });

  it('the keyboard: arrows move the focus over the grid, Enter opens the focused photo', async () => {
    const grid = page.getByTestId('photo-grid');
    await grid.focus();
    await page.keyboard.press('ArrowDown'); // the first photo
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('.photo-cell.focused').getAttribute('data-index')).toBe('2');
    await shot('photos-keyboard-focus');
    const order = await page
      .locator('.photo-cell[data-photo-id]')
      .evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.photoId)));
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/photo/${lib.photoIds.get('empty.png')}\\?at=2$`));
    // From a photo, ← and → step through the same list, newest first; Back returns to the grid, not through them.
    const place = page.getByTestId('photo-place');
    await expect.poll(() => place.textContent()).toBe('3 of 10');
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(new RegExp(`#/photo/${order[3]}\\?at=3$`));
    await expect.poll(() => place.textContent()).toBe('4 of 10');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => place.textContent()).toBe('3 of 10');
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(new RegExp(`#/photo/${order[1]}\\?at=1$`));
    await page.getByRole('button', { name: '← Newer' }).click();
    await page.waitForURL(new RegExp(`#/photo/${order[0]}\\?at=0$`));
    // The first photo of the list has nothing newer (once the view has re-rendered for the new address).
    await expect.poll(() => page.getByRole('button', { name: '← Newer' }).isDisabled()).toBe(true);
    await shot('photo-steps-first');
    await page.goBack();
    await page.getByTestId('photo-grid').locator('.photo-cell[data-photo-id]').first().waitFor();
    expect(page.url()).toMatch(/#\/photos$/);
  });

  it('photos of A and B together, picked by typing; then one folder; then all again', async () => {
    await pickPerson('Photos of…', 'A');
    await page.waitForURL(new RegExp(`#/photos\\?people=${lib.personIds.A}$`));
    await expectGrid(ids('abc.png', 'ac.png', 'ab.png', 'a-old.png'));
    await pickPerson('Add a person…', 'B');
    await expectGrid(ids('abc.png', 'ab.png'));
    expect(await page.getByTestId('photos-title').textContent()).toMatch(
      /Photos of A and B together: only photos where all of them appear/,
    );
    expect(await page.getByTestId('photos-count').textContent()).toBe('2 photos');
    await shot('photos-a-and-b');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('photos-a-and-b-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Remove A' }).click();
    await expectGrid(ids('abc.png', 'ab.png', 'b.png'));
    await page.getByLabel('Folder').selectOption({ label: join(lib.dir, 'home') });
    await expectGrid(ids('ab.png', 'b.png'));
    expect(await page.getByTestId('photos-title').textContent()).toMatch(/Photos of B in .*home/);
    await shot('photos-b-in-home');
    await page.getByRole('button', { name: 'Show all photos' }).click();
    await page.waitForURL(/#\/photos$/);
    await page.waitForFunction(() => document.querySelectorAll('.photo-cell[data-photo-id]').length === 10);
  });

  it("a person's Photos button shows every photo they are in, not only their faces", async () => {
    await page.goto(`${app!.server.origin}/#/person/${lib.personIds.C}`);
    await page.getByRole('button', { name: 'Photos', exact: true }).click();
    await page.waitForURL(new RegExp(`#/photos\\?people=${lib.personIds.C}$`));
    await expectGrid(ids('abc.png', 'ac.png', 'c.png'));
    expect(await page.getByTestId('photos-title').textContent()).toMatch(/Photos of C/);
    await shot('photos-of-person');
  });

  it('an address with a person merged away (or a removed folder) shows the rest, without an error', async () => {
    await page.goto(`${app!.server.origin}/#/photos?folder=999&people=999999,${lib.personIds.B}`);
    await page.waitForURL(new RegExp(`#/photos\\?people=${lib.personIds.B}$`));
    await expectGrid(ids('abc.png', 'ab.png', 'b.png'));
    expect(await page.getByTestId('error-toast').count()).toBe(0);
  });

  it('Library → Browse…: a folder list from the home folder, hidden folders hidden, Add this folder', async () => {
    const pick = join(tmp.dir, 'pick');
    for (const d of ['Holiday 2024', 'Birthdays', '.secret']) mkdirSync(join(pick, d), { recursive: true });
    await page.goto(`${app!.server.origin}/#/library`);
    await page.getByRole('button', { name: 'Browse…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose a photo folder' });
    await dialog.waitFor();
    await page.waitForFunction(
      (home) => document.querySelector('[data-testid="folder-browser-path"]')?.textContent === home,
      homedir(),
    );
    await shot('folder-picker-home');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // From a typed path (~ works too), by keyboard: the first row has the focus.
    await page.getByLabel('Folder path').fill(pick);
    await page.getByRole('button', { name: 'Browse…' }).click();
    await page.waitForFunction(
      (p) => document.querySelector('[data-testid="folder-browser-path"]')?.textContent === p,
      pick,
    );
    const rows = dialog.getByRole('list', { name: 'Folders' }).getByRole('button');
    expect(await rows.allTextContents()).toEqual(['↑ ..', 'Birthdays', 'Holiday 2024']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const holiday = join(pick, 'Holiday 2024');
    await page.waitForFunction(
      (p) => document.querySelector('[data-testid="folder-browser-path"]')?.textContent === p,
      holiday,
    );
    expect(await dialog.textContent()).toMatch(/No folders inside this one/);
    await page.keyboard.press('Backspace');
    await page.waitForFunction(
      (p) => document.querySelector('[data-testid="folder-browser-path"]')?.textContent === p,
      pick,
    );
    await shot('folder-picker-typed-path');

    // By mouse: into Birthdays, Add this folder.
    await dialog.getByRole('button', { name: 'Open Birthdays' }).click();
    await page.waitForFunction(
      (p) => document.querySelector('[data-testid="folder-browser-path"]')?.textContent === p,
      join(pick, 'Birthdays'),
    );
    await dialog.getByRole('button', { name: 'Add this folder' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.folder-list .path', { hasText: join(pick, 'Birthdays') }).waitFor();
    expect((await lib.api.listFolders()).map((f) => f.path)).toContain(join(pick, 'Birthdays'));
    await shot('folder-picker-added');

    await page.getByLabel('Folder path').fill('~');
    await page.getByRole('button', { name: 'Browse…' }).click();
    await page.waitForFunction(
      (home) => document.querySelector('[data-testid="folder-browser-path"]')?.textContent === home,
      homedir(),
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await lib.api.whenIdle();
  });

  it('no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium())('Photos over 100,000 photos in Chromium', () => {
  const tmp = tempDir('facenet-photos-many-');
  const PHOTOS = 100_000;
  let engine: EngineApi;
  let app: OpenedApp | undefined;
  let page: Page;
  const errors: string[] = [];
  const listCalls: string[] = [];

  beforeAll(async () => {
    engine = EngineApi.open(buildManyPhotos(tmp.dir, { photos: PHOTOS }).dbPath);
    app = await openApp(engine, { width: 1200, height: 820 }, errors);
    page = app.page;
    page.on('request', (r) => {
      if (r.url().includes('/api/listPhotos')) listCalls.push(r.postData() ?? '');
    });
    await page.goto(`${app.server.url}#/photos`);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('holds a screenful of cells, asks for a few pages, and jumps to the end with the keyboard', async () => {
    await page.waitForFunction(() => document.querySelectorAll('.photo-cell[data-photo-id]').length > 10);
    expect(await page.getByTestId('photos-count').textContent()).toBe('100,000 photos');
    const cells = await page.locator('.photo-cell').count();
    expect(cells).toBeGreaterThan(10);
    expect(cells).toBeLessThan(150);
    expect(listCalls.length).toBeLessThanOrEqual(3);
    const newest = (await engine.listPhotos({ limit: 1 })).photos[0]!.id;
    expect((await gridIds(page))[0]).toBe(newest);

    await page.getByTestId('photo-grid').focus();
    await page.keyboard.press('End');
    const last = (await engine.listPhotos({ offset: PHOTOS - 1, limit: 1 })).photos[0]!.id;
    await page.waitForFunction(
      (id) => document.querySelector(`.photo-cell.focused[data-photo-id="${id}"]`) !== null,
      last,
      { timeout: 15_000 },
    );
    expect(await page.locator('.photo-cell').count()).toBeLessThan(150);
    // The end is one or two pages away: no call read the whole list, none asked for more than a page.
    expect(listCalls.length).toBeLessThanOrEqual(6);
    for (const body of listCalls) expect((JSON.parse(body) as { limit: number }).limit).toBeLessThanOrEqual(200);
    await page.screenshot({ path: join(SHOTS, 'photos-100k-end.png') });
    expect(await page.getByTestId('photos-top-date').textContent()).toMatch(/^[A-Z][a-z]{2} 20\d\d$/);
  });

  it('no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
