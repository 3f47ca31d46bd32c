/**
 * `facenet index --watch`: after the first run, the engine's watcher (the same one `facenet serve` and the
 * app use) indexes what changes in the library folders until Ctrl+C or SIGTERM; one report per run on stdout.
 */
import { isAbsolute, relative } from 'node:path';
import type { IndexSummary, WatchOptions } from '../../../app/engine-types.js';
import type { LibrarySession } from './session.js';

/** One run of the watcher in words: what was indexed, moved and removed, then the paths that triggered it. */
export function describeWatchRun(summary: IndexSummary, paths: string[], cwd = process.cwd()): string {
  const parts = [
    `${summary.analysed + summary.reused} analysed (${summary.facesFound} faces)`,
    `${summary.moved} moved`,
    `${summary.removed} removed`,
    `${summary.failed} failed`,
  ];
  const time = new Date().toTimeString().slice(0, 8);
  // Paths under the working folder print relative to it, others in full.
  const shown = paths.map((p) => {
    const r = relative(cwd, p);
    return `  ${r && !r.startsWith('..') && !isAbsolute(r) ? r : p}`;
  });
  // Photos of a folder that is not reachable are kept, not removed: say so.
  if (summary.offline > 0) parts.push(`${summary.offline} kept offline`);
  const unreachable = summary.unreachable.map((f) => `  folder not reachable: ${f}`);
  return [`${time} picked up ${paths.length} path(s): ${parts.join(', ')}`, ...unreachable, ...shown].join('\n');
}

/** Resolves at the first SIGINT or SIGTERM (Ctrl+C), after which the caller closes the library cleanly. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function watchUntilStopped(session: LibrarySession, options: WatchOptions = {}): Promise<void> {
  const stopped = untilStopped();
  const watcher = session.engine.startWatching(options);
  watcher.on('indexed', (summary, paths) => console.log(describeWatchRun(summary, paths)));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const folders = await session.api.listFolders();
  console.log(`watching ${folders.length} folder(s) for new, changed, moved and deleted photos (Ctrl+C stops)`);
  await stopped;
  await session.engine.stopWatching();
  const status = await session.api.status();
  console.log(
    `stopped watching; library: ${status.photos.total} photos, ${status.faces} faces, ${status.people} people`,
  );
}
