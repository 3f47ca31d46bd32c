/**
 * A real EngineApi over a real SQLite library for the tuning tests of the API and the server: the drawn family
 * photos (test/helpers/people-library.ts) indexed with the noisy 16-D test pipeline, every face confirmed for
 * its person and two people named, and a tuning service whose version 0 is the identity layer (features are
 * 3·embedding, so W = I gives the pipeline's embeddings back) with a short recipe that always moves the layer.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { EngineApi, type EngineApiOptions } from '../../src-main/app/engine-api.js';
import type { TuningServiceOptions } from '../../src-main/engine/tuning/tuning-service.js';
import { EmbeddingLayer } from '../../training/embedding-layer.js';
import { familyPlan, NoisyPipeline, writePhotos } from './people-library.js';
import { EMBEDDING_DIM } from './test-pipeline.js';

/** Version 0 for the test pipeline: the identity. */
export function identityLayer(): EmbeddingLayer {
  const w = new Float32Array(EMBEDDING_DIM * EMBEDDING_DIM);
  for (let i = 0; i < EMBEDDING_DIM; i++) w[i * EMBEDDING_DIM + i] = 1;
  return new EmbeddingLayer({ inDim: EMBEDDING_DIM, outDim: EMBEDDING_DIM, weights: w, id: 'test-identity' });
}

/**
 * A short run in a real worker thread. The trainer keeps a third of the training faces aside for early
 * stopping, so progress carries a held-out VAL; patience above maxEpochs so every run trains all epochs. The
 * drawn family library has 16 faces, below the product's 20 (src-main/engine/tuning/label-requirements.ts): the tests of the guard
 * itself use the defaults.
 */
export const TEST_LABEL_REQUIREMENTS = { faces: 12, people: 2, facesPerPerson: 5 };

export const TEST_TUNING: TuningServiceOptions = {
  baseLayer: identityLayer,
  labelRequirements: TEST_LABEL_REQUIREMENTS,
  tunerOptions: { maxEpochs: 3, patience: 10, validationFraction: 0.3, learningRate: 0.2, anchorWeight: 0 },
};

/** Opens the engine on `dir`/lib.db over the family photos and indexes them (no decisions yet). */
export async function indexedEngine(dir: string, options: EngineApiOptions = {}): Promise<EngineApi> {
  const photos = join(dir, 'photos');
  await writePhotos(photos, familyPlan());
  const api = EngineApi.open(join(dir, 'lib.db'), {
    createPipeline: async () => new NoisyPipeline(),
    progressIntervalMs: 0,
    tuning: TEST_TUNING,
    ...options,
  });
  await api.addFolder({ path: photos });
  await api.startIndexing();
  await api.whenIdle();
  return api;
}

/** Confirms every face of every person for that person; names the two largest people Anna and Bob. */
export async function confirmEveryone(api: EngineApi): Promise<void> {
  const people = await api.listPeople({});
  expect(people.length).toBe(3);
  for (const p of people) {
    const faces = (await api.getPerson({ personId: p.id })).faces;
    await api.confirmFaces({ faceIds: faces.map((f) => f.id), personId: p.id });
  }
  await api.renamePerson({ personId: people[0]!.id, name: 'Anna' });
  await api.renamePerson({ personId: people[1]!.id, name: 'Bob' });
}

/** The user's work as the API shows it: each person's name and confirmed face ids; plus the raw decisions. */
export async function userWork(api: EngineApi): Promise<{ people: string[]; decisions: unknown[] }> {
  const people: string[] = [];
  for (const p of await api.listPeople({ includeHidden: true })) {
    const confirmed = (await api.getPerson({ personId: p.id })).faces
      .filter((f) => f.assignment === 'confirmed')
      .map((f) => f.id)
      .sort((a, b) => a - b);
    if (p.name !== null || confirmed.length > 0) people.push(`${p.id}:${p.name ?? ''}:${confirmed.join(',')}`);
  }
  return { people: people.sort(), decisions: api.library.library.decisions.list() };
}

/** Every face's embedding bytes and version, for exact before/after comparisons. */
export function embeddings(api: EngineApi): Array<{ id: number; embedding: Buffer; embedding_version: number }> {
  return api.library.library.db.prepare('SELECT id, embedding, embedding_version FROM faces ORDER BY id').all() as {
    id: number;
    embedding: Buffer;
    embedding_version: number;
  }[];
}
