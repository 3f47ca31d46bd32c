/**
 * Switching recognition versions over a real SQLite library (drawn photos, noisy 16-D test pipeline), with
 * hand-made versions that really move faces:
 * - the forecast (faces changing person, people after) is exactly what use() then does, also after the user
 *   decides something between forecast and Apply, and the training report's figure is the same forecast;
 * - every switch is one undo entry with a plain label, and undo puts back every person, face (person,
 *   assignment, vectors, version), decision and the active version exactly, leaving older entries alone;
 * - use(v1) → use(v2) → use(v1) gives back the same people (partition, ids, names) when nothing was decided
 *   in between, and re-groups when something was;
 * - training is refused below the default label requirements, saying what is needed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiError } from '../../../../src-main/app/api-errors.js';
import { EngineError } from '../../../../src-main/engine/errors.js';
import type { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { PeopleService } from '../../../../src-main/engine/people/people-service.js';
import { TuningService } from '../../../../src-main/engine/tuning/tuning-service.js';
import { EmbeddingLayer } from '../../../../training/embedding-layer.js';
import { Rng } from '../../../../src-shared/random.js';
import { EMBEDDING_DIM } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';
import { identityLayer, TEST_LABEL_REQUIREMENTS } from '../../../helpers/tuning-library.js';
import { makePhoto } from '../../../helpers/images.js';
import {
  A,
  dump,
  faceAt,
  familyPlan,
  indexInOrder,
  NoisyPipeline,
  PHOTO_SIZE,
  writePhotos,
} from '../../../helpers/people-library.js';

const tmp = tempDir('version-switch-');
const photos = join(tmp.dir, 'photos');
const plan = familyPlan();
const names = plan.map((p) => p.name);

beforeAll(async () => {
  await writePhotos(photos, plan);
});
afterAll(() => tmp.cleanup());

/**
 * W = a·bᵀ (random, rank 1) + eps·I. With eps = 0 every face lands near ±one direction and people merge (on
 * this library, seed 1: 6 faces move, 3 people become 2); with eps = 1 the grouping is the shipped one's.
 */
function collapsingLayer(seed: number, eps: number): EmbeddingLayer {
  const rng = new Rng(seed);
  const d = EMBEDDING_DIM;
  const a = Array.from({ length: d }, () => rng.normal());
  const b = Array.from({ length: d }, () => rng.normal());
  const w = new Float32Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) w[i * d + j] = a[i]! * b[j]! + (i === j ? eps : 0);
  return new EmbeddingLayer({ inDim: d, outDim: d, weights: w, id: `collapsing-${seed}-${eps}` });
}

const MERGING = [1, 0] as const;
const SHIPPED_LIKE = [2, 1] as const;

/** The family library grouped by the clustering alone, one person named (naming confirms its faces). */
async function library(name: string, labelRequirements = TEST_LABEL_REQUIREMENTS) {
  const lib = await indexInOrder(join(tmp.dir, `${name}.db`), photos, names);
  const people = new PeopleService(lib.library);
  people.recluster();
  const anna = lib.face(faceAt(lib.library, 'a0.png', 0))!.personId!;
  people.rename(anna, 'Anna');
  const tuning = new TuningService(lib.library, people, {
    baseLayer: identityLayer,
    labelRequirements,
    inWorker: false,
    tunerOptions: { maxEpochs: 3, validationFraction: 0, learningRate: 0.2, anchorWeight: 0 },
  });
  const modelVersion = people.modelVersion()!;
  const addVersion = ([seed, eps]: readonly [number, number]): number =>
    tuning.versions.insert({
      parent: 0,
      harmonic: false,
      modelVersion,
      layer: collapsingLayer(seed, eps).toBinary(),
      metrics: {},
    });
  return { lib, people, tuning, anna, addVersion };
}

/** Everything a switch may touch: people, decisions, every face's person, assignment and vectors, versions, settings. */
function fullDump(lib: LibraryService): Record<string, unknown[]> {
  const all = (sql: string): unknown[] => lib.library.db.prepare(sql).all();
  return {
    ...dump(lib.library),
    faces: all('SELECT id, person_id, assignment, embedding, base_embedding, embedding_version FROM faces ORDER BY id'),
    versions: all('SELECT id, active FROM embedding_versions ORDER BY id'),
    // Id counters (src-main/engine/storage/fresh-id.ts) only go up, so that an id is never reused: not part of the state.
    settings: all("SELECT key, value FROM settings WHERE key NOT LIKE '%.maxId' ORDER BY key"),
  };
}

/** The people as the user sees them: person rows (ids, names) and every face's person and assignment. */
function peopleDump(lib: LibraryService): Record<string, unknown[]> {
  const { people, faces, decisions } = dump(lib.library);
  return { people: people!, faces: faces!, decisions: decisions! };
}

