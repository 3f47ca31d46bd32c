/**
 * Benchmark (not a test): opens a person with 10,000 faces in Chromium against `facenet serve` on the real
 * EngineApi over a synthetic library (test/helpers/synthetic-library.ts: 10,000 small photos, one face each, all
 * confirmed for one person; built in a temporary folder before the clock starts), and prints JSON:
 * - firstScreenMs: from navigation to the person's first screen of face cells in the DOM (target < 1000),
 *   with the share of the getPerson request (10,000 faces of JSON) and the machine's load average;
 * - cellsInDom: grid cells that exist at once (virtualisation: a screenful, not 10,000);
 * - scroll: cell renders caused by scrolling one screen, and by scrolling across the whole grid, against
 *   the cells that came into view (a full re-render would be ~cellsInDom per step).
 * Run: npx tsx test/bench/person-grid.bench.ts   (builds the renderer if needed)
 */
import { ensureRendererBuilt, launchChromium } from '../helpers/browser.js';
import { syntheticLibrary } from '../helpers/synthetic-library.js';
import { tempDir } from '../helpers/tmp.js';
import { startServer } from '../../src-main/hosts/server/server.js';

const FACES = Number(process.env.FACES ?? 10_000);

const tmp = tempDir('facenet-bench-');
const staticDir = await ensureRendererBuilt();
const library = await syntheticLibrary(tmp.dir, {
  people: [{ name: 'Many Faces', faces: FACES }],
  grouping: 'confirmed',
});
const engine = library.api;
const server = await startServer({ engine, staticDir });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Warm up the browser and the HTTP cache for the app bundle (a desktop app has it on disk).
  await page.goto(`${server.url}#/people`);
  await page.waitForSelector('.person-card');
  const start = Date.now();
  await page.goto(`${server.origin}/#/person/${library.personIds[0]}`);
  await page.waitForSelector('.cell[data-index="0"]');
  await page.waitForFunction(() => document.querySelectorAll('.cell').length > 20);
  const firstScreenMs = Date.now() - start;
  const getPersonMs = await page.evaluate(() => {
    const r = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/getPerson'));
    const last = r[r.length - 1];
    return last ? Math.round(last.duration) : null;
  });
  const cellsInDom = await page.locator('.cell').count();

  const scrollStep = async (dy: number): Promise<{ renders: number; newlyVisible: number }> =>
    page.evaluate(async (delta) => {
      const grid = document.querySelector('.face-grid') as HTMLElement;
      const before = new Set([...document.querySelectorAll('.cell')].map((c) => c.getAttribute('data-face-id')));
      const r0 = window.__facenetCellRenders ?? 0;
      grid.scrollTop += delta;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 30))));
      const after = [...document.querySelectorAll('.cell')].map((c) => c.getAttribute('data-face-id'));
      return {
        renders: (window.__facenetCellRenders ?? 0) - r0,
        newlyVisible: after.filter((id) => !before.has(id)).length,
      };
    }, dy);

  const viewport = await page.evaluate(() => (document.querySelector('.face-grid') as HTMLElement).clientHeight);
  const oneScreen = await scrollStep(viewport);
  let renders = 0;
  let newly = 0;
  const t0 = Date.now();
  const steps = 60;
  for (let i = 0; i < steps; i++) {
    const s = await scrollStep(Math.round(viewport / 3));
    renders += s.renders;
    newly += s.newlyVisible;
  }
  const scrollMs = Date.now() - t0;
  const result = {
    faces: FACES,
    firstScreenMs,
    getPersonRequestMs: getPersonMs,
    loadAverage: (await import('node:os')).loadavg()[0]!.toFixed(1),
    targetMs: 1000,
    pass: firstScreenMs < 1000,
    cellsInDom,
    scroll: {
      oneScreen: { cellRenders: oneScreen.renders, cellsThatCameIntoView: oneScreen.newlyVisible },
      smallSteps: {
        steps,
        cellRenders: renders,
        cellsThatCameIntoView: newly,
        msPerStep: +(scrollMs / steps).toFixed(1),
      },
      wholeGridRerenderWouldBe: cellsInDom,
    },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  await server.close();
  await engine.close();
  tmp.cleanup();
}
