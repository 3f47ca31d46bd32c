/**
 * Library fixtures for the people-service tests: drawn photos (test/helpers/images.ts) indexed with a noisy
 * variant of the test pipeline, so that faces of one identity are close but not identical, deterministically
 * (the noise depends on the file name and the face's cell, never on indexing order).
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { Box } from '../../src-shared/geometry.js';
import { LibraryService } from '../../src-main/engine/library/library-service.js';
import type { Library } from '../../src-main/engine/storage/library.js';
import type { AnalyzedFace, PhotoAnalysis } from '../../src-shared/analysis.js';
import { makePhoto, type DrawnFace } from './images.js';
import { GRID, identityVector, TestPipeline } from './test-pipeline.js';

export const PHOTO_SIZE = 64;
export const CELL = PHOTO_SIZE / GRID;

function noise(key: string, dim: number, scale: number): Float32Array {
  const out = new Float32Array(dim);
  let block = createHash('sha256').update(key).digest();
  for (let i = 0; i < dim; i++) {
    if (i % 16 === 0 && i > 0) block = createHash('sha256').update(block).digest();
    const b = block[(i * 2) % 32]! * 256 + block[(i * 2 + 1) % 32]!;
    out[i] = (b / 65535 - 0.5) * 2 * scale;
  }
  return out;
}

function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return v.map((x) => x / n);
}

/** The test pipeline with deterministic per-face noise, and `embedBox` for drawn boxes. */
export class NoisyPipeline extends TestPipeline {
  constructor(private readonly scale = 0.08) {
    super({ modelVersion: 'noisy-test-v1' });
  }

  override async analyzePhoto(path: string): Promise<PhotoAnalysis> {
    const a = await super.analyzePhoto(path);
    return { ...a, faces: a.faces.map((f) => this.perturb(path, f)) };
  }

  private perturb(path: string, f: AnalyzedFace): AnalyzedFace {
    const cell = `${Math.round(f.box.x / CELL)},${Math.round(f.box.y / CELL)}`;
    const n = noise(`${basename(path)}:${cell}`, f.embedding.length, this.scale);
    const embedding = normalise(f.embedding.map((v, i) => v + n[i]!));
    return { ...f, embedding, features: embedding.map((v) => v * 3) };
  }

  /** A drawn box: the identity is read from the blue level in the box centre (as the grid detector does). */
  async embedBox(path: string, box: Box): Promise<AnalyzedFace> {
    const a = await super.analyzePhoto(path);
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const hit = a.faces.find(
      (f) => cx >= f.box.x && cx < f.box.x + f.box.width && cy >= f.box.y && cy < f.box.y + f.box.height,
    );
    const base = hit?.embedding ?? identityVector(99);
    const embedding = normalise(base.map((v, i) => v + noise(`${basename(path)}:manual`, base.length, this.scale)[i]!));
    return {
      box,
      score: 1,
      quality: 0.9,
      landmarks: [
        { x: box.x + box.width * 0.3, y: box.y + box.height * 0.35 },
        { x: box.x + box.width * 0.7, y: box.y + box.height * 0.35 },
        { x: box.x + box.width * 0.5, y: box.y + box.height * 0.55 },
        { x: box.x + box.width * 0.35, y: box.y + box.height * 0.75 },
        { x: box.x + box.width * 0.65, y: box.y + box.height * 0.75 },
      ],
      embedding,
      features: embedding.map((v) => v * 3),
    };
  }
}

export interface PhotoPlan {
  name: string;
  faces: DrawnFace[];
}

/** Identities 0, 2, 4, 5, 7 are pairwise > 1.4 apart (test-pipeline identity vectors). */
export const A = 0;
export const B = 2;
export const C = 4;

