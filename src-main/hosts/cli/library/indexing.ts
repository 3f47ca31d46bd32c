import type { IndexProgressDto } from '../../../../src-shared/api.js';
import { indexToCompletion, type IndexingSummary } from '../../../app/index-to-completion.js';
import { ProgressBar } from '../progress-bar.js';
import type { LibrarySession } from './session.js';

/**
 * Indexes every library folder (incrementally) and waits for the end, with a progress bar on stderr unless
 * `quiet`. Throws when indexing failed or stopped without finishing; returns the summary and the last
 * progress (its total: the photos looked at).
 */
export async function indexLibrary(
  session: LibrarySession,
  quiet = false,
): Promise<{ summary: IndexingSummary; last: IndexProgressDto | undefined }> {
  const bar = quiet ? undefined : new ProgressBar();
  let last: IndexProgressDto | undefined;
  try {
    const summary = await indexToCompletion(session.engine, session.api, (p) => bar?.update((last = p)));
    return { summary, last };
  } finally {
    bar?.finish();
  }
}
