/**
 * Real photos with faces that every clone has: the demo JPEGs inside the pinned `@vladmandic/face-api`
 * package (installed by `npm ci` because its weights build our models). Tests that want real faces use
 * ../shared when it is present and fall back to these, so that a clone without ../shared still indexes real
 * faces. The files are read from node_modules (or copied to a temporary folder), never into the repository.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

function packageDemoDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  } catch {
    return '';
  }
}

export const DEMO_DIR = process.env.FACENET_DEMO_PHOTOS ?? packageDemoDir();

/** The demo photos present (sample1.jpg … sample6.jpg in face-api 1.7.15: 3 to 5 faces each), sorted. */
export function demoPhotos(): string[] {
  if (!DEMO_DIR || !existsSync(DEMO_DIR)) return [];
  return readdirSync(DEMO_DIR)
    .filter((f) => /^sample\d+\.jpg$/.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((f) => join(DEMO_DIR, f));
}

/** True when at least `min` demo photos exist; logs why the caller will skip otherwise. */
export function hasDemoPhotos(min = 2): boolean {
  const ok = demoPhotos().length >= min;
  if (!ok) console.warn(`skipping: fewer than ${min} face-api demo photos in ${DEMO_DIR || '@vladmandic/face-api'}`);
  return ok;
}

/**
 * Writes a mirror image of `src` to `dest`: another photo (its own bytes and content hash) of the same people,
 * so that each of them has at least two faces to cluster, confirm or merge.
 */
export async function writeMirrored(src: string, dest: string): Promise<void> {
  await sharp(src).rotate().flop().jpeg({ quality: 92 }).toFile(dest);
}

/**
 * Where CLI tests get real faces: two celebrity folders of ../shared/faces when present, else the demo photos,
 * else none (the caller skips). Logs the fallback.
 */
export function realPhotoSource(sharedDir: string, sharedIds: readonly string[]): 'shared' | 'demo' | undefined {
  const source = sharedIds.every((id) => existsSync(join(sharedDir, 'faces', id)))
    ? 'shared'
    : hasDemoPhotos()
      ? 'demo'
      : undefined;
  if (source === 'demo') console.warn(`${sharedDir}/faces is absent: using the face-api demo photos instead`);
  return source;
}
