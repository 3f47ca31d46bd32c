/**
 * TuningService over a real SQLite library (drawn photos, noisy 16-D test pipeline): tuning stores a version
 * and changes nothing else; use(v) re-embeds from features and re-clusters; use(0) restores the pipeline's
 * embeddings exactly; no user decision is lost by tuning, applying or rolling back.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeopleService } from '../../../../src-main/engine/people/people-service.js';
import type { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { TuningService } from '../../../../src-main/engine/tuning/tuning-service.js';
import { EmbeddingLayer } from '../../../../training/embedding-layer.js';
import { EMBEDDING_DIM } from '../../../helpers/test-pipeline.js';
import { tempDir } from '../../../helpers/tmp.js';
import { TEST_LABEL_REQUIREMENTS } from '../../../helpers/tuning-library.js';
import { makePhoto } from '../../../helpers/images.js';
import { dump, faceAt, familyPlan, indexInOrder, PHOTO_SIZE, writePhotos, A } from '../../../helpers/people-library.js';

const tmp = tempDir('tuning-service-');
const photos = join(tmp.dir, 'photos');
const plan = familyPlan();
const names = plan.map((p) => p.name);

/** Version 0 for the test pipeline: features are 3·embedding, so W = I gives the pipeline's embeddings back. */
function identityLayer(): EmbeddingLayer {
  const w = new Float32Array(EMBEDDING_DIM * EMBEDDING_DIM);
  for (let i = 0; i < EMBEDDING_DIM; i++) w[i * EMBEDDING_DIM + i] = 1;
  return new EmbeddingLayer({ inDim: EMBEDDING_DIM, outDim: EMBEDDING_DIM, weights: w, id: 'test-identity' });
}

beforeAll(async () => {
  await writePhotos(photos, plan);
});
afterAll(() => tmp.cleanup());

const embeddings = (lib: LibraryService) =>
  lib.library.db.prepare('SELECT id, embedding, embedding_version, base_embedding FROM faces ORDER BY id').all() as {
    id: number;
    embedding: Buffer;
    embedding_version: number;
    base_embedding: Buffer | null;
  }[];

/** Library with three people and the user's work: names, confirmations, rejections, a moved face. */
async function labelledLibrary(name: string) {
  const lib = await indexInOrder(join(tmp.dir, `${name}.db`), photos, names);
  const people = new PeopleService(lib.library);
  people.recluster();
  const personOf = (photo: string, cell: number) => lib.face(faceAt(lib.library, photo, cell))!.personId!;
  const anna = personOf('a0.png', 0);
  const bob = personOf('b0.png', 5);
  const cleo = personOf('c0.png', 9);
  people.rename(anna, 'Anna');
  people.rename(bob, 'Bob');
  const faceIdsOf = (p: number) => lib.library.faces.listByPerson(p).map((f) => f.id);
  people.confirmFaces(faceIdsOf(anna), anna);
  people.confirmFaces(faceIdsOf(bob), bob);
  people.confirmFaces(faceIdsOf(cleo), cleo);
  const g1c = faceAt(lib.library, 'g1.png', 10);
  people.rejectFaces([g1c], anna);
  const a2 = faceAt(lib.library, 'a2.png', 2);
  people.rejectFaces([a2], bob);
  const tuning = new TuningService(lib.library, people, {
    baseLayer: identityLayer,
    labelRequirements: TEST_LABEL_REQUIREMENTS,
    inWorker: false,
    // No early-stopping split: the run always moves the layer, so re-embedding really changes vectors.
    tunerOptions: { maxEpochs: 3, validationFraction: 0, learningRate: 0.2, anchorWeight: 0 },
  });
  return { lib, people, tuning, anna, bob, cleo };
}

/** Every decision holds: confirmed faces sit with their person (confirmed), rejected faces are not there. */
function expectDecisionsHonoured(lib: LibraryService): void {
  for (const d of lib.library.decisions.list()) {
    const face = lib.face(d.faceId)!;
    if (d.decision === 'confirmed') expect(face).toMatchObject({ personId: d.personId, assignment: 'confirmed' });
    else expect(face.personId).not.toBe(d.personId);
  }
}

