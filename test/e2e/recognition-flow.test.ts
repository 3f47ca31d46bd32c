/**
 * End to end, as a user: "Improve recognition from my labels" in Debian's Chromium against `facenet serve`
 * (in process, the real EngineApi, the real ONNX pipeline, the real tuning service training in a worker thread)
 * on six identities of ../shared/faces (30 photos). In the page: with too few labels the Recognition view says
 * what training needs, with the user's counts, instead of offering it (and the engine refuses a start); with
 * 20 confirmed faces of 4 people (confirmed through the API, as the review flow would) it trains a harmonic
 * version and reports in plain words with the held-out sample size; the forecast it shows is exactly what
 * Apply then does (faces that changed person, people after); the switch is in History and Ctrl+Z puts every
 * person, face and vector back exactly; "Use this version" asks with the forecast, and going back to the
 * shipped version brings the people back exactly as they were. Screenshots go to test-results/e2e/. Skips
 * without ../shared/faces or Chromium.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src-shared/api.js';
import { EngineApi } from '../../src-main/app/engine-api.js';
import type { RunningServer } from '../../src-main/hosts/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { hasShared, SHARED_DIR } from '../helpers/shared.js';
import { tempDir } from '../helpers/tmp.js';
import { EmbeddingLayer } from '../../training/embedding-layer.js';
import { Rng } from '../../src-shared/random.js';
import { loadShippedLayer } from '../../models/convert/faceapi/shipped-layer.js';
import { embeddings, userWork } from '../helpers/tuning-library.js';

/** Five photos each; the first four get confirmed names, the last two stay as the clustering left them. */
const IDENTITIES = ['celeba_07218', 'celeba_07221', 'celeba_07232', 'celeba_07241', 'celeba_07243', 'celeba_07257'];
const NAMES = ['Ada Example', 'Ben Example', 'Cleo Example', 'Dan Example'];
/** Between same-identity and different-identity distances on these photos with dlib (test/integration/app/real-pipeline.test.ts). */
const THRESHOLD = 0.16;
const SHOTS = join(REPO, 'test-results', 'e2e');
const enabled = hasShared(`faces/${IDENTITIES[0]}`) && hasChromium();

/** The shipped layer with Gaussian noise of `scale` times its RMS weight added: a version that regroups faces. */
function noisyShippedLayer(scale = 1, seed = 3): EmbeddingLayer {
  const shipped = loadShippedLayer();
  const rng = new Rng(seed);
  const w = Float32Array.from(shipped.weights);
  const rms = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
  for (let i = 0; i < w.length; i++) w[i] = w[i]! + scale * rms * rng.normal();
  return new EmbeddingLayer({
    inDim: shipped.inDim,
    outDim: shipped.outDim,
    weights: w,
    bias: Float32Array.from(shipped.bias),
    id: 'noisy-shipped',
  });
}

