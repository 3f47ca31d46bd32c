/**
 * A failing indexing run ends with exactly one 'indexing-failed' event carrying a plain sentence (no
 * 'indexing-finished'), and indexToCompletion, the way the CLI drives indexing, rejects with that sentence.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src-shared/api.js';
import { EngineApi } from '../../../src-main/app/engine-api.js';
import { indexToCompletion } from '../../../src-main/app/index-to-completion.js';
import { plainProblem } from '../../../src-main/app/plain-errors.js';
import { makePhoto } from '../../helpers/images.js';
import { tempDir } from '../../helpers/tmp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function failingEngine(error: Error): Promise<{ api: EngineApi; events: ApiEvent[] }> {
  const tmp = tempDir('indexing-failed-');
  cleanups.push(tmp.cleanup);
  const photos = join(tmp.dir, 'photos');
  mkdirSync(photos);
  await makePhoto(join(photos, 'a.jpg'));
  const api = EngineApi.open(join(tmp.dir, 'lib.db'), {
    createPipeline: () => Promise.reject(error),
    progressIntervalMs: 0,
  });
  cleanups.push(() => api.close());
  const events: ApiEvent[] = [];
  api.on((e) => events.push(e));
  await api.addFolder({ path: photos });
  events.length = 0;
  return { api, events };
}

describe('indexing-failed', () => {
  it('a failing pipeline sends one indexing-failed event with the plain sentence, and no indexing-finished', async () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const { api, events } = await failingEngine(full);
    await expect(indexToCompletion(api, api)).rejects.toThrow(plainProblem(full)!.message);
    const failed = events.filter((e) => e.type === 'indexing-failed');
    expect(failed).toEqual([{ type: 'indexing-failed', message: plainProblem(full)!.message }]);
    expect(events.some((e) => e.type === 'indexing-finished')).toBe(false);
    expect(events.some((e) => e.type === 'library-changed' && e.reason.includes('failed'))).toBe(false);
    expect((await api.status()).indexing).toBeNull();
  });

  it('any other failure keeps its own message', async () => {
    const { api, events } = await failingEngine(new Error('the detector model could not be loaded'));
    await expect(indexToCompletion(api, api)).rejects.toThrow('the detector model could not be loaded');
    expect(events.filter((e) => e.type === 'indexing-failed')).toEqual([
      { type: 'indexing-failed', message: 'the detector model could not be loaded' },
    ]);
  });

  it('a watched change whose indexing fails sends the same event (the app shows it; nothing only in a log)', async () => {
    const full = Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
    const { api, events } = await failingEngine(full);
    const watcher = api.startWatching({ debounceMs: 50 });
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const photos = (await api.listFolders())[0]!.path;
    await makePhoto(join(photos, 'b.jpg'), { seed: 2 });
    await expect
      .poll(() => events.filter((e) => e.type === 'indexing-failed'), { timeout: 20_000 })
      .toEqual([{ type: 'indexing-failed', message: plainProblem(full)!.message }]);
  });
});
