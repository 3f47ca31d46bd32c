/**
 * "Improve recognition from my labels" through the FaceNetApi contract, over a real SQLite library with the
 * real TuningService training in a real worker thread (test/helpers/tuning-library.ts): validation at the
 * boundary, too few labels refused with the reason, a background run with progress events and one run at a
 * time, cancel, the seed passed to the training, the report stored and not used, apply / roll back / roll forward keeping every decision and
 * name, and discarding versions (never the active or the shipped one; numbers never come back).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  type ApiEvent,
  type TuningStatusDto,
  type TuneReportDto,
  type UseModelVersionResultDto,
} from '../../../src-shared/api.js';
import type { EngineApi } from '../../../src-main/app/engine-api.js';
import {
  confirmEveryone,
  embeddings,
  indexedEngine,
  TEST_LABEL_REQUIREMENTS,
  userWork,
} from '../../helpers/tuning-library.js';
import { tempDir } from '../../helpers/tmp.js';
import { rejected } from '../../helpers/rejected.js';

const tmp = tempDir('tuning-api-');
let api: EngineApi;
const events: ApiEvent[] = [];

type Finished = Extract<ApiEvent, { type: 'tuning-finished' }>;

/** The next 'tuning-finished' event of run `runId`. */
function finished(runId: number): Promise<Finished> {
  const seen = events.find((e): e is Finished => e.type === 'tuning-finished' && e.runId === runId);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const off = api.on((e) => {
      if (e.type === 'tuning-finished' && e.runId === runId) {
        off();
        resolve(e);
      }
    });
  });
}

beforeAll(async () => {
  api = await indexedEngine(tmp.dir);
  api.on((e) => events.push(e));
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
});

