/** Indexing as the contract's DTOs (src-shared/api.ts): a run's progress and the summary of a finished run. */
import type { ApiEvent, IndexProgressDto } from '../../src-shared/api.js';
import type { IndexSummary } from '../engine/indexing/indexer.js';
import type { IndexProgress } from '../engine/indexing/progress.js';

export type IndexingSummaryDto = Extract<ApiEvent, { type: 'indexing-finished' }>['summary'];

export function indexProgressDto(p: IndexProgress): IndexProgressDto {
  return {
    done: p.done,
    total: p.total,
    photosPerSecond: p.photosPerSecond,
    facesFound: p.facesFound,
    etaSeconds: p.etaSeconds,
    currentPath: p.currentPath,
  };
}

/** What 'indexing-finished' tells: photos analysed (copies of known content count, they got their faces). */
export function indexingSummaryDto(summary: IndexSummary): IndexingSummaryDto {
  return {
    analysed: summary.analysed + summary.reused,
    failed: summary.failed,
    facesFound: summary.facesFound,
    seconds: summary.seconds,
  };
}
