/**
 * A small indexed library for the export/import service tests: drawn photos (test/helpers/images.ts), the
 * grid test pipeline (with `embedBox` for regions it did not detect, and optionally "blind" to some
 * identities so an import has to create faces), and an EngineApi over it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import type { Box } from '../../src-shared/geometry.js';
import { EngineApi } from '../../src-main/app/engine-api.js';
import type { AnalyzedFace, PhotoAnalysis } from '../../src-shared/analysis.js';
import { makePhoto, type DrawnFace } from './images.js';
import { EMBEDDING_DIM, identityVector, TestPipeline } from './test-pipeline.js';

export const SIZE = 64;
export const A = 0;
export const B = 2;
export const C = 4;
export const D = 5;
export const NAMES: Record<number, string> = { [A]: 'Anna', [B]: 'Bob "the" <Builder>', [C]: 'Zoë Ø' };

export interface PlannedPhoto {
  name: string;
  faces: DrawnFace[];
  orientation?: number;
}

/** A, B, C in several photos each (two of them rotated by EXIF), D (never named) twice. */
export const PLAN: PlannedPhoto[] = [
  {
    name: 'p0.jpg',
    faces: [
      { cell: 0, identity: A },
      { cell: 5, identity: B },
    ],
  },
  { name: 'p1.jpg', faces: [{ cell: 2, identity: A }] },
  {
    name: 'sub/p2.jpg',
    faces: [
      { cell: 10, identity: B },
      { cell: 15, identity: C },
    ],
  },
  {
    name: 'sub/p3.jpg',
    faces: [
      { cell: 3, identity: C },
      { cell: 12, identity: A },
    ],
    orientation: 6,
  },
  { name: 'p4.jpg', faces: [{ cell: 7, identity: B }], orientation: 3 },
  {
    name: 'p5.jpg',
    faces: [
      { cell: 1, identity: A },
      { cell: 9, identity: C },
    ],
    orientation: 8,
  },
  { name: 'p6.jpg', faces: [{ cell: 6, identity: D }] },
  { name: 'p7.jpg', faces: [{ cell: 11, identity: D }] },
];

export async function writePlan(dir: string, plan: readonly PlannedPhoto[] = PLAN): Promise<void> {
  let seed = 1;
  for (const p of plan) {
    await makePhoto(join(dir, p.name), {
      faces: p.faces,
      seed: seed++,
      size: SIZE,
      ...(p.orientation ? { orientation: p.orientation } : {}),
    });
  }
}

export function identityOf(embedding: Float32Array): number {
  for (let i = 0; i < 8; i++) {
    const v = identityVector(i, embedding.length);
    let dot = 0;
    for (let k = 0; k < v.length; k++) dot += v[k]! * embedding[k]!;
    if (dot > 0.999) return i;
  }
  return -1;
}

/** The grid pipeline; `blind` identities are not detected; `embedBox` reads the identity inside a box. */
export class RegionPipeline extends TestPipeline {
  embedded = 0;

  constructor(private readonly blind: ReadonlySet<number> = new Set()) {
    super({ modelVersion: 'export-test-v1' });
  }

  override async analyzePhoto(path: string): Promise<PhotoAnalysis> {
    const a = await super.analyzePhoto(path);
    return { ...a, faces: a.faces.filter((f) => !this.blind.has(identityOf(f.embedding))) };
  }

  async embedBox(path: string, box: Box): Promise<AnalyzedFace> {
    this.embedded++;
    const { data, info } = await sharp(path).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let b = 0;
    let n = 0;
    for (let y = Math.round(box.y + box.height / 4); y < box.y + (3 * box.height) / 4; y++) {
      for (let x = Math.round(box.x + box.width / 4); x < box.x + (3 * box.width) / 4; x++) {
        b += data[(y * info.width + x) * info.channels + 2]!;
        n++;
      }
    }
    const embedding = identityVector(Math.round((b / Math.max(1, n) - 16) / 32), EMBEDDING_DIM);
    const p = (fx: number, fy: number) => ({ x: box.x + fx * box.width, y: box.y + fy * box.height });
    return {
      box,
      score: 1,
      quality: 0.9,
      landmarks: [p(0.3, 0.35), p(0.7, 0.35), p(0.5, 0.55), p(0.35, 0.75), p(0.65, 0.75)],
      embedding,
      features: embedding.map((v) => v * 3),
    };
  }
}

export async function openIndexed(dbPath: string, folder: string, pipeline = new RegionPipeline()): Promise<EngineApi> {
  const api = EngineApi.open(dbPath, { createPipeline: async () => pipeline, progressIntervalMs: 0 });
  if (!api.library.folders().some((f) => f.path === folder)) await api.addFolder({ path: folder });
  await api.startIndexing();
  await api.whenIdle();
  return api;
}

/** Names the people holding identities A, B, C (found through the faces' embeddings). */
export async function nameFamily(api: EngineApi): Promise<Map<number, number>> {
  const lib = api.library.library;
  const personOf = new Map<number, number>();
  for (const face of lib.faces.iterateAll()) {
    const identity = identityOf(face.embedding);
    if (NAMES[identity] !== undefined && face.personId !== null) personOf.set(identity, face.personId);
  }
  for (const [identity, personId] of personOf) await api.renamePerson({ personId, name: NAMES[identity]! });
  return personOf;
}

/** Named people as `name -> sorted "photo@x,y"` (boxes rounded to pixels): what a round trip must keep. */
export function namedPeople(api: EngineApi): Record<string, string[]> {
  const lib = api.library.library;
  const out: Record<string, string[]> = {};
  for (const p of lib.people.list()) {
    if (p.name === null) continue;
    const faces = lib.faces.listByPerson(p.id).map((f) => {
      const photo = lib.photos.get(f.photoId)!;
      const b = f.box;
      return `${basename(photo.path)}@${Math.round(b.x)},${Math.round(b.y)},${Math.round(b.width)},${Math.round(b.height)}`;
    });
    if (faces.length > 0) out[p.name] = faces.sort();
  }
  return out;
}

/** mtime and sha256 of every file, to prove originals are untouched. */
export function fingerprint(paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    paths.map((p) => [p, `${statSync(p).mtimeMs}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`]),
  );
}
