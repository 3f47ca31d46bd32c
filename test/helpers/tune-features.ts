/**
 * Stored features for the tuning benchmarks, as the library would hold them: for every photo of
 * ../shared/celeba-people (91 people x 20) and every image named in ../shared/lfw-dev/pairs.txt, the
 * pre-embedding features of its primary face (src-main/app/evaluation/primary-face.ts: the face `npm run eval` scores) with the
 * shipped pipeline (default detector, dlib embedder, flip TTA). Extracted once and cached in
 * $TMPDIR/facenet-tune-cache/ (saved every 50 photos, so an interrupted run resumes; delete to re-extract);
 * about 4 minutes for both sets on this 2-core machine.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePrimaryFace } from '../../src-main/app/evaluation/primary-embedding.js';
import { createFaceAnalyzer } from '../../src-main/engine/vision/registry.js';
import { parseLfwPairs, type LfwPairs } from '../../src-shared/lfw-pairs.js';
import { SHARED_DIR } from './shared.js';

export const TUNE_CACHE_DIR = join(tmpdir(), 'facenet-tune-cache');

interface Cached {
  paths: string[];
  features: number[][];
}

/** Features by path (relative to ../shared) of the primary face of each photo; photos without a face are absent. */
export async function primaryFeatures(name: string, paths: string[]): Promise<Map<string, Float32Array>> {
  const file = join(TUNE_CACHE_DIR, `${name}.json`);
  const cache: Cached = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Cached)
    : { paths: [], features: [] };
  const out = new Map<string, Float32Array>();
  cache.paths.forEach((p, i) => {
    const f = cache.features[i] as number[];
    if (f.length > 0) out.set(p, Float32Array.from(f));
  });
  const seen = new Set(cache.paths);
  const todo = paths.filter((p) => !seen.has(p));
  if (todo.length === 0) return out;
  mkdirSync(TUNE_CACHE_DIR, { recursive: true });
  const save = () => writeFileSync(file, JSON.stringify(cache));
  const analyzer = await createFaceAnalyzer();
  const t0 = performance.now();
  for (const [k, p] of todo.entries()) {
    const face = await analyzePrimaryFace(analyzer, join(SHARED_DIR, p));
    // A photo with no face is recorded with empty features so it is not analysed again.
    cache.paths.push(p);
    cache.features.push(face ? Array.from(face.features) : []);
    if (face) out.set(p, face.features);
    if (k % 50 === 49) {
      save();
      console.error(`${name}: ${k + 1}/${todo.length} new (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  save();
  await analyzer.dispose();
  return out;
}

export interface CelebaPeople {
  /** Person folder names, sorted. */
  people: string[];
  /** Features of each person's photos (photos without a face left out), in file-name order. */
  byPerson: Map<string, { path: string; features: Float32Array }[]>;
}

/** ../shared/celeba-people, the first `limit` people (all by default). */
export async function celebaPeople(limit?: number): Promise<CelebaPeople> {
  const root = join(SHARED_DIR, 'celeba-people');
  const people = readdirSync(root)
    .filter((d) => !d.startsWith('.') && !d.endsWith('.md'))
    .sort()
    .slice(0, limit);
  const paths = people.flatMap((person) =>
    readdirSync(join(root, person))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .map((f) => `celeba-people/${person}/${f}`),
  );
  const features = await primaryFeatures('celeba-people-primary', paths);
  const byPerson = new Map<string, { path: string; features: Float32Array }[]>();
  for (const person of people)
    byPerson.set(
      person,
      paths
        .filter((p) => p.startsWith(`celeba-people/${person}/`) && features.has(p))
        .map((path) => ({ path, features: features.get(path) as Float32Array })),
    );
  return { people, byPerson };
}

export interface LfwDev {
  pairs: LfwPairs;
  /** Features by image path as written in pairs.txt ("Name/Name_0001.jpg"). */
  features: Map<string, Float32Array>;
}

/** ../shared/lfw-dev pairs.txt and the features of every image it names. */
export async function lfwDev(): Promise<LfwDev> {
  const pairs = parseLfwPairs(readFileSync(join(SHARED_DIR, 'lfw-dev', 'pairs.txt'), 'utf8'));
  const paths = [...new Set(pairs.pairs.flatMap((p) => [p.a.path, p.b.path]))];
  const byShared = await primaryFeatures(
    'lfw-dev-pairs-primary',
    paths.map((p) => `lfw-dev/images/${p}`),
  );
  const features = new Map<string, Float32Array>();
  for (const p of paths) {
    const f = byShared.get(`lfw-dev/images/${p}`);
    if (f) features.set(p, f);
  }
  return { pairs, features };
}