const personOf = (lib: LibraryService): Map<number, number | null> =>
  new Map(
    (lib.library.db.prepare('SELECT id, person_id FROM faces').all() as { id: number; person_id: number | null }[]).map(
      (r) => [r.id, r.person_id],
    ),
  );

/** Applies `version` and checks that it did exactly what the forecast asked just before said. */
function applyAndCompare(ctx: Awaited<ReturnType<typeof library>>, version: number) {
  const { lib, people, tuning } = ctx;
  const forecast = tuning.forecast(version);
  const before = personOf(lib);
  expect(forecast.peopleNow).toBe(people.visiblePeopleCount());
  const used = tuning.use(version);
  const after = personOf(lib);
  const changed = [...before].filter(([id, p]) => after.get(id) !== p).length;
  expect(changed, `faces that changed person using version ${version}`).toBe(forecast.facesMoving);
  expect(people.visiblePeopleCount(), `people after using version ${version}`).toBe(forecast.peopleAfter);
  expect(used.facesMoved).toBe(changed);
  expect(used.restoredEarlier).toBe(forecast.restoresEarlier);
  return { forecast, used };
}

describe('recognition version switches', () => {
  it('forecasts exactly what applying does, asked again after the library changed', async () => {
    const ctx = await library('forecast');
    const v1 = ctx.addVersion(MERGING);
    const v2 = ctx.addVersion(SHIPPED_LIKE);
    const first = applyAndCompare(ctx, v1);
    expect(first.forecast.facesMoving).toBeGreaterThan(0);
    expect(first.forecast.faces).toBe(16);

    // The user decides something after the forecast: the forecast asked now (not the earlier one) holds.
    const stale = ctx.tuning.forecast(v2);
    const bea = ['b0.png', 'b1.png', 'b2.png', 'b3.png'].map((photo, i) => faceAt(ctx.lib.library, photo, 5 + i));
    ctx.people.moveFaces(bea, { newPerson: true, name: 'Bea' });
    const fresh = ctx.tuning.forecast(v2);
    expect(fresh).not.toEqual(stale);
    applyAndCompare(ctx, v2);
    applyAndCompare(ctx, 0);
    await ctx.lib.close();
  });

  it("a training run's report forecasts what Apply does", async () => {
    const ctx = await library('report');
    for (const p of ctx.people.listPeople()) {
      const faces = ctx.people.getPerson(p.id).faces.map((f) => f.id);
      ctx.people.confirmFaces(faces, p.id);
    }
    const report = await ctx.tuning.tune({ seed: 5 });
    const { forecast } = applyAndCompare(ctx, report.version);
    expect(report.library).toEqual({
      faces: forecast.faces,
      wouldChangePerson: forecast.facesMoving,
      peopleNow: forecast.peopleNow,
      peopleAfter: forecast.peopleAfter,
    });
    expect(report.labels.heldOutDifferentPairs).toBeGreaterThan(0);
    await ctx.lib.close();
  });

  it('using the version in use again changes nothing (a command repeated, or resumed after a kill that came once it had committed)', async () => {
    const ctx = await library('again');
    const { lib, people } = ctx;
    const v1 = ctx.addVersion(MERGING);
    applyAndCompare(ctx, v1);
    // Back to the shipped version: the people it had come back (a restore, not a re-grouping).
    expect(applyAndCompare(ctx, 0).used.restoredEarlier).toBe(true);
    const restored = fullDump(lib);
    const history = people.undoStack();
    for (const version of [0, 0]) {
      const { forecast, used } = applyAndCompare(ctx, version);
      expect(forecast.facesMoving).toBe(0);
      expect(used).toMatchObject({ previous: 0, reembedded: 0, facesMoved: 0, undo: null });
      expect(fullDump(lib)).toEqual(restored);
      expect(people.undoStack()).toEqual(history);
    }
    await lib.close();
  });

  it('is one undo entry; undo puts back people, faces, vectors and the active version exactly', async () => {
    const ctx = await library('undo');
    const { lib, people, tuning } = ctx;
    const v1 = ctx.addVersion(MERGING);
    const v2 = ctx.addVersion(SHIPPED_LIKE);
    people.rename(ctx.anna, 'Anna B');
    const beforeSwitch = fullDump(lib);

    const { used } = applyAndCompare(ctx, v1);
    expect(used.undo!.label).toBe('Switched recognition from version 0 (shipped) to version 1');
    expect(people.undoStack()[0]).toEqual(used.undo);
    expect(fullDump(lib)).not.toEqual(beforeSwitch);
    expect(people.undo()).toEqual(used.undo);
    expect(fullDump(lib)).toEqual(beforeSwitch);
    expect(tuning.activeVersion()).toBe(0);
    // The next undo is the older, unrelated action, untouched by the switch and its undo.
    expect(people.undoStack()[0]!.label).toBe('Renamed Anna to Anna B');

    // From a tuned version to another, and back to the shipped one: each undone exactly.
    tuning.use(v1);
    const onV1 = fullDump(lib);
    const toV2 = tuning.use(v2);
    expect(toV2.undo!.label).toBe('Switched recognition from version 1 to version 2');
    people.undo();
    expect(fullDump(lib)).toEqual(onV1);
    expect(tuning.activeVersion()).toBe(v1);
    const toV0 = tuning.use(0);
    expect(toV0.undo!.label).toBe('Switched recognition from version 1 to version 0 (shipped)');
    people.undo();
    expect(fullDump(lib)).toEqual(onV1);
    // After the undo a forecast and an Apply still agree (the graph cache was dropped with the vectors).
    applyAndCompare(ctx, v2);
    await lib.close();
  });

  it('switching back to a version gives back its people exactly while nothing was decided in between', async () => {
    const ctx = await library('back');
    const { lib, people } = ctx;
    const v1 = ctx.addVersion(MERGING);
    const v2 = ctx.addVersion(SHIPPED_LIKE);
    const on0 = peopleDump(lib);
    applyAndCompare(ctx, v1);
    const on1 = peopleDump(lib);
    const second = applyAndCompare(ctx, v2);
    expect(second.forecast.facesMoving).toBeGreaterThan(0);
    const on2 = fullDump(lib);
    const back = applyAndCompare(ctx, v1);
    expect(back.forecast.restoresEarlier).toBe(true);
    expect(peopleDump(lib)).toEqual(on1);
    // A restoring switch is undone exactly too, and can then be made again.
    people.undo();
    expect(fullDump(lib)).toEqual(on2);
    expect(applyAndCompare(ctx, v1).forecast.restoresEarlier).toBe(true);
    expect(peopleDump(lib)).toEqual(on1);
    applyAndCompare(ctx, 0);
    expect(peopleDump(lib)).toEqual(on0);

    // A decision made meanwhile: the people of v1 are not brought back blindly, they are re-grouped.
    applyAndCompare(ctx, v2);
    const face = faceAt(lib.library, 'c0.png', 9);
    const holder = lib.face(face)!.personId;
    people.moveFaces([face], holder === ctx.anna ? { newPerson: true } : { personId: ctx.anna });
    const regrouped = applyAndCompare(ctx, v1);
    expect(regrouped.forecast.restoresEarlier).toBe(false);
    await lib.close();
  });

  it('undo brings faces indexed since the switch to the previous version too; a discarded version cannot come back', async () => {
    const ctx = await library('undo-later');
    const { lib, people, tuning } = ctx;
    const v1 = ctx.addVersion(MERGING);
    tuning.use(v1);
    await makePhoto(join(photos, 'late.png'), { faces: [{ cell: 7, identity: A }], seed: 78, size: PHOTO_SIZE });
    await lib.index(new NoisyPipeline(), { paths: [join(photos, 'late.png')], concurrency: 1 });
    expect(tuning.syncEmbeddings()).toBe(1);
    people.undo();
    const rows = lib.library.db
      .prepare('SELECT embedding, base_embedding, embedding_version FROM faces ORDER BY id')
      .all() as { embedding: Buffer; base_embedding: Buffer | null; embedding_version: number }[];
    expect(rows.every((r) => r.embedding_version === 0 && r.base_embedding === null)).toBe(true);

    // Switched away from v2, then v2 discarded: undoing that switch would bring back a version that is gone.
    const v2 = ctx.addVersion(SHIPPED_LIKE);
    tuning.use(v2);
    tuning.use(0);
    tuning.discard(v2);
    const before = fullDump(lib);
    expect(() => people.undo()).toThrow(new RegExp(`version ${v2} was discarded since: this switch cannot be undone`));
    expect(fullDump(lib)).toEqual(before);
    await lib.close();
  });

  it('refuses to train below the default label requirements and says what is needed', async () => {
    const ctx = await library('guard', undefined);
    const tuning = new TuningService(ctx.lib.library, ctx.people, { baseLayer: identityLayer, inWorker: false });
    const labels = tuning.labels();
    // Anna's 7 faces were confirmed by naming her; nobody else has confirmed faces.
    expect(labels).toMatchObject({ faces: 7, people: 1, peopleWithEnough: 1, ready: false });
    expect(labels.needed).toEqual({ faces: 20, people: 2, facesPerPerson: 5 });
    const message =
      'not enough confirmed faces to learn from (7 confirmed faces of 1 person, 1 of them with 5 or more): ' +
      'training needs at least 20 confirmed faces in all, with at least 5 each for at least 2 people';
    expect(labels.reason).toBe(message);
    const refused = await tuning.tune().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect(refused).toMatchObject({ kind: 'invalid', message });
    // What a client of the API sees (EngineApi.call maps it with toApiError).
    expect(toApiError(refused)).toMatchObject({ name: 'ApiError', code: 'bad-request', message });
    expect(tuning.list()).toHaveLength(1);
    await ctx.lib.close();
  });
});
