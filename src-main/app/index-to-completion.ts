/**
 * Runs one indexing pass through the API and waits for its end: the way the CLI and the evaluation drive
 * indexing (the app's views follow the same events instead of waiting).
 */
import type { FaceNetApi, IndexProgressDto } from '../../src-shared/api.js';
import type { EngineApi } from './engine-api.js';
import type { IndexingSummaryDto } from './indexing-dto.js';

export type IndexingSummary = IndexingSummaryDto;

/** Indexes every library folder; throws when indexing failed or stopped without finishing. */
export async function indexToCompletion(
  engine: EngineApi,
  api: FaceNetApi,
  onProgress?: (p: IndexProgressDto) => void,
): Promise<IndexingSummary> {
  let summary: IndexingSummary | undefined;
  let failure: string | undefined;
  const off = engine.on((event) => {
    if (event.type === 'indexing-progress') onProgress?.(event.progress);
    else if (event.type === 'indexing-finished') summary = event.summary;
    else if (event.type === 'indexing-failed') failure = event.message;
  });
  try {
    await api.startIndexing();
    await engine.whenIdle();
  } finally {
    off();
  }
  if (failure || !summary) throw new Error(failure ?? 'indexing stopped without finishing');
  return summary;
}
