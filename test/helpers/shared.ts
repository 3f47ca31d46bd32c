/**
 * Where the shared face data lives (../shared next to the repository, or FACENET_SHARED) and a guard
 * for tests that need it: they skip with a clear message when it is absent.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sharedLocation = process.env.FACENET_SHARED ?? fileURLToPath(new URL('../../../shared', import.meta.url));
/** Resolved through links: the library stores real paths, and tests compare against them. */
export const SHARED_DIR = existsSync(sharedLocation) ? realpathSync(sharedLocation) : sharedLocation;

/** True when `relative` exists under the shared folder; logs why the caller will skip otherwise. */
export function hasShared(relative: string): boolean {
  const ok = existsSync(join(SHARED_DIR, relative));
  if (!ok) console.warn(`skipping: shared test data ${join(SHARED_DIR, relative)} is absent`);
  return ok;
}
