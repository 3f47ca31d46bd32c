/**
 * Ignored faces and the Photo view's face panel, as a user drives them in Chromium, against `facenet serve` on
 * the real EngineApi over a real SQLite library of synthetic people (test/helpers/synthetic-library.ts):
 * - Unsorted: Delete = "not a face", I = "ignore stranger", Ctrl+Z undoes;
 * - a person's grid: Delete = "not a face" while X is still "not this person";
 * - People: "Ignore unnamed people with 1 face" after an explicit confirm, as one undoable action;
 * - Ignored: both reasons listed apart, U = stop ignoring; re-grouping leaves the ignored faces alone;
 * - Photo view: clicking a "?" box opens a panel to name it, and a named box to say "not this person",
 *   "not a face" (Delete) and stop ignoring.
 * Screenshots go to test-results/ignore/. Skips without Chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../src-main/app/engine-api.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'ignore');

describe.skipIf(!hasChromium())('ignored faces and the face panel in Chromium (real engine)', () => {
  const tmp = tempDir('facenet-ignore-');
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let engine: EngineApi;
  let alice: number;
  let unnamed: number;
  let unsorted: number[];
  const errors: string[] = [];

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const number = async (locator: ReturnType<Page['locator']>): Promise<number> =>
    Number(/(\d+)/.exec((await locator.textContent()) ?? '')?.[1] ?? NaN);
  const unsortedCount = (): Promise<number> => number(page.locator('.view-header .num'));
  const ignoredIds = async (): Promise<number[]> => (await engine.ignoredFaces({})).map((f) => f.id).sort();

  beforeAll(async () => {
    const library = await syntheticLibrary(join(tmp.dir, 'library'), {
      people: [
        { name: 'Alice', faces: 6 },
        { name: null, faces: 5 },
      ],
      unsorted: 12,
    });
    engine = library.api;
    [alice, unnamed] = library.personIds as [number, number];
    unsorted = library.unsortedFaceIds;
    // Two lone faces the grouping would leave in Unsorted, made one-face people (as an earlier "New person" did).
    await engine.moveFaces({ faceIds: [unsorted[10]!], to: { newPerson: true } });
    await engine.moveFaces({ faceIds: [unsorted[11]!], to: { newPerson: true } });
    app = await openApp(engine, { width: 1100, height: 820 }, errors);
    page = app.page;
    server = app.server;
    await page.goto(`${server.url}#/people`);
  });

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('Unsorted: Delete is "not a face", I ignores a stranger, Ctrl+Z undoes', async () => {
    await page.goto(`${server.origin}/#/unsorted`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell').first().waitFor();
    expect(await unsortedCount()).toBe(10);
    await page.getByText('not a face').first().waitFor(); // the shortcut hint
    await grid.locator('.cell[data-index="0"]').click();
    await shot('01-unsorted-selected');
    await page.keyboard.press('Delete');
    await expect.poll(unsortedCount).toBe(9);
    await grid.locator('.cell[data-index="0"]').click();
    await grid.locator('.cell[data-index="1"]').click({ modifiers: ['Shift'] });
    await page.keyboard.press('i');
    await expect.poll(unsortedCount).toBe(7);
    await shot('02-unsorted-after-ignore');
    const reasons = (await engine.ignoredFaces({})).map((f) => f.reason).sort();
    expect(reasons).toEqual(['not-a-face', 'stranger', 'stranger']);
    await page.keyboard.press('Control+z');
    await expect.poll(unsortedCount).toBe(9);
    expect((await engine.ignoredFaces({})).map((f) => f.reason)).toEqual(['not-a-face']);
    // The buttons do the same as the keys.
    await grid.locator('.cell[data-index="0"]').click();
    await page.getByRole('button', { name: 'Ignore stranger' }).click();
    await expect.poll(unsortedCount).toBe(8);
  });

  it("a person's grid: Delete is not a face, X is still not this person", async () => {
    await page.goto(`${server.origin}/#/person/${unnamed}`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell').first().waitFor();
    const faces = (): Promise<number> => number(page.getByTestId('person-count'));
    expect(await faces()).toBe(5);
    const before = (await ignoredIds()).length;
    await grid.locator('.cell[data-index="0"]').click();
    await page.keyboard.press('Delete');
    await expect.poll(faces).toBe(4);
    expect((await ignoredIds()).length).toBe(before + 1);
    await grid.locator('.cell[data-index="0"]').click();
    await page.keyboard.press('x');
    await expect.poll(faces).toBe(3);
    // "Not this person" is a rejection, not an ignore.
    expect((await ignoredIds()).length).toBe(before + 1);
    await page.getByText('Delete').last().waitFor();
    await shot('03-person-after-not-a-face');
  });

  it('People: ignores every unnamed person with one face, after a confirm, in one undoable step', async () => {
    await page.goto(`${server.origin}/#/people`);
    const people = (): Promise<number> => number(page.getByTestId('people-count'));
    await page.locator('.person-card').first().waitFor();
    const peopleBefore = await people();
    const bulk = page.getByRole('button', { name: /Ignore unnamed people with 1 face/ });
    await bulk.click();
    await shot('04-people-bulk-confirm');
    // Nothing happens before the confirm.
    expect(await people()).toBe(peopleBefore);
    await page.getByRole('button', { name: 'Ignore 2' }).click();
    await expect.poll(people).toBe(peopleBefore - 2);
    const ignored = await ignoredIds();
    expect(ignored).toEqual(expect.arrayContaining([unsorted[10], unsorted[11]]));
    await shot('05-people-after-bulk');
    const history = await engine.undoStack();
    expect(history[0]!.label).toBe('Ignored 2 faces of 2 people');
    await page.keyboard.press('Control+z');
    await expect.poll(people).toBe(peopleBefore);
    await bulk.click();
    await page.getByRole('button', { name: 'Ignore 2' }).click();
    await expect.poll(people).toBe(peopleBefore - 2);
  });

  it('Ignored: lists both reasons, U stops ignoring, and re-grouping leaves ignored faces alone', async () => {
    await page.goto(`${server.origin}/#/ignored`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell').first().waitFor();
    const count = page.getByTestId('ignored-count');
    const total = (await ignoredIds()).length;
    await expect
      .poll(() => count.textContent())
      .toMatch(new RegExp(`^${total} faces · 2 not a face · ${total - 2} strangers`));
    await shot('06-ignored-view');
    await page.getByLabel('Show').selectOption('not-a-face');
    await expect.poll(() => grid.locator('.cell').count()).toBe(2);
    await page.getByLabel('Show').selectOption('all');
    await expect.poll(() => grid.locator('.cell').count()).toBe(total);
    await grid.locator('.cell[data-index="0"]').click();
    await page.keyboard.press('u');
    await expect.poll(() => grid.locator('.cell').count()).toBe(total - 1);
    await shot('07-ignored-after-unignore');

    const stillIgnored = await ignoredIds();
    await engine.recluster({ threshold: 1.9 }); // loose enough to pull every face into someone
    for (const id of stillIgnored) {
      const photo = await engine.getPhoto({ photoId: await photoOf(id) });
      expect(photo.faces.find((f) => f.id === id)).toMatchObject({ personId: null, ignored: expect.any(String) });
    }
    expect(await ignoredIds()).toEqual(stillIgnored);
    const inUnsorted = new Set((await engine.unsortedFaces({})).map((f) => f.id));
    expect(stillIgnored.filter((id) => inUnsorted.has(id))).toEqual([]);
    // The Library's summary counts them.
    await page.goto(`${server.origin}/#/library`);
    await expect
      .poll(() => page.locator('.view-header').first().textContent())
      .toContain(`· ${stillIgnored.length} ignored`);
  });

  async function photoOf(faceId: number): Promise<number> {
    const all = [...(await engine.ignoredFaces({})), ...(await engine.unsortedFaces({}))];
    const face = all.find((f) => f.id === faceId);
    if (face) return face.photoId;
    for (const p of await engine.listPeople({ includeHidden: true })) {
      const f = (await engine.getPerson({ personId: p.id })).faces.find((x) => x.id === faceId);
      if (f) return f.photoId;
    }
    throw new Error(`no face ${faceId}`);
  }

  it('Photo view: a "?" box opens a panel that names it; a named box takes "not this person" and "not a face"', async () => {
    await engine.recluster({ threshold: 0.5 });
    const lone = (await engine.unsortedFaces({}))[0]!;
    await page.goto(`${server.origin}/#/photo/${lone.photoId}`);
    const box = page.locator(`.face-box[data-face-id="${lone.id}"]`);
    await box.waitFor();
    expect(await box.textContent()).toBe('?');
    await box.click();
    const panel = page.getByTestId('face-panel');
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId('face-status').textContent()).toBe('In no person (Unsorted)');
    await shot('08-photo-panel-unknown');
    await panel.getByLabel('Name as…').click();
    await panel.getByRole('combobox').fill('Alice');
    await panel.getByRole('option', { name: /^Alice \d+ faces?/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.getByTestId('face-status').textContent()).toBe('Alice · confirmed');
    await expect.poll(() => box.textContent()).toBe('Alice');
    await shot('09-photo-panel-named');
    // The panel keeps the face: say it is not Alice after all, then that it is no face at all.
    await panel.getByRole('button', { name: 'Not Alice' }).click();
    await expect.poll(() => panel.getByTestId('face-status').textContent()).not.toMatch(/^Alice/);
    await panel.focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => panel.getByTestId('face-status').textContent()).toBe('Ignored: not a face');
    await expect.poll(() => box.textContent()).toBe('Not a face');
    await shot('10-photo-panel-ignored');
    await panel.getByRole('button', { name: 'Stop ignoring' }).click();
    await expect.poll(() => panel.getByTestId('face-status').textContent()).not.toMatch(/^Ignored/);
    expect((await ignoredIds()).includes(lone.id)).toBe(false);

    // A face of Alice: Confirm is offered only for a face grouping suggested; Escape closes the panel.
    const aliceFace = (await engine.getPerson({ personId: alice })).faces[0]!;
    await page.goto(`${server.origin}/#/photo/${aliceFace.photoId}`);
    const aliceBox = page.locator(`.face-box[data-face-id="${aliceFace.id}"]`);
    await aliceBox.click();
    await expect.poll(() => panel.getByTestId('face-status').textContent()).toBe('Alice · confirmed');
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