describe.skipIf(!enabled)('improve recognition in Chromium against facenet serve (real engine)', () => {
  const tmp = tempDir('facenet-e2e-tune-');
  let engine: EngineApi;
  let server: RunningServer;
  let app: OpenedApp | undefined;
  let page: Page;
  const events: ApiEvent[] = [];
  const pageErrors: string[] = [];

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const versionRow = (v: number) => page.getByTestId('model-versions').locator(`tr[data-version="${v}"]`);
  const activeVersion = async (): Promise<number | undefined> =>
    (await engine.modelVersions()).find((v) => v.active)?.version;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const root = join(tmp.dir, 'photos');
    for (const id of IDENTITIES) {
      mkdirSync(join(root, id), { recursive: true });
      for (const f of readdirSync(join(SHARED_DIR, 'faces', id)))
        copyFileSync(join(SHARED_DIR, 'faces', id, f), join(root, id, f));
    }
    engine = EngineApi.open(join(tmp.dir, 'library.sqlite'));
    engine.on((e) => events.push(e));
    await engine.updateSettings({ threshold: THRESHOLD });
    await engine.addFolder({ path: root });
    await engine.startIndexing();
    await engine.whenIdle();
    app = await openApp(engine, { width: 1280, height: 900 }, pageErrors);
    page = app.page;
    server = app.server;
  });

  afterAll(async () => {
    await app?.close();
    await engine?.close();
    tmp.cleanup();
  });

  /** The largest face of every photo of each identity (a celeba photo shows one person). */
  function facesByIdentity(): Map<string, number[]> {
    const rows = engine.library.library.db
      .prepare('SELECT id, photo_id, box_w * box_h AS area FROM faces ORDER BY area DESC, id')
      .all() as { id: number; photo_id: number; area: number }[];
    const seen = new Set<number>();
    const out = new Map<string, number[]>();
    for (const r of rows) {
      if (seen.has(r.photo_id)) continue;
      seen.add(r.photo_id);
      const identity = basename(dirname(engine.photoFile(r.photo_id)));
      out.set(identity, [...(out.get(identity) ?? []), r.id]);
    }
    return out;
  }

  /** Every person row, every face's person, assignment and vectors, every decision: compared exactly. */
  function fullState(): Record<string, unknown[]> {
    const db = engine.library.library.db;
    return {
      people: db.prepare('SELECT * FROM people ORDER BY id').all(),
      faces: db.prepare('SELECT id, person_id, assignment FROM faces ORDER BY id').all(),
      vectors: embeddings(engine),
      decisions: db.prepare('SELECT * FROM face_decisions ORDER BY id').all(),
      active: db.prepare('SELECT id FROM embedding_versions WHERE active = 1').all(),
    };
  }

  const personOf = (): Map<number, number | null> =>
    new Map(
      (
        engine.library.library.db.prepare('SELECT id, person_id FROM faces').all() as {
          id: number;
          person_id: number | null;
        }[]
      ).map((r) => [r.id, r.person_id]),
    );

  it('guards training, forecasts Apply truly, and undoes a switch with Ctrl+Z', { timeout: 600_000 }, async () => {
    expect((await engine.status()).photos).toMatchObject({ done: 30, error: 0 });
    const byIdentity = facesByIdentity();
    const name = async (i: number) => {
      const faceIds = byIdentity.get(IDENTITIES[i]!)!;
      expect(faceIds).toHaveLength(5);
      await engine.moveFaces({ faceIds, to: { newPerson: true, name: NAMES[i]! } });
    };

    // ---- Too few labels: the view says what training needs, with the counts, and offers no training.
    await name(0);
    await name(1);
    await page.goto(`${server.url}#/people`);
    await page.getByRole('link', { name: 'Recognition' }).click();
    await page.getByRole('heading', { name: 'Improve recognition' }).waitFor();
    const needs = page.getByTestId('tuning-needs');
    await needs
      .getByText(
        'Training needs at least 20 confirmed faces in all, with at least 5 each for at least 2 people. ' +
          'So far: 10 confirmed faces of 2 people, 2 of them with 5 or more.',
      )
      .waitFor();
    expect(await page.getByRole('button', { name: 'Start training' }).count()).toBe(0);
    const refused = await engine.tuneStart({}).catch((e: Error) => e);
    expect((refused as Error).message).toMatch(/^not enough confirmed faces to learn from \(10 confirmed faces/);
    await shot('tune-01-too-few-labels');

    // ---- Enough: 20 confirmed faces of 4 people; two identities stay as the clustering left them.
    await name(2);
    await name(3);
    const work = await userWork(engine);
    expect(work.people).toHaveLength(4);
    await page.getByTestId('tuning-labels').getByText('20 confirmed faces of 4 people to learn from.').waitFor();
    expect(await needs.count()).toBe(0);
    const harmonic = page.getByLabel('Keep compatible with current faces (harmonic)');
    await harmonic.check();
    await expect.poll(() => versionRow(0).textContent()).toContain('In use');

    // ---- Train: the report in plain words, its figures with their sample size; nothing the user made changed.
    await page.getByRole('button', { name: 'Start training' }).click();
    const report = page.getByTestId('tune-report');
    await report.waitFor({ timeout: 300_000 });
    const line = (key: string) => report.locator(`[data-line="${key}"] dd`).textContent();
    expect(await line('sample')).toMatch(/^8 held-out faces of 4 people: too few to mean much/);
    expect(await line('val')).toMatch(/^\d+\.\d% → \d+\.\d%$/);
    expect(await line('cross')).toMatch(/^\d+\.\d%$/);
    expect(await line('learned')).toMatch(/confirmed faces of 4 people \(8 held out for these figures\)$/);
    await report
      .getByText(/^Version 1 recognises your held-out faces .+ but from 8 held-out faces of 4 people/)
      .waitFor();
    expect(events.find((e) => e.type === 'tuning-finished')).toMatchObject({ outcome: 'done', report: { version: 1 } });
    expect(await activeVersion()).toBe(0);
    expect(await userWork(engine)).toEqual(work);

    // ---- The forecast the view shows (asked now, not taken from the report) is what Apply does.
    const forecast = page.getByTestId('tune-forecast');
    await forecast.getByText(/^If you apply it now: /).waitFor();
    await shot('tune-02-report');
    const said = /(\d+) faces? of (\d+) will change person; people (\d+) → (\d+)\./.exec(
      (await forecast.textContent()) ?? '',
    );
    expect(said, 'forecast sentence').not.toBeNull();
    const [moving, faces, peopleNow, peopleAfter] = said!.slice(1).map(Number) as [number, number, number, number];
    expect(faces).toBe(30);
    expect(peopleNow).toBe((await engine.status()).people);
    expect(await line('library-changes')).toBe(`${moving} of ${faces} (people ${peopleNow} → ${peopleAfter})`);
    const before = fullState();
    const was = personOf();

    await report.getByRole('button', { name: 'Apply' }).click();
    await page
      .getByTestId('tuning-message')
      .getByText(/^Now using version 1: \d+ faces? changed person; \d+ people\. Undo it in History or with Ctrl\+Z\.$/)
      .waitFor();
    expect(await activeVersion()).toBe(1);
    const now = personOf();
    expect([...was].filter(([id, p]) => now.get(id) !== p).length).toBe(moving);
    expect((await engine.status()).people).toBe(peopleAfter);
    expect(await userWork(engine)).toEqual(work);
    await shot('tune-03-applied');

    // ---- The switch is in History; Ctrl+Z undoes exactly it: version, vectors, people and faces as before.
    await page.getByRole('link', { name: 'History' }).click();
    const history = page.getByRole('region', { name: 'History' });
    await history.getByText('Switched recognition from version 0 (shipped) to version 1').waitFor();
    await shot('tune-04-history');
    await page.keyboard.press('Control+z');
    await expect.poll(() => activeVersion()).toBe(0);
    expect(fullState()).toEqual(before);
    await expect
      .poll(() => history.getByText('Switched recognition from version 0 (shipped) to version 1').count())
      .toBe(0);

    // ---- A version that really moves faces (the trained one barely does on six well-separated people): the
    // shipped layer with noise, stored as version 2. "Use this version" asks with the forecast, which Apply
    // then matches; going back to the shipped version restores the people exactly as they were.
    const v2 = engine.tuning.versions.insert({
      parent: 0,
      harmonic: false,
      modelVersion: engine.people.modelVersion()!,
      layer: noisyShippedLayer().toBinary(),
      metrics: {},
    });
    expect(v2).toBe(2);
    await page.getByRole('link', { name: 'Recognition' }).click();
    await versionRow(2).waitFor();
    const ask = () =>
      new Promise<string>((resolve) =>
        page.once('dialog', (d) => {
          resolve(d.message());
          void d.accept();
        }),
      );
    let asked = ask();
    const beforeV2 = personOf();
    await versionRow(2).getByRole('button', { name: 'Use this version' }).click();
    const question = await asked;
    const willMove = / (\d+) faces? of 30 will change person; people \d+ → (\d+)\. You can undo it in History\.$/.exec(
      question,
    );
    expect(question).toMatch(/^Use version 2\?/);
    expect(willMove, question).not.toBeNull();
    await expect.poll(() => versionRow(2).textContent()).toContain('In use');
    const afterV2 = personOf();
    const movedV2 = [...beforeV2].filter(([id, p]) => afterV2.get(id) !== p).length;
    expect(movedV2).toBeGreaterThan(0);
    expect(movedV2).toBe(Number(willMove![1]));
    expect((await engine.status()).people).toBe(Number(willMove![2]));
    expect(await userWork(engine)).toEqual(work);
    await shot('tune-05-noisy-version');
    asked = ask();
    await versionRow(0).getByRole('button', { name: 'Use this version' }).click();
    expect(await asked).toMatch(/^Go back to the shipped version \(0\)\?.*People come back exactly as they were/);
    await page
      .getByTestId('tuning-message')
      .getByText(/^Now using version 0 \(shipped\): .*people as they were with this version/)
      .waitFor();
    const { vectors: _v, ...peopleBefore } = before;
    const { vectors: _w, ...peopleNowState } = fullState();
    expect(peopleNowState).toEqual(peopleBefore);
    expect(embeddings(engine)).toEqual(before.vectors);
    await shot('tune-06-rolled-back');

    // The People view still shows the four named people.
    await page.getByRole('link', { name: 'People', exact: true }).click();
    const named = page.getByTestId('named-people');
    for (const n of NAMES) await named.getByText(n).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
