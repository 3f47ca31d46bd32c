/**
 * The tuning job ("Improve recognition"): one training run at a time in the background (start() returns at
 * once, after the label check). While it trains: 'tuning-progress' (steps at most every `progressIntervalMs`,
 * epoch ends always, since they carry the held-out figure); then 'tuning-finished' (`done` with the report,
 * `cancelled`, or `failed` with the message). status() is what tuneStatus reports: the run in progress, or
 * how the last one ended, with the labels there are and the version in use.
 */
import {
  ApiError,
  type ApiArgs,
  type ApiEvent,
  type TuneReportDto,
  type TuningOutcomeDto,
  type TuningProgressDto,
  type TuningStatusDto,
} from '../../../src-shared/api.js';
import type { TuningService } from '../../engine/tuning/tuning-service.js';
import { toApiError } from '../api-errors.js';
import { Throttle } from '../throttle.js';
import { labelSummaryDto, tuneReportDto, tuningProgressDto } from '../tuning-dto.js';

/** What tuneStart asked for; forwarded whole to TuningService.tune. */
export type TuneStartRequest = ApiArgs<'tuneStart'>;

export interface TuningJobOptions {
  /** Minimum time between two step events (default 250 ms; epoch ends are always sent). */
  progressIntervalMs?: number;
}

interface TuningRun {
  id: number;
  request: TuneStartRequest;
  controller: AbortController;
  harmonic: boolean;
  startedAt: number;
  progress: TuningProgressDto | null;
  done: Promise<void>;
}

/** How the last finished run ended (kept for status() after its events have gone out). */
interface TuningEnd {
  id: number;
  harmonic: boolean;
  startedAt: number;
  progress: TuningProgressDto | null;
  outcome: TuningOutcomeDto;
  report: TuneReportDto | null;
  error: string | null;
}

export class TuningJob {
  private run: TuningRun | null = null;
  private last: TuningEnd | null = null;
  /** Runs started since the engine started: each run's id. */
  private runs = 0;

  constructor(
    private readonly tuning: TuningService,
    private readonly emit: (event: ApiEvent) => void,
    private readonly options: TuningJobOptions = {},
  ) {}

  /** Whether a run is training. */
  get running(): boolean {
    return this.run !== null;
  }

  /** Starts a run in the background; refused while one trains or when the labels are too few. */
  start(request: TuneStartRequest): TuningStatusDto {
    if (this.run) throw new ApiError('conflict', 'a training run is already in progress');
    // Refuse here, not in the background: too few labels must reach the caller as this call's error.
    const labels = this.tuning.labels();
    if (!labels.ready) throw new ApiError('bad-request', labels.reason ?? 'not enough confirmed faces');
    const run: TuningRun = {
      id: ++this.runs,
      request,
      controller: new AbortController(),
      harmonic: request.harmonic ?? false,
      startedAt: Date.now(),
      progress: null,
      done: Promise.resolve(),
    };
    this.run = run;
    run.done = this.execute(run);
    return this.status();
  }

  /** Asks the run in progress to stop (nothing is stored); false when none trains. */
  cancel(): boolean {
    if (!this.run) return false;
    this.run.controller.abort();
    return true;
  }

  /** Resolves when no run is training (its 'tuning-finished' event has gone out). */
  async whenDone(): Promise<void> {
    while (this.run) await this.run.done;
  }

  /** A version was discarded: the last run's report no longer names a version there is. */
  discarded(version: number): void {
    if (this.last?.report?.version === version) this.last = { ...this.last, report: null };
  }

  status(): TuningStatusDto {
    const run = this.run;
    const last = this.last;
    const base = { labels: labelSummaryDto(this.tuning.labels()), activeVersion: this.tuning.activeVersion() };
    if (run)
      return {
        ...base,
        runId: run.id,
        running: true,
        harmonic: run.harmonic,
        startedAt: run.startedAt,
        progress: run.progress && { ...run.progress },
        outcome: null,
        report: null,
        error: null,
      };
    return {
      ...base,
      runId: last?.id ?? 0,
      running: false,
      harmonic: last?.harmonic ?? false,
      startedAt: last?.startedAt ?? null,
      progress: last?.progress ?? null,
      outcome: last?.outcome ?? null,
      report: last?.report ?? null,
      error: last?.error ?? null,
    };
  }

  /** One training run: throttled progress events, then the end recorded and announced. */
  private async execute(run: TuningRun): Promise<void> {
    const progressEvents = new Throttle(this.options.progressIntervalMs ?? 250);
    let end: Pick<TuningEnd, 'outcome' | 'report' | 'error'>;
    try {
      const report = await this.tuning.tune({
        ...run.request,
        signal: run.controller.signal,
        onProgress: (p) => {
          run.progress = tuningProgressDto(p, run.progress?.heldOutVal ?? null);
          // Epoch ends carry the held-out figure: always sent; steps at most every interval.
          if (!progressEvents.due(p.kind !== 'step')) return;
          this.emit({ type: 'tuning-progress', runId: run.id, progress: { ...run.progress } });
        },
      });
      end = { outcome: 'done', report: tuneReportDto(report.version, report), error: null };
    } catch (error) {
      const cancelled = (error as Error | null)?.name === 'AbortError';
      if (!cancelled) console.error('facenet: tuning failed:', error);
      end = cancelled
        ? { outcome: 'cancelled', report: null, error: 'cancelled' }
        : { outcome: 'failed', report: null, error: toApiError(error).message };
    }
    // Recorded before the event goes out, so a listener asking status() sees the run finished.
    this.last = { id: run.id, harmonic: run.harmonic, startedAt: run.startedAt, progress: run.progress, ...end };
    if (this.run === run) this.run = null;
    this.emit({ type: 'tuning-finished', runId: run.id, ...end });
  }
}