describe('TuningService', () => {
  it('tune stores a version and touches nothing else; use/rollback/forward keep every decision', async () => {
    const { lib, people, tuning, anna, bob } = await labelledLibrary('cycle');
    const before = dump(lib.library);
    const vectors0 = embeddings(lib);
    expect(before.decisions!.length).toBeGreaterThan(14);

    const report = await tuning.tune({ seed: 3 });
    expect(report.version).toBe(1);
    expect(report.parent).toBe(0);
    expect(report.labels).toMatchObject({ people: 3, heldOutPeople: 2 });
    expect(report.labels.trainFaces + report.labels.heldOutFaces).toBe(report.labels.faces);
    expect(report.heldOut.valAtFar1e3.before).toBeGreaterThanOrEqual(0);
    for (const f of [report.heldOut.clusterBCubedF.before, report.heldOut.clusterBCubedF.after]) {
      expect(f).toBeGreaterThan(0);
      expect(f).toBeLessThanOrEqual(1);
    }
    expect(report.library.faces).toBe(vectors0.length);
    expect(dump(lib.library)).toEqual(before);
    expect(embeddings(lib)).toEqual(vectors0);
    expect(tuning.list().map((v) => [v.id, v.active])).toEqual([
      [0, true],
      [1, false],
    ]);

    // Apply.
    const used = tuning.use(1);
    expect(used).toMatchObject({ version: 1, previous: 0, reembedded: vectors0.length });
    expect(tuning.activeVersion()).toBe(1);
    const vectors1 = embeddings(lib);
    expect(vectors1.every((r) => r.embedding_version === 1)).toBe(true);
    expect(vectors1.some((r, i) => !r.embedding.equals(vectors0[i]!.embedding))).toBe(true);
    expect(vectors1.map((r) => r.base_embedding)).toEqual(vectors0.map((r) => r.embedding));
    const layer1 = tuning.layer(1);
    const f = lib.face(vectors1[0]!.id)!;
    expect(Array.from(f.embedding)).toEqual(Array.from(layer1.embedEach([f.features])[0]!));
    expect(dump(lib.library).decisions).toEqual(before.decisions);
    expect(dump(lib.library).orphans).toEqual(before.orphans);
    expectDecisionsHonoured(lib);
    expect(lib.library.people.get(anna)?.name).toBe('Anna');
    expect(lib.library.people.get(bob)?.name).toBe('Bob');

    // A second run trains from version 1.
    const second = await tuning.tune({ seed: 4, harmonic: true });
    expect(second).toMatchObject({ version: 2, parent: 1, harmonic: true });
    expect(embeddings(lib)).toEqual(vectors1);

    // Roll back to the shipped layer: the pipeline's embeddings come back bit for bit.
    tuning.use(0);
    expect(embeddings(lib)).toEqual(vectors0);
    expect(tuning.activeVersion()).toBe(0);
    expect(dump(lib.library).decisions).toEqual(before.decisions);
    expectDecisionsHonoured(lib);

    // Forward again, to the harmonic version.
    tuning.use(2);
    expect(embeddings(lib).every((r) => r.embedding_version === 2)).toBe(true);
    expect(dump(lib.library).decisions).toEqual(before.decisions);
    expectDecisionsHonoured(lib);
    expect(
      tuning
        .list()
        .filter((v) => v.active)
        .map((v) => v.id),
    ).toEqual([2]);
    expect(people.listPeople().length).toBeGreaterThanOrEqual(3);
    await lib.close();
  });

  it('new faces indexed while a tuned version is active get its embedding', async () => {
    const { lib, tuning } = await labelledLibrary('sync');
    const { version } = await tuning.tune();
    tuning.use(version);
    await makePhoto(join(photos, 'late.png'), { faces: [{ cell: 7, identity: A }], seed: 77, size: PHOTO_SIZE });
    await lib.index(new (await import('../../../helpers/people-library.js')).NoisyPipeline(), {
      paths: [join(photos, 'late.png')],
      concurrency: 1,
    });
    const fresh = embeddings(lib).filter((r) => r.embedding_version !== version);
    expect(fresh.length).toBe(1);
    expect(tuning.syncEmbeddings()).toBe(1);
    expect(embeddings(lib).every((r) => r.embedding_version === version)).toBe(true);
    await lib.close();
  });

  it('cancel stores nothing; too few labels is a bad request; unknown versions are not found', async () => {
    const { lib, people, tuning } = await labelledLibrary('cancel');
    const controller = new AbortController();
    controller.abort();
    await expect(tuning.tune({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(tuning.list()).toHaveLength(1);
    expect(() => tuning.use(9)).toThrow(/no model version 9/);
    const before = dump(lib.library);
    for (const d of lib.library.decisions.list()) lib.library.decisions.withdraw(d.faceId, d.personId);
    await expect(tuning.tune()).rejects.toMatchObject({ name: 'EngineError', kind: 'invalid' });
    expect(before.decisions!.length).toBeGreaterThan(0);
    expect(people.modelVersion()).not.toBeNull();
    await lib.close();
  });

  it('trains in a worker thread with progress', async () => {
    const { lib, people } = await labelledLibrary('worker');
    const tuning = new TuningService(lib.library, people, {
      baseLayer: identityLayer,
      labelRequirements: TEST_LABEL_REQUIREMENTS,
      tunerOptions: { maxEpochs: 2, validationFraction: 0 },
    });
    const progress: string[] = [];
    const r = await tuning.tune({ onProgress: (p) => progress.push(p.kind) });
    expect(progress).toContain('epoch');
    expect(r.training.steps).toBeGreaterThan(0);
    await lib.close();
  }, 20000);
});
