/**
 * The Suggestions view in Chromium, against `facenet serve` on the real EngineApi over a real SQLite library of
 * synthetic people (test/helpers/synthetic-library.ts, stored as the user's work so that look-alikes stay
 * apart): two look-alike pairs at known distances, Anna and an unnamed twin (closest) then Ben and a smaller
 * unnamed twin, and Cleo, who looks like nobody. The view lists the pairs most likely first, each side with its
 * name, count and up to four of its faces (the ones the API says, the person's own), `A` merges the first pair
 * into the named person and `D` dismisses the next. Then, on ../shared/celeba-people indexed by the real
 * pipeline and grouped automatically, every suggested pair in the API's order with four real faces a side.
 * Screenshots in test-results/suggestions/. Skips without Chromium (the real-faces part without the set).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergeSuggestionDto } from '../../src-shared/api.js';
import { openIndexedTree, type IndexedTree } from '../../src-main/app/evaluation/indexed-tree.js';
import type { EngineApi } from '../../src-main/app/engine-api.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { hasShared, SHARED_DIR } from '../helpers/shared.js';
import { syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'suggestions');

describe.skipIf(!hasChromium())('merge suggestions in Chromium (real engine)', () => {
  const tmp = tempDir('facenet-suggestions-');
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  let engine: EngineApi;
  let ids: number[];
  let faceIds: number[][];
  let listed: MergeSuggestionDto[];
  const errors: string[] = [];

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const rows = () => page.getByTestId('suggestion');
  /** The person ids of each row's two sides, and the face ids each side shows, as rendered. */
  const rendered = () =>
    rows().evaluateAll((lis) =>
      lis.map((li) =>
        [...li.querySelectorAll('.suggestion-side')].map((side) => ({
          person: Number(side.getAttribute('data-person-id')),
          faces: [...side.querySelectorAll('img')].map((img) => Number(img.getAttribute('data-face-id'))),
        })),
      ),
    );

  beforeAll(async () => {
    const library = await syntheticLibrary(join(tmp.dir, 'library'), {
      people: [
        { name: 'Anna', faces: 12 },
        { name: null, faces: 6, twinOf: { person: 0, apart: 0.02 } },
        { name: 'Ben', faces: 8 },
        { name: null, faces: 3, twinOf: { person: 2, apart: 0.06 } },
        { name: 'Cleo', faces: 5 },
      ],
      grouping: 'confirmed',
    });
    engine = library.api;
    ids = library.personIds;
    faceIds = library.faceIds;
    listed = await engine.mergeSuggestions({});
    app = await openApp(engine, { width: 1100, height: 700 }, errors);
    page = app.page;
    server = app.server;
    await page.goto(`${server.url}#/merge`);
  });

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('lists the look-alike pairs most likely first, four faces of each side from that side', async () => {
    const [anna, annaTwin, ben, benTwin] = ids as [number, number, number, number];
    // The API: exactly the two planned pairs, closest first, each side showing its own faces.
    expect(listed.map((s) => [s.a.id, s.b.id].sort((x, y) => x - y))).toEqual([
      [anna, annaTwin].sort((x, y) => x - y),
      [ben, benTwin].sort((x, y) => x - y),
    ]);
    expect(listed[0]!.distance).toBeLessThan(listed[1]!.distance);
    await rows().first().waitFor();
    await expect.poll(() => rows().count()).toBe(2);
    const shown = await rendered();
    expect(shown).toEqual(
      listed.map((s) => [
        { person: s.a.id, faces: s.aFaceIds },
        { person: s.b.id, faces: s.bFaceIds },
      ]),
    );
    const own = new Map(ids.map((id, i) => [id, new Set(faceIds[i])]));
    for (const row of shown) {
      for (const side of row) {
        expect(side.faces.length).toBe(Math.min(4, own.get(side.person)!.size));
        for (const f of side.faces) expect(own.get(side.person)!.has(f)).toBe(true);
      }
    }
    // Every thumbnail loaded (a real JPEG crop from the server), and the names and counts are on the row.
    await expect
      .poll(
        () =>
          rows()
            .locator('img')
            .evaluateAll((imgs) =>
              imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
            ),
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect(rows().first().textContent()).resolves.toMatch(/Anna\s*12 faces.*Unnamed #\d+\s*6 faces/);
    await expect(rows().nth(1).textContent()).resolves.toMatch(/Ben\s*8 faces.*Unnamed #\d+\s*3 faces/);
    await shot('01-two-pairs');
  });

  it('A merges the first pair into the named person, D dismisses the next, and the list empties', async () => {
    const [anna, annaTwin] = ids as [number, number];
    await page.keyboard.press('a');
    await expect.poll(() => rows().count()).toBe(1);
    await expect.poll(async () => (await engine.getPerson({ personId: anna })).person.faceCount).toBe(18);
    await expect(engine.getPerson({ personId: annaTwin })).rejects.toThrow();
    await expect(rows().first().textContent()).resolves.toMatch(/Ben/);
    await shot('02-after-accept');
    await page.keyboard.press('d');
    await page.getByText('No suggestions right now.').waitFor();
    expect(await engine.mergeSuggestions({})).toEqual([]);
    await shot('03-empty');
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium() || !hasShared('celeba-people'))(
  'merge suggestions on real faces (celeba-people)',
  () => {
    let tree: IndexedTree;
    let app: OpenedApp | undefined;
    const errors: string[] = [];

    beforeAll(async () => {
      // Indexed by the real pipeline (about a minute the first time, then from the cache), grouped automatically.
      tree = await openIndexedTree({ root: join(SHARED_DIR, 'celeba-people') });
      await tree.api.recluster({});
      app = await openApp(tree.engine, { width: 1100, height: 1000 }, errors);
    }, 600_000);

    afterAll(async () => {
      await app?.close();
      await tree?.close();
    });

    it('shows every suggested pair with up to four real faces of each side, in the API order', async () => {
      const page = app!.page;
      const listed = await tree.api.mergeSuggestions({ limit: 100 });
      expect(listed.length).toBeGreaterThan(1);
      await page.goto(`${app!.server.url}#/merge`);
      const rows = page.getByTestId('suggestion');
      await rows.first().waitFor();
      await expect.poll(() => rows.count()).toBe(listed.length);
      const order = await rows.evaluateAll((lis) =>
        lis.map((li) =>
          [...li.querySelectorAll('.suggestion-side')].map((s) => Number(s.getAttribute('data-person-id'))),
        ),
      );
      expect(order).toEqual(listed.map((s) => [s.a.id, s.b.id]));
      for (const s of listed) {
        expect(s.aFaceIds.length).toBe(Math.min(4, s.a.faceCount));
        expect(s.bFaceIds.length).toBe(Math.min(4, s.b.faceCount));
      }
      const shown = listed.reduce((n, s) => n + s.aFaceIds.length + s.bFaceIds.length, 0);
      expect(await rows.locator('.suggestion-side img').count()).toBe(shown);
      // Every thumbnail on the screen has loaded (the server crops them from the real photos on first request).
      await expect
        .poll(
          () =>
            rows
              .locator('img')
              .evaluateAll((imgs) =>
                imgs
                  .filter((i) => i.getBoundingClientRect().top < window.innerHeight)
                  .every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
              ),
          { timeout: 15_000 },
        )
        .toBe(true);
      await page.screenshot({ path: join(SHOTS, '04-celeba-people.png') });
      expect(errors).toEqual([]);
    });
  },
);
