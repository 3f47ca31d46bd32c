/**
 * End to end, as a user: "Improve recognition from my labels" in Debian's Chromium against `facenet serve`
 * (in process, the real EngineApi, the real ONNX pipeline, the real tuning service training in a worker thread)
 * on four identities of ../shared/faces. Faces of three of them are confirmed and named through the API first
 * (as the review flow would); then, in the page: the Recognition view refuses to train without labels and says
 * why, shows the labels available, trains a harmonic version with the report in plain words, applies it, and
 * rolls back to version 0 after a confirmation. After each step the user's names and confirmed faces are
 * exactly as they were. Screenshots go to test-results/e2e/. Skips without ../shared/faces or Chromium.
 */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../src-shared/api.js';
import { EngineApi } from '../../src-main/api/engine-api.js';
import type { RunningServer } from '../../src-main/server/server.js';
import { hasChromium, openApp, REPO, type OpenedApp } from '../helpers/browser.js';
import { hasShared, SHARED_DIR } from '../helpers/shared.js';
import { tempDir } from '../helpers/tmp.js';
import { userWork } from '../helpers/tuning-library.js';

/** Five photos each; the first three get confirmed names, the fourth stays as the clustering left it. */
const IDENTITIES = ['celeba_07218', 'celeba_07221', 'celeba_07232', 'celeba_07241'];
const NAMES = ['Ada Example', 'Ben Example', 'Cleo Example'];
/** Same identity <= 0.11, different >= 0.22 on these photos with dlib (test/api/real-pipeline.test.ts). */
const THRESHOLD = 0.16;
const SHOTS = join(REPO, 'test-results', 'e2e');
const enabled = hasShared(`faces/${IDENTITIES[0]}`) && hasChromium();

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

  it('trains from confirmed faces, shows before/after, applies and rolls back', { timeout: 600_000 }, async () => {
    expect((await engine.status()).photos).toMatchObject({ done: 20, error: 0 });

    // ---- Without confirmed faces the view says why it cannot learn, and a start is refused with the reason.
    await page.goto(`${server.url}#/people`);
    await page.getByRole('link', { name: 'Recognition' }).click();
    await page.getByRole('heading', { name: 'Improve recognition' }).waitFor();
    await page
      .getByTestId('tuning-labels')
      .getByText(/Cannot start yet: not enough confirmed faces/)
      .waitFor();
    await page.getByRole('button', { name: 'Start training' }).click();
    await page
      .getByRole('alert')
      .getByText(/not enough confirmed faces/)
      .waitFor();
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    expect(await engine.modelVersions()).toHaveLength(1);
    await shot('tune-01-no-labels');

    // ---- The user's labels (through the API, as the review flow makes them): three named people, 15 faces.
    const byIdentity = facesByIdentity();
    for (const [i, name] of NAMES.entries()) {
      const faceIds = byIdentity.get(IDENTITIES[i]!)!;
      expect(faceIds).toHaveLength(5);
      await engine.moveFaces({ faceIds, to: { newPerson: true, name } });
    }
    const work = await userWork(engine);
    expect(work.people).toHaveLength(3);

    await page.getByTestId('tuning-labels').getByText('15 confirmed faces of 3 people to learn from.').waitFor();
    const harmonic = page.getByLabel('Keep compatible with current faces (harmonic)');
    await harmonic.check();
    expect(await harmonic.isChecked()).toBe(true);
    await expect.poll(() => versionRow(0).textContent()).toContain('In use');

    // ---- Train: the report comes back in plain words; nothing the user made has changed.
    await page.getByRole('button', { name: 'Start training' }).click();
    const report = page.getByTestId('tune-report');
    await report.waitFor({ timeout: 300_000 });
    await shot('tune-02-report');
    const line = (key: string) => report.locator(`[data-line="${key}"] dd`).textContent();
    expect(await line('val')).toMatch(/^\d+\.\d% → \d+\.\d%$/);
    expect(await line('cross')).toMatch(/^\d+\.\d%$/);
    expect(await line('nearest')).toMatch(/^\d+\.\d% → \d+\.\d%$/);
    expect(await line('clustering')).toMatch(/^\d+\.\d% → \d+\.\d%$/);
    expect(await line('held-out-changes')).toMatch(/^\d+: \d+ fixed, \d+ broken$/);
    expect(await line('library-changes')).toMatch(/^\d+ of 20$/);
    expect(await line('learned')).toMatch(/confirmed faces of 3 people \(6 held out for these figures\)$/);
    expect(await report.getByRole('heading').textContent()).toMatch(/^Version 1: before → after$/);
    await report.getByText(/^Version 1 recognises your held-out faces .+ the shipped version\.$/).waitFor();
    // Progress was pushed to the page while it trained.
    expect(events.filter((e) => e.type === 'tuning-progress').length).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'tuning-finished')).toMatchObject({ outcome: 'done', report: { version: 1 } });
    expect(await activeVersion()).toBe(0);
    expect(await userWork(engine)).toEqual(work);

    // ---- Apply: version 1 is in use; names and confirmed faces are unchanged.
    await report.getByRole('button', { name: 'Apply' }).click();
    await page
      .getByTestId('tuning-message')
      .getByText(/^Now using version 1: \d+ faces re-embedded/)
      .waitFor();
    await expect.poll(() => versionRow(1).textContent()).toContain('In use');
    await expect.poll(() => versionRow(0).getByRole('button', { name: 'Use this version' }).count()).toBe(1);
    expect(await activeVersion()).toBe(1);
    expect(await userWork(engine)).toEqual(work);
    await shot('tune-03-applied');

    // ---- Roll back to the shipped version, after a confirmation that says what is kept.
    const asked = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.message());
        void d.accept();
      }),
    );
    await versionRow(0).getByRole('button', { name: 'Use this version' }).click();
    expect(await asked).toMatch(/^Go back to the shipped version \(0\)\?.*names, confirmed faces/);
    await page
      .getByTestId('tuning-message')
      .getByText(/^Now using version 0 \(shipped\)/)
      .waitFor();
    await expect.poll(() => versionRow(0).textContent()).toContain('In use');
    expect(await versionRow(1).getByRole('button', { name: 'Use this version' }).count()).toBe(1);
    expect(await activeVersion()).toBe(0);
    expect(await userWork(engine)).toEqual(work);
    await shot('tune-04-rolled-back');

    // The People view still shows the three named people.
    await page.getByRole('link', { name: 'People', exact: true }).click();
    const named = page.getByTestId('named-people');
    for (const name of NAMES) await named.getByText(name).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
