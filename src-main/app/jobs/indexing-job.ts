/**
 * The indexing job: one run at a time in the background (start() returns at once). While it runs:
 * 'indexing-progress' at most every `progressIntervalMs` (the last one always sent), and new faces placed into
 * people every `assignIntervalMs` ('library-changed' `people-updated`). At the end: the active tuned version's
 * embeddings, the people once more, then 'indexing-finished' and 'library-changed' (`indexed`, or
 * `indexing-cancelled`), or one 'indexing-failed' with a plain sentence when the run fails. A watched change
 * (EngineApi.startWatching) ends the same way through finished() and failed().
 */
import type { ApiEvent, IndexProgressDto } from '../../../src-shared/api.js';
import type { IndexSummary } from '../../engine/indexing/indexer.js';
import type { LibraryService } from '../../engine/library/library-service.js';
import type { PeopleService } from '../../engine/people/people-service.js';
import type { TuningService } from '../../engine/tuning/tuning-service.js';
import type { FacePipeline } from '../../engine/vision/analysis.js';
import { failureSentence } from '../api-errors.js';
import { indexingSummaryDto, indexProgressDto } from '../indexing-dto.js';
import { Throttle } from '../throttle.js';

export interface IndexingJobOptions {
  /** Minimum time between two progress events (default 250 ms; the last one is always sent). */
  progressIntervalMs?: number;
  /** While indexing, new faces are placed into people at most this often (default 5000 ms). */
  assignIntervalMs?: number;
  /** Photos analysed at once (default: the indexer's, the number of CPUs but at least 2). */
  concurrency?: number;
}

interface IndexingRun {
  controller: AbortController;
  progress: IndexProgressDto;
  done: Promise<void>;
}

export class IndexingJob {
  private run: IndexingRun | null = null;

  constructor(
    private readonly library: LibraryService,
    private readonly people: PeopleService,
    private readonly tuning: TuningService,
    private readonly pipeline: () => Promise<FacePipeline>,
    private readonly emit: (event: ApiEvent) => void,
    private readonly options: IndexingJobOptions = {},
  ) {}

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.run !== null;
  }

  /** The progress of the run in progress (a copy), or null. */
  progress(): IndexProgressDto | null {
    return this.run ? { ...this.run.progress } : null;
  }

  /** Starts a run in the background; false when one is already running. */
  start(): boolean {
    if (this.run) return false;
    const run: IndexingRun = {
      controller: new AbortController(),
      progress: { done: 0, total: 0, photosPerSecond: 0, facesFound: 0, etaSeconds: null, currentPath: null },
      done: Promise.resolve(),
    };
    this.run = run;
    run.done = this.execute(run).finally(() => {
      if (this.run === run) this.run = null;
    });
    return true;
  }

  /** Asks the run in progress to stop (photos in flight finish); false when none runs. */
  cancel(): boolean {
    if (!this.run) return false;
    this.run.controller.abort();
    return true;
  }

  /** Resolves when no run is in progress. */
  async whenIdle(): Promise<void> {
    while (this.run) await this.run.done;
  }

  /** After a run (explicit or watch-triggered): embeddings of the active version, people, events. */
  finished(summary: IndexSummary, reason: string): void {
    this.tuning.syncEmbeddings();
    this.people.assignNew();
    this.emit({ type: 'indexing-finished', summary: indexingSummaryDto(summary) });
    this.emit({ type: 'library-changed', reason });
  }

  /** A run (explicit or watch-triggered) failed: logged in full, sent as one plain event. */
  failed(error: unknown, what: string): void {
    console.error(`facenet: ${what} failed:`, error);
    this.emit({ type: 'indexing-failed', message: failureSentence(error) });
  }

  private async execute(run: IndexingRun): Promise<void> {
    const assignInterval = this.options.assignIntervalMs ?? 5000;
    const progressEvents = new Throttle(this.options.progressIntervalMs ?? 250);
    try {
      const pipeline = await this.pipeline();
      this.people.setModelVersion(pipeline.modelVersion);
      const assignments = new Throttle(assignInterval, { waitFirst: true });
      const summary = await this.library.index(pipeline, {
        signal: run.controller.signal,
        concurrency: this.options.concurrency,
        onProgress: (p) => {
          run.progress = indexProgressDto(p);
          if (progressEvents.due(p.done === p.total)) {
            this.emit({ type: 'indexing-progress', progress: { ...run.progress } });
          }
          if (assignments.due()) {
            this.tuning.syncEmbeddings();
            const t0 = performance.now();
            this.people.assignNew();
            // A re-grouping is a full one (order-independent), so on a large library it costs seconds: keep
            // it to a tenth of the indexing time, counted from its end.
            assignments.intervalMs = Math.max(assignInterval, 10 * (performance.now() - t0));
            assignments.restart();
            this.emit({ type: 'library-changed', reason: 'people-updated' });
          }
        },
      });
      this.finished(summary, summary.aborted ? 'indexing-cancelled' : 'indexed');
    } catch (error) {
      this.failed(error, 'indexing');
    }
  }
}