/** A small family library: A in 5 photos, B in 4, C in 3, two group photos (A+B, A+C). */
export function familyPlan(): PhotoPlan[] {
  const plan: PhotoPlan[] = [];
  for (let i = 0; i < 5; i++) plan.push({ name: `a${i}.png`, faces: [{ cell: i % 16, identity: A }] });
  for (let i = 0; i < 4; i++) plan.push({ name: `b${i}.png`, faces: [{ cell: (i + 5) % 16, identity: B }] });
  for (let i = 0; i < 3; i++) plan.push({ name: `c${i}.png`, faces: [{ cell: (i + 9) % 16, identity: C }] });
  plan.push({
    name: `g0.png`,
    faces: [
      { cell: 0, identity: A },
      { cell: 3, identity: B },
    ],
  });
  plan.push({
    name: `g1.png`,
    faces: [
      { cell: 5, identity: A },
      { cell: 10, identity: C },
    ],
  });
  return plan;
}

export async function writePhotos(dir: string, plan: readonly PhotoPlan[]): Promise<void> {
  let seed = 1;
  for (const p of plan) await makePhoto(join(dir, p.name), { faces: p.faces, seed: seed++, size: PHOTO_SIZE });
}

/** Opens a library on `dbPath`, adds `photoDir`, indexes `order` (file names) one at a time, in that order. */
export async function indexInOrder(
  dbPath: string,
  photoDir: string,
  order: readonly string[],
  pipeline = new NoisyPipeline(),
): Promise<LibraryService> {
  const svc = LibraryService.open(dbPath);
  if (svc.folders().length === 0) svc.addFolder(photoDir);
  for (const name of order) await svc.index(pipeline, { paths: [join(photoDir, name)], concurrency: 1 });
  return svc;
}

/** Face key independent of ids: `photo-file:cell`. */
export function faceKeys(lib: Library): Map<number, string> {
  const rows = lib.db
    .prepare('SELECT f.id, f.box_x, f.box_y, p.path FROM faces f JOIN photos p ON p.id = f.photo_id')
    .all() as { id: number; box_x: number; box_y: number; path: string }[];
  return new Map(
    rows.map((r) => [r.id, `${basename(r.path)}:${Math.round(r.box_x / CELL) + GRID * Math.round(r.box_y / CELL)}`]),
  );
}

/** The people as sorted lists of face keys (with the name), order-free: comparable across libraries. */
export function peopleByKeys(lib: Library): string[] {
  const keys = faceKeys(lib);
  const rows = lib.db
    .prepare('SELECT f.id, f.person_id, p.name FROM faces f LEFT JOIN people p ON p.id = f.person_id')
    .all() as { id: number; person_id: number | null; name: string | null }[];
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const g = r.person_id === null ? `unsorted:${keys.get(r.id)}` : `p${r.person_id}`;
    groups.set(g, [...(groups.get(g) ?? []), keys.get(r.id)!]);
  }
  const named = new Map(rows.filter((r) => r.person_id !== null).map((r) => [`p${r.person_id}`, r.name]));
  return [...groups.entries()]
    .map(([g, ks]) => `${g.startsWith('unsorted') ? 'U' : (named.get(g) ?? '?')}[${ks.sort().join(' ')}]`)
    .sort();
}

/** Every row the user's work lives in, for exact before/after comparisons. */
export function dump(lib: Library): Record<string, unknown[]> {
  const all = (sql: string): unknown[] => lib.db.prepare(sql).all();
  return {
    people: all('SELECT * FROM people ORDER BY id'),
    faces: all('SELECT id, person_id, assignment FROM faces ORDER BY id'),
    decisions: all('SELECT * FROM face_decisions ORDER BY id'),
    orphans: all('SELECT id, person_id, decision, decided_at FROM orphaned_decisions ORDER BY id'),
    dismissals: all('SELECT * FROM dismissed_suggestions ORDER BY person_a, person_b'),
    separations: all('SELECT * FROM face_separations ORDER BY face_a, face_b'),
    ignored: all('SELECT * FROM ignored_faces ORDER BY face_id'),
  };
}

/** Face ids of one photo file, by cell. */
export function faceAt(lib: Library, photoName: string, cell: number): number {
  const keys = faceKeys(lib);
  for (const [id, key] of keys) if (key === `${photoName}:${cell}`) return id;
  throw new Error(`no face ${photoName}:${cell}`);
}
