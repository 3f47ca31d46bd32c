/**
 * Dark mode follows the system: Chromium emulates a dark (then a light) colour scheme, as the OS setting
 * does through prefers-color-scheme, and every main view, a dialog and the Photo view's face boxes are
 * checked on the computed colours: a dark page and light text in dark mode (the reverse in light mode), and
 * every visible piece of text readable against the background it is drawn on (no white on white, no dark on
 * dark). Screenshots of each view in both schemes land in test-results/ui/theme/. Real engine over a real
 * SQLite library of synthetic people (test/helpers/synthetic-library.ts). Skips without Chromium.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineApi } from '../../src-main/app/engine-api.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(REPO, 'test-results', 'ui', 'theme');

interface TextProblem {
  text: string;
  color: string;
  background: string;
  ratio: number;
}

/**
 * In the page: the page background, the body text colour, and every visible text whose contrast against the
 * nearest opaque background behind it is below `min` (WCAG contrast ratio). Disabled controls are skipped
 * (drawn at half opacity on purpose), and so is text over the photo stage (its own dark backdrop).
 */
function inspect(page: Page, min: number): Promise<{ bg: string; ink: string; problems: TextProblem[] }> {
  return page.evaluate((minRatio) => {
    const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: string): number => {
      const [r, g, b] = parse(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      }) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a: string, b: string): number => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
      return (x + 0.05) / (y + 0.05);
    };
    const opaque = (c: string): boolean => {
      const v = parse(c);
      return c !== 'transparent' && (v.length < 4 || v[3]! > 0.5);
    };
    const backgroundOf = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (opaque(bg)) return bg;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    const problems: TextProblem[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = (n.nodeValue ?? '').trim();
      if (!el || !text) continue;
      if (el.closest('[disabled], .photo-stage, svg, option')) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      const bg = backgroundOf(el);
      const r = ratio(style.color, bg);
      if (r < minRatio) problems.push({ text: text.slice(0, 40), color: style.color, background: bg, ratio: r });
    }
    const main = document.querySelector('main') ?? document.body;
    return { bg: backgroundOf(main), ink: getComputedStyle(main).color, problems };
  }, min);
}

const luminance = (c: string): number => {
  const [r, g, b] = (c.match(/[\d.]+/g) ?? []).map(Number) as [number, number, number];
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
};

describe.skipIf(!hasChromium())('dark mode follows the system (Chromium, real engine)', () => {
  const tmp = tempDir('facenet-theme-');
  let app: OpenedApp | undefined;
  let page: Page;
  let engine: EngineApi;
  let anna: number;
  let unnamed: number;
  let photoId: number;
  const errors: string[] = [];

  beforeAll(async () => {
    const library = await syntheticLibrary(join(tmp.dir, 'library'), {
      people: [
        { name: 'Anna', faces: 14 },
        { name: 'Ben', faces: 9 },
        { name: null, faces: 6 },
      ],
      unsorted: 8,
    });
    engine = library.api;
    anna = library.personIds[0]!;
    unnamed = library.personIds[2]!;
    photoId = (await engine.getPerson({ personId: anna })).faces[0]!.photoId;
    app = await openApp(engine, { width: 1100, height: 760 }, errors);
    page = app.page;
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  const views = (): { name: string; hash: string; ready: string }[] => [
    { name: 'people', hash: '#/people', ready: '.person-card' },
    { name: 'person', hash: `#/person/${anna}`, ready: '.cell' },
    { name: 'review', hash: `#/review/${unnamed}`, ready: '[data-testid=review-card]' },
    { name: 'review-done', hash: '#/review', ready: '[data-testid=review-done]' },
    { name: 'unsorted', hash: '#/unsorted', ready: 'main h1, main h2' },
    { name: 'suggestions', hash: '#/merge', ready: 'main h1, main h2' },
    { name: 'library', hash: '#/library', ready: 'main h1, main h2' },
    { name: 'threshold', hash: '#/threshold', ready: 'main h1, main h2' },
    { name: 'recognition', hash: '#/recognition', ready: 'main h1, main h2' },
    { name: 'settings', hash: '#/settings', ready: 'main h1, main h2' },
    { name: 'history', hash: '#/undo', ready: 'main h1, main h2' },
    { name: 'photo', hash: `#/photo/${photoId}`, ready: '.face-box' },
  ];

  for (const scheme of ['dark', 'light'] as const) {
    it(`${scheme}: every view has a ${scheme} page and readable text; a dialog and the face boxes too`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      for (const v of views()) {
        await page.goto(`${app!.server.url}${v.hash}`);
        await page.locator(v.ready).first().waitFor();
        // Let data-driven parts (lists, plots) arrive before judging them.
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: join(SHOTS, `${scheme}-${v.name}.png`) });
        const { bg, ink, problems } = await inspect(page, 3);
        if (scheme === 'dark') {
          expect(luminance(bg), `${v.name} background ${bg}`).toBeLessThan(0.2);
          expect(luminance(ink), `${v.name} text ${ink}`).toBeGreaterThan(0.75);
        } else {
          expect(luminance(bg), `${v.name} background ${bg}`).toBeGreaterThan(0.9);
          expect(luminance(ink), `${v.name} text ${ink}`).toBeLessThan(0.25);
        }
        expect(problems, `${scheme} ${v.name}: text hard to read`).toEqual([]);
      }

      // The photo's face boxes stay visible on the dark stage, in both schemes.
      const box = page.locator('.face-box').first();
      expect(await box.evaluate((el) => getComputedStyle(el).borderTopColor)).toBe('rgb(255, 255, 255)');

      // A dialog (Export from a person) is drawn on the scheme's panel colour, with readable text.
      await page.goto(`${app!.server.url}#/person/${anna}`);
      await page.locator('.cell').first().waitFor();
      await page.getByRole('button', { name: 'Export…' }).click();
      const dialog = page.locator('.dialog').first();
      await dialog.waitFor();
      const panel = await dialog.evaluate((el) => getComputedStyle(el).backgroundColor);
      if (scheme === 'dark') expect(luminance(panel)).toBeLessThan(0.2);
      else expect(luminance(panel)).toBeGreaterThan(0.9);
      expect((await inspect(page, 3)).problems, `${scheme} export dialog`).toEqual([]);
      await page.screenshot({ path: join(SHOTS, `${scheme}-dialog.png`) });
      await page.keyboard.press('Escape');
      expect(errors).toEqual([]);
    }, 120_000);
  }
});
