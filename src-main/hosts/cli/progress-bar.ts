/**
 * The indexing progress bar the CLI draws on stderr: done/total, photos/s, faces found, ETA.
 * On a terminal it redraws one line; otherwise (pipes, tests, CI logs) it prints a line at most every
 * `interval` ms, plus the last one.
 */
import type { IndexProgressDto } from '../../../src-shared/api.js';
import { Throttle } from '../../app/throttle.js';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

export function formatProgress(p: IndexProgressDto, width = 24): string {
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${bar} ${pct} ${p.done}/${p.total} photos  ${p.photosPerSecond.toFixed(1)} photos/s  ${p.facesFound} faces  ETA ${formatDuration(p.etaSeconds)}`;
}

export class ProgressBar {
  private readonly lines: Throttle;
  private lastLine = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    interval = 1000,
    now: () => number = () => Date.now(),
  ) {
    // A redrawn line can change often; printed lines pile up in a log, so fewer of them.
    this.lines = new Throttle(stream.isTTY ? 100 : interval, { now });
  }

  update(p: IndexProgressDto): void {
    const line = formatProgress(p);
    this.lastLine = line;
    if (!this.lines.due(p.done >= p.total)) return;
    this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }

  /** Ends the bar's line (terminal) so that what follows starts on a new line. */
  finish(): void {
    if (this.stream.isTTY && this.lastLine) this.stream.write('\n');
  }
}
