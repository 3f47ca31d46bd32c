/**
 * "Is this Alice?" and "Group by similarity", as a user drives them in Chromium against `facenet serve` on the
 * real EngineApi over a real SQLite library of synthetic people (test/helpers/synthetic-library.ts), and the
 * small fixes around them:
 * - Review (from a named person's page, with the mouse; from the navigation, with the keyboard): one face at a
 *   time, most doubtful first, Yes / No / Skip / Back, progress "1 of 5 to review", Ctrl+Z, "All reviewed";
 *   the answers are confirmations and rejections in the library;
 * - a person that is really three people: "Group by similarity" shows three sub-groups with their sizes, a key
 *   (or a click) selects one, and one Move splits it off (keyboard and mouse);
 * - "Name as…" (Unsorted) and "Assign to…" (Photo view, a drawn face) act on Enter, without a confirm bar;
 * - an error toast covers neither the Photo view's face panel nor the hint line.
 * Screenshots go to test-results/review/. Skips without Chromium.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../src-main/app/engine-api.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { addFacesLike, syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'review');

describe.skipIf(!hasChromium())('review and split in Chromium (real engine)', () => {
  const tmp = tempDir('facenet-review-');
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let engine: EngineApi;
  let alice: number;
  let bob: number;
  let mixed: number;
  /** The planned faces of the three people merged into "Mixed" by mistake. */
  let parts: number[][];
  /** A face of nobody in particular, moved into "Mixed". */
  let loner: number;
  /** Faces added after naming, placed into Alice and Bob by re-grouping (not confirmed). */
  let aliceLater: number[];
  let bobLater: number[];
  const errors: string[] = [];

  /** A screenshot once every face thumbnail on the page has loaded (they load lazily). */
  const shot = async (name: string): Promise<void> => {
    await page.waitForFunction(() => [...document.images].every((img) => img.complete), null, { timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  const progress = (): Promise<string | null> => page.getByTestId('review-progress').textContent();
  const shownFace = async (): Promise<number> =>
    Number(await page.getByTestId('review-card').getAttribute('data-face-id'));
  const personOf = async (faceId: number): Promise<number | null> => {
    const photoId = engine.people.lib.faces.get(faceId)!.photoId;
    return (await engine.getPhoto({ photoId })).faces.find((f) => f.id === faceId)!.personId;
  };
  const assignment = async (faceId: number): Promise<string | null> => {
    const photoId = engine.people.lib.faces.get(faceId)!.photoId;
    return (await engine.getPhoto({ photoId })).faces.find((f) => f.id === faceId)!.assignment;
  };
  const sorted = (ids: readonly number[]): number[] => [...ids].sort((a, b) => a - b);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const library = await syntheticLibrary(join(tmp.dir, 'library'), {
      people: [
        { name: 'Alice', faces: 8 },
        { name: 'Bob', faces: 6 },
        { name: null, faces: 5 },
        { name: null, faces: 4 },
        { name: null, faces: 3 },
      ],
      unsorted: 4,
    });
    engine = library.api;
    [alice, bob, mixed] = library.personIds as [number, number, number];
    parts = library.faceIds.slice(2, 5);
    // The wrong merge: three people as one, named (every face confirmed, as merging and naming do), and a face
    // alike to none of them.
    await engine.mergePeople({ targetId: mixed, sourceIds: library.personIds.slice(3, 5) });
    loner = library.unsortedFaceIds[0]!;
    await engine.moveFaces({ faceIds: [loner], to: { personId: mixed } });
    await engine.renamePerson({ personId: mixed, name: 'Mixed' });
    // New photos after naming: typical faces, and look-alikes of Bob in Alice (the most doubtful).
    aliceLater = [
      ...(await addFacesLike(library, 0, 2, { seed: 11 })),
      ...(await addFacesLike(library, 0, 1, { toward: 1, share: 0.4, seed: 12 })),
    ];
    bobLater = await addFacesLike(library, 1, 2, { seed: 13 });
    await engine.recluster({});
    for (const f of aliceLater) expect(await personOf(f)).toBe(alice);
    for (const f of bobLater) expect(await personOf(f)).toBe(bob);
    app = await openApp(engine, { width: 1200, height: 820 }, errors);
    page = app.page;
    server = app.server;
    await page.goto(`${server.url}#/people`);
    await page.locator('.person-card').first().waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it("reviews one person's suggested faces from their page, with the mouse", async () => {
    await page.goto(`${server.origin}/#/person/${bob}`);
    const link = page.getByTestId('review-person');
    await expect.poll(() => link.textContent()).toBe('Review 2 faces');
    await shot('01-person-review-link');
    await link.click();
    await page.waitForURL(new RegExp(`#/review/${bob}$`));
    await expect.poll(() => page.getByTestId('review-question').textContent()).toBe('Is this Bob?');
    await expect.poll(progress).toBe('1 of 2 to review');
    // The photo around the face, and Bob's confirmed faces to compare with.
    await expect
      .poll(() =>
        page
          .getByTestId('review-photo')
          .locator('img')
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await expect.poll(() => page.locator('.review-ref-list img').count()).toBe(3);
    await shot('02-review-bob');
    const first = await shownFace();
    await page.getByRole('button', { name: /^Skip/ }).click();
    await expect.poll(progress).toBe('2 of 2 to review');
    const second = await shownFace();
    expect(sorted([first, second])).toEqual(sorted(bobLater));
    await page.getByRole('button', { name: /^Skip/ }).click();
    // Everything skipped: the view says so and offers to go through the skipped faces again.
    await page.getByTestId('review-done').getByText('2 skipped faces are still waiting').waitFor();
    await shot('03-review-skipped');
    await page.getByRole('button', { name: 'Review the skipped faces' }).click();
    await expect.poll(shownFace).toBe(first);
    await page.getByRole('button', { name: /^Yes/ }).click();
    await expect.poll(progress).toBe('1 of 1 to review');
    await page.getByRole('button', { name: /^Yes/ }).click();
    await page.getByTestId('review-done').getByText('All reviewed').waitFor();
    await page.getByText('Every face of Bob is confirmed.').waitFor();
    await shot('04-review-all-reviewed');
    for (const f of bobLater) expect(await assignment(f)).toBe('confirmed');
    await page.getByRole('link', { name: 'Back to Bob' }).first().click();
    await expect.poll(() => page.getByTestId('person-count').textContent()).toBe('8 faces · 8 confirmed');
    expect(await page.getByTestId('review-person').count()).toBe(0);
  });

  it('reviews from the navigation with Y / N / S / arrows, most doubtful first, and Ctrl+Z undoes', async () => {
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await page.waitForURL(/#\/review$/);
    await expect.poll(progress).toBe('1 of 3 to review');
    await expect.poll(() => page.getByTestId('review-question').textContent()).toBe('Is this Alice?');
    // The look-alike of Bob comes first: it is the farthest from Alice's confirmed faces.
    const doubtful = aliceLater[2]!;
    expect(await shownFace()).toBe(doubtful);
    await page.getByText('S', { exact: true }).first().waitFor(); // the keys are on screen
    await shot('05-review-all-first');
    // At 200% zoom the question, the face and the answers still fit the width (no sideways scrolling).
    await page.setViewportSize({ width: 640, height: 430 });
    await page.getByRole('button', { name: /^Yes/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot('05b-review-narrow');
    await page.setViewportSize({ width: 1200, height: 820 });
    await page.keyboard.press('s');
    await expect.poll(progress).toBe('2 of 3 to review');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(shownFace).toBe(doubtful);
    await page.keyboard.press('n');
    await expect.poll(progress).toBe('1 of 2 to review');
    await expect.poll(() => personOf(doubtful)).not.toBe(alice);
    // Undo brings the face back, in Alice and in the queue.
    await page.keyboard.press('Control+z');
    await expect.poll(progress).toBe('1 of 3 to review');
    await expect.poll(shownFace).toBe(doubtful);
    expect(await personOf(doubtful)).toBe(alice);
    await page.keyboard.press('n');
    await expect.poll(progress).toBe('1 of 2 to review');
    await page.keyboard.press('ArrowRight');
    await expect.poll(progress).toBe('2 of 2 to review');
    await page.keyboard.press('y');
    // Only the skipped face is left: the view says so, and ← goes back to it.
    await page.getByTestId('review-done').getByText('1 skipped face is still waiting').waitFor();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(progress).toBe('1 of 1 to review');
    await page.keyboard.press('y');
    await page.getByTestId('review-done').getByText('All reviewed').waitFor();
    await shot('06-review-all-done');
    expect(await personOf(doubtful)).not.toBe(alice);
    for (const f of aliceLater.slice(0, 2)) expect(await assignment(f)).toBe('confirmed');
    // Re-grouping honours the answers: the "no" stays out of Alice, and nothing is left to review.
    await engine.recluster({});
    expect(await personOf(doubtful)).not.toBe(alice);
    expect((await engine.reviewQueue({})).items.some((i) => i.face.id === doubtful && i.person.id === alice)).toBe(
      false,
    );
  });

  it('groups a person by similarity and splits a sub-group off in one move, by keyboard', async () => {
    await page.goto(`${server.origin}/#/person/${mixed}`);
    await expect.poll(() => page.getByTestId('person-count').textContent()).toBe('13 faces · 13 confirmed');
    await page.getByTestId('face-grid').locator('.cell').first().waitFor();
    await page.keyboard.press('g');
    const rows = page.getByTestId('subgroup');
    await expect.poll(() => rows.count()).toBe(4);
    await expect
      .poll(() => rows.allTextContents())
      .toEqual(['1 Group 1 · 5 faces', '2 Group 2 · 4 faces', '3 Group 3 · 3 faces', '4 Unlike the others · 1 face']);
    await shot('07-grouped');
    await page.keyboard.press('2');
    await expect.poll(() => page.locator('.selection-count').textContent()).toBe('4 selected');
    await expect.poll(() => rows.nth(1).getAttribute('aria-pressed')).toBe('true');
    const selected = await page
      .locator('.cell.selected')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-face-id'))));
    expect(sorted(selected)).toEqual(sorted(parts[1]!));
    await shot('08-group-selected');
    // M, type the new name, Enter picks "New person", Enter again confirms the move.
    await page.keyboard.press('m');
    await page.keyboard.type('Dora');
    await page.getByRole('option', { name: 'New person "Dora"' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('confirm-bar').textContent()).toMatch(/^Move 4 faces to a new person\?/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('person-count').textContent()).toBe('9 faces · 9 confirmed');
    await expect
      .poll(() => rows.allTextContents())
      .toEqual(['1 Group 1 · 5 faces', '2 Group 2 · 3 faces', '3 Unlike the others · 1 face']);
    await shot('09-split-by-keyboard');
    const dora = (await engine.listPeople({ search: 'Dora' }))[0]!;
    expect(sorted((await engine.getPerson({ personId: dora.id })).faces.map((f) => f.id))).toEqual(sorted(parts[1]!));
  });

  it('splits a sub-group off with the mouse', async () => {
    const rows = page.getByTestId('subgroup');
    await rows.nth(1).click();
    await expect.poll(() => page.locator('.selection-count').textContent()).toBe('3 selected');
    await page.getByLabel('Move to…').click();
    await page.getByRole('option', { name: /^New person/ }).click();
    await page.getByTestId('confirm-bar').getByRole('button', { name: /^Move/ }).click();
    await expect.poll(() => page.getByTestId('person-count').textContent()).toBe('6 faces · 6 confirmed');
    await expect.poll(() => rows.allTextContents()).toEqual(['1 Group 1 · 5 faces', '2 Unlike the others · 1 face']);
    await shot('10-split-by-mouse');
    const left = (await engine.getPerson({ personId: mixed })).faces.map((f) => f.id);
    expect(sorted(left)).toEqual(sorted([...parts[0]!, loner]));
    // The toggle goes back to the plain grid.
    await page.getByRole('button', { name: 'Group by similarity' }).click();
    await expect.poll(() => rows.count()).toBe(0);
  });

  it('"Name as…" in Unsorted acts on Enter, without a confirm bar', async () => {
    await page.goto(`${server.origin}/#/unsorted`);
    const grid = page.getByTestId('face-grid');
    await grid.locator('.cell').first().waitFor();
    const before = await grid.locator('.cell').count();
    await grid.locator('.cell[data-index="0"]').click();
    await page.keyboard.press('n');
    await page.keyboard.type('Zed');
    await page.getByRole('option', { name: 'New person "Zed"' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => grid.locator('.cell').count()).toBe(before - 1);
    expect(await page.getByTestId('confirm-bar').count()).toBe(0);
    expect((await engine.listPeople({ search: 'Zed' })).map((p) => p.faceCount)).toEqual([1]);
  });

  it('"Assign to…" a drawn face acts on Enter; an error toast covers neither the face panel nor the hint', async () => {
    const photoId = engine.people.lib.faces.get(parts[0]![0]!)!.photoId;
    await page.goto(`${server.origin}/#/photo/${photoId}`);
    const stage = page.getByTestId('photo-stage');
    await stage.locator('.face-box').first().waitFor();
    const boxes = await stage.locator('.face-box').count();
    await page.getByRole('button', { name: 'Add a missed face' }).click();
    const r = (await stage.boundingBox())!;
    await page.mouse.move(r.x + r.width * 0.02, r.y + r.height * 0.05);
    await page.mouse.down();
    await page.mouse.move(r.x + r.width * 0.25, r.y + r.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('drawn-box').waitFor();
    await page.getByLabel('Assign to…').click();
    await page.keyboard.type('Alice');
    await page.getByRole('option', { name: /^Alice/ }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => stage.locator('.face-box').count(), { timeout: 120_000 }).toBe(boxes + 1);
    expect(await page.getByTestId('confirm-bar').count()).toBe(0);
    await stage.locator('.face-box', { hasText: 'Alice' }).waitFor();

    // An action that fails (the server refuses it): the toast shows, and hides nothing of the panel or the hint.
    await stage.locator('.face-box', { hasText: 'Alice' }).click();
    const panel = page.getByTestId('face-panel');
    await panel.waitFor();
    await page.route('**/api/rejectFaces', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'conflict', message: 'the library is in use by another FaceNet process' },
        }),
      }),
    );
    await panel.getByRole('button', { name: 'Not Alice' }).click();
    const toast = page.getByTestId('error-toast');
    await toast.waitFor();
    await shot('11-error-toast-photo');
    const overlaps = async (a: Locator, b: Locator): Promise<boolean> => {
      const x = (await a.boundingBox())!;
      const y = (await b.boundingBox())!;
      return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
    };
    expect(await overlaps(toast, panel)).toBe(false);
    // Nor does the undo toast of the face just added.
    expect(await overlaps(page.getByTestId('undo-toast'), panel)).toBe(false);
    for (const hint of await page.locator('.hint').all())
      if (await hint.isVisible()) expect(await overlaps(toast, hint)).toBe(false);
    expect(await overlaps(toast, page.locator('.view .toolbar').last())).toBe(false);
    await page.unroute('**/api/rejectFaces');
    await page.keyboard.press('Escape');
    await expect.poll(() => toast.count()).toBe(0);
    expect(errors).toEqual([]);
  }, 180_000);
});
