import type { ApiEvent, IndexProgressDto } from '../../../src-shared/api.js';
import { ProgressBar } from '../progress-bar.js';
import type { LibrarySession } from './session.js';

type IndexingSummary = Extract<ApiEvent, { type: 'indexing-finished' }>['summary'];

/**
 * Indexes every library folder (incrementally) and waits for the end, with a progress bar on stderr unless
 * `quiet`. Throws when indexing failed or stopped without finishing; returns the summary and the last
 * progress (its total: the photos looked at).
 */
export async function indexLibrary(
  session: LibrarySession,
  quiet = false,
): Promise<{ summary: IndexingSummary; last: IndexProgressDto | undefined }> {
  const { api, engine } = session;
  const bar = quiet ? undefined : new ProgressBar();
  let summary: IndexingSummary | undefined;
  let failure: string | undefined;
  let last: IndexProgressDto | undefined;
  const off = engine.on((event) => {
    if (event.type === 'indexing-progress') bar?.update((last = event.progress));
    else if (event.type === 'indexing-finished') summary = event.summary;
    else if (event.type === 'library-changed' && event.reason.startsWith('indexing-failed')) failure = event.reason;
  });
  try {
    await api.startIndexing();
    await engine.whenIdle();
  } finally {
    off();
    bar?.finish();
  }
  if (failure || !summary) throw new Error(failure ?? 'indexing stopped without finishing');
  return { summary, last };
}
