/**
 * "At most every N ms, the last one always sent": the one rate limit for progress events (indexing, tuning,
 * export and import), the periodic people assignment while indexing, and the CLI's progress lines.
 *
 * The caller asks `due(force)` before doing the throttled thing: the answer is yes when `intervalMs` has
 * passed since the last yes, or when `force` is set (the last item of a run, an epoch end), and each yes
 * restarts the interval. Nothing is queued or sent later: a skipped item is simply superseded by a newer
 * one, which is what a progress display wants.
 */
export interface ThrottleOptions {
  /** The clock in ms (default performance.now; tests pass their own). */
  now?: () => number;
  /** Whether the first call must wait a whole interval too (default false: the first one passes). */
  waitFirst?: boolean;
}

export class Throttle {
  private last: number;
  private readonly now: () => number;

  constructor(
    /** Minimum time between two passes; may change between calls (an interval that adapts to the work). */
    public intervalMs: number,
    options: ThrottleOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.last = options.waitFirst ? this.now() : -Infinity;
  }

  /** Whether to act now (a forced call always may); a yes restarts the interval. */
  due(force = false): boolean {
    const now = this.now();
    if (!force && now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }

  /** Restarts the interval now: for work that took a while after `due()` said yes, counted from its end. */
  restart(): void {
    this.last = this.now();
  }
}