describe('tuning through the API', () => {
  it('validates payloads and refuses to start without enough confirmed faces, saying why', async () => {
    const bad: Array<[string, unknown]> = [
      ['tuneStart', { harmonic: 'yes' }],
      ['tuneStart', { harmonic: true, epochs: 3 }],
      ['tuneStart', { seed: 1.5 }],
      ['tuneStart', { seed: '3' }],
      ['tuneCancel', { now: true }],
      ['useModelVersion', {}],
      ['useModelVersion', { version: 1.5 }],
      ['useModelVersion', { version: '1' }],
      ['discardModelVersion', { version: null }],
    ];
    for (const [method, args] of bad) {
      const e = await rejected(api.call(method, args));
      expect(e.code, `${method} ${JSON.stringify(args)}`).toBe('bad-request');
    }
    const status = await api.tuneStatus();
    expect(status).toMatchObject({ runId: 0, running: false, report: null, activeVersion: 0 });
    expect(status.labels).toMatchObject({ faces: 0, people: 0, peopleWithEnough: 0, ready: false });
    expect(status.labels.needed).toEqual(TEST_LABEL_REQUIREMENTS);
    expect(status.labels.reason).toMatch(/not enough confirmed faces/);
    const e = await rejected(api.call('tuneStart', {}));
    expect(e.code).toBe('bad-request');
    expect(e.message).toBe(
      'not enough confirmed faces to learn from (0 confirmed faces of 0 people, 0 of them with 5 or more): ' +
        'training needs at least 12 confirmed faces in all, with at least 5 each for at least 2 people',
    );
    expect(events.filter((x) => x.type.startsWith('tuning-'))).toEqual([]);
    expect(await api.call('modelVersions', undefined)).toEqual([
      { version: 0, active: true, createdAt: null, parent: null, harmonic: false, report: null },
    ]);
    expect(await api.call('tuneCancel', {})).toEqual({ cancelled: false });
  });

  let report: TuneReportDto;

  it('trains in the background with progress, one run at a time, and stores the version without using it', async () => {
    await confirmEveryone(api);
    const work = await userWork(api);
    const vectors = embeddings(api);
    expect((await api.tuneStatus()).labels).toEqual({
      faces: 16,
      people: 3,
      peopleWithEnough: 2,
      ready: true,
      reason: null,
      needed: TEST_LABEL_REQUIREMENTS,
    });

    const started = (await api.call('tuneStart', { harmonic: true })) as TuningStatusDto;
    // Returned while the worker trains: no end yet, and the engine answers other calls meanwhile.
    expect(started).toMatchObject({ runId: 1, running: true, harmonic: true, outcome: null });
    expect(events.some((e) => e.type === 'tuning-finished')).toBe(false);
    expect((await api.call('tuneStart', {}).catch((e: ApiError) => e)) as ApiError).toMatchObject({
      code: 'conflict',
    });
    expect((await rejected(api.call('useModelVersion', { version: 0 }))).code).toBe('conflict');
    expect((await api.status()).faces).toBe(16);

    const end = await finished(1);
    expect(end).toMatchObject({ outcome: 'done', error: null });
    report = end.report!;
    expect(report).toMatchObject({ version: 1, parent: 0, harmonic: true });
    expect(report.labels).toMatchObject({ faces: 16, people: 3, heldOutPeople: 2 });
    expect(report.labels.trainFaces + report.labels.heldOutFaces).toBe(16);
    for (const x of [
      report.heldOut.valAtFar1e3.before,
      report.heldOut.valAtFar1e3.after,
      report.heldOut.valAtFar1e3.crossVersion,
      report.heldOut.nearestLabelledAccuracy.before,
      report.heldOut.nearestLabelledAccuracy.after,
    ])
      expect(x).toBeTypeOf('number');
    expect(report.library.faces).toBe(16);
    expect(report.training.steps).toBeGreaterThan(0);

    const progress = events.filter((e) => e.type === 'tuning-progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.runId === 1)).toBe(true);
    const last = progress.at(-1)!.progress;
    expect(last.epoch).toBe(3);
    expect(last.totalSteps).toBeGreaterThanOrEqual(last.step);
    expect(last.heldOutVal).toBeTypeOf('number');
    // The trainer's early-stopping split: after 2 + 2 faces held out for the report, only the largest person
    // keeps 5 training faces, and 2 of them are set aside (training/held-out.ts splitForValidation).
    expect([last.heldOutFaces, last.heldOutPeople]).toEqual([2, 1]);

    const status = await api.tuneStatus();
    expect(status).toMatchObject({ runId: 1, running: false, outcome: 'done', report, activeVersion: 0 });
    const versions = await api.modelVersions();
    expect(versions.map((v) => [v.version, v.active, v.parent, v.harmonic])).toEqual([
      [0, true, null, false],
      [1, false, 0, true],
    ]);
    expect(versions[1]!.report).toEqual(report);
    expect(versions[1]!.createdAt).toBeGreaterThan(0);
    // Training wrote nothing the user sees: people, decisions and embeddings are as they were.
    expect(await userWork(api)).toEqual(work);
    expect(embeddings(api)).toEqual(vectors);
  });

  it('applies, rolls back and rolls forward, keeping every confirmed face and name', async () => {
    const work = await userWork(api);
    const vectors0 = embeddings(api);
    const changed = events.length;

    const applied = (await api.call('useModelVersion', { version: 1 })) as UseModelVersionResultDto;
    expect(applied).toMatchObject({ version: 1, previous: 0, reembedded: 16 });
    expect(events.slice(changed)).toContainEqual({ type: 'library-changed', reason: 'model-version' });
    expect((await api.modelVersions()).filter((v) => v.active).map((v) => v.version)).toEqual([1]);
    expect((await api.tuneStatus()).activeVersion).toBe(1);
    expect(embeddings(api).every((r) => r.embedding_version === 1)).toBe(true);
    expect(embeddings(api).some((r, i) => !r.embedding.equals(vectors0[i]!.embedding))).toBe(true);
    expect(await userWork(api)).toEqual(work);

    expect(await api.useModelVersion({ version: 0 })).toMatchObject({ version: 0, previous: 1 });
    expect(embeddings(api)).toEqual(vectors0);
    expect(await userWork(api)).toEqual(work);

    await api.useModelVersion({ version: 1 });
    expect((await api.modelVersions()).find((v) => v.active)?.version).toBe(1);
    expect(await userWork(api)).toEqual(work);
    expect((await rejected(api.call('useModelVersion', { version: 7 }))).code).toBe('not-found');
  });

  it('forecasts a switch, which is one History entry that undo reverts exactly', async () => {
    const bad = await rejected(api.call('forecastModelVersion', { version: 'one' }));
    expect(bad.code).toBe('bad-request');
    expect((await rejected(api.call('forecastModelVersion', { version: 9 }))).code).toBe('not-found');
    const db = api.library.library.db;
    const state = () => ({
      people: db.prepare('SELECT * FROM people ORDER BY id').all(),
      faces: db.prepare('SELECT id, person_id, assignment, embedding, embedding_version FROM faces ORDER BY id').all(),
      decisions: db.prepare('SELECT * FROM face_decisions ORDER BY id').all(),
      active: db.prepare('SELECT id FROM embedding_versions WHERE active = 1').all(),
    });
    const before = state();
    const personOf = () => new Map(embeddings(api).map((r) => [r.id, api.library.face(r.id)!.personId]));
    const was = personOf();

    const forecast = (await api.call('forecastModelVersion', { version: 0 })) as Awaited<
      ReturnType<EngineApi['forecastModelVersion']>
    >;
    expect(forecast).toMatchObject({ version: 0, faces: 16, peopleNow: (await api.status()).people });
    const used = await api.useModelVersion({ version: 0 });
    const now = personOf();
    expect([...was].filter(([id, p]) => now.get(id) !== p).length).toBe(forecast.facesMoving);
    expect((await api.status()).people).toBe(forecast.peopleAfter);
    expect(used.undo!.label).toBe('Switched recognition from version 1 to version 0 (shipped)');
    expect((await api.undoStack())[0]).toEqual(used.undo);

    // Not while a run trains against the version in use.
    const run = await api.tuneStart({});
    expect((await rejected(api.call('undo', undefined))).code).toBe('conflict');
    await api.tuneCancel();
    await finished(run.runId);
    const changed = events.length;
    expect(await api.call('undo', undefined)).toEqual(used.undo);
    expect(events.slice(changed)).toContainEqual({ type: 'library-changed', reason: 'undo' });
    expect(state()).toEqual(before);
    expect((await api.tuneStatus()).activeVersion).toBe(1);
  });

  it('cancels a run: nothing is stored and the status says so', async () => {
    const before = await api.modelVersions();
    const started = await api.tuneStart({});
    expect(started.running).toBe(true);
    expect(await api.call('tuneCancel', undefined)).toEqual({ cancelled: true });
    const end = await finished(started.runId);
    expect(end).toEqual({
      type: 'tuning-finished',
      runId: started.runId,
      outcome: 'cancelled',
      report: null,
      error: 'cancelled',
    });
    expect(await api.modelVersions()).toEqual(before);
    expect(await api.tuneStatus()).toMatchObject({ running: false, outcome: 'cancelled', report: null });
    expect(await api.tuneCancel()).toEqual({ cancelled: false });
  });

  it('passes the seed to the training run (facenet tune --seed)', async () => {
    // A spy that calls through: the real service trains; only the request it got is looked at.
    const tune = vi.spyOn(api.tuning, 'tune');
    try {
      const seeded = (await api.call('tuneStart', { seed: 5 })) as TuningStatusDto;
      await api.tuneCancel();
      await finished(seeded.runId);
      const unseeded = await api.tuneStart({});
      await api.tuneCancel();
      await finished(unseeded.runId);
      expect(tune.mock.calls.map(([request]) => request?.seed)).toEqual([5, undefined]);
    } finally {
      tune.mockRestore();
    }
  });

  it('discards a stored version, never the one in use or the shipped one, and never reuses its number', async () => {
    const run = await api.tuneStart({});
    const end = await finished(run.runId);
    expect(end.report).toMatchObject({ version: 2, parent: 1, harmonic: false });
    expect((await rejected(api.call('discardModelVersion', { version: 1 }))).code).toBe('conflict');
    expect((await rejected(api.call('discardModelVersion', { version: 0 }))).code).toBe('bad-request');
    expect((await rejected(api.call('discardModelVersion', { version: 9 }))).code).toBe('not-found');

    const left = await api.discardModelVersion({ version: 2 });
    expect(left.map((v) => v.version)).toEqual([0, 1]);
    expect(await api.modelVersions()).toEqual(left);
    // The discarded run's report is not offered any more.
    expect(await api.tuneStatus()).toMatchObject({ outcome: 'done', report: null });

    const next = await api.tuneStart({});
    expect((await finished(next.runId)).report?.version).toBe(3);
    expect((await api.modelVersions()).map((v) => v.version)).toEqual([0, 1, 3]);
  });
});
