import { resolve } from 'node:path';
import { describeSkipped } from '../../../../src-shared/photo-formats.js';
import { parse, pipelineChoice, UsageError } from '../args.js';
import { describeOffline } from '../library/format.js';
import { indexLibrary } from '../library/indexing.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';
import { watchUntilStopped } from '../library/watching.js';

const USAGE = 'facenet index <folder…> [--watch] [--library <path>] [--detector id] [--embedder id]';

/**
 * `facenet index <folder…>`: adds the folders to the library (created if missing) and indexes every library
 * folder incrementally, with a progress bar on stderr (done/total, photos/s, faces, ETA); new faces are
 * placed into people as the engine does for the app. --detector/--embedder change the library's model
 * settings (saved). --watch: then keeps indexing new, changed, moved and deleted photos as they happen, printing
 * each run, until Ctrl+C.
 */
export async function indexCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { ...LIBRARY_OPTION, detector: { type: 'string' }, embedder: { type: 'string' }, watch: { type: 'boolean' } },
    USAGE,
  );
  if (values.detector || values.embedder) pipelineChoice(values); // validates the ids before opening anything
  const session = openLibrary(values.library, true);
  try {
    const { api } = session;
    if (positionals.length === 0 && (await api.listFolders()).length === 0) {
      throw new UsageError(`give at least one folder (the library has none yet)\nusage: ${USAGE}`);
    }
    for (const folder of positionals) await api.addFolder({ path: resolve(folder) });
    if (values.detector || values.embedder) {
      await api.updateSettings({
        ...(values.detector ? { detector: values.detector } : {}),
        ...(values.embedder ? { embedder: values.embedder } : {}),
      });
    }
    const { summary: finished, last } = await indexLibrary(session);
    const status = await api.status();
    console.log(
      `indexed ${last?.total ?? 0} photos in ${finished.seconds.toFixed(1)} s: ${finished.analysed} analysed, ` +
        `${finished.failed} failed; ${finished.facesFound} faces found`,
    );
    console.log(
      `library: ${status.photos.total} photos, ${status.faces} faces, ${status.people} people (${status.namedPeople} named), ${status.unsortedFaces} unsorted faces`,
    );
    for (const line of describeOffline(status.offline ?? { photos: 0, folders: [] })) console.log(line);
    for (const skipped of status.skipped ?? []) console.log(`skipped ${describeSkipped(skipped)}`);
    if (status.photos.error > 0) console.log(`see facenet errors for the ${status.photos.error} failed photo(s)`);
    if (values.watch) await watchUntilStopped(session);
  } finally {
    await session.close();
  }
}
