/**
 * Progress of an export or import on stderr, from the engine's 'task-progress' events: one redrawn line on a
 * terminal, otherwise a line at most every `interval` ms plus the last one of each phase.
 */
import type { ApiEvent } from '../../../../src-shared/api.js';
import type { EngineApi } from '../../../app/engine-api.js';
import { Throttle } from '../../../app/throttle.js';
import { printable } from '../../../../src-shared/names.js';

export function showTaskProgress(
  engine: Pick<EngineApi, 'on'>,
  stream: NodeJS.WriteStream = process.stderr,
  interval = 1000,
): () => void {
  const printed = new Throttle(interval);
  let drawn = false;
  const off = engine.on((event: ApiEvent) => {
    if (event.type !== 'task-progress') return;
    const line = `${event.task}: ${event.phase} ${event.done}/${event.total}`;
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K`);
      drawn = true;
    } else if (printed.due(event.done >= event.total)) {
      stream.write(`${line}\n`);
    }
  });
  return () => {
    off();
    if (drawn) stream.write('\r\x1b[K');
  };
}

/** A failure that is already explained on stderr: main prints only this message (no stack), exit code 1. */
export class ReportedFailure extends Error {
  override name = 'ReportedFailure';
  constructor(message: string) {
    super(message);
    this.stack = message;
  }
}

/** The first `limit` problems as indented lines (control characters escaped), and how many more there are. */
export function listProblems(items: readonly string[], limit = 20): string {
  const lines = items.slice(0, limit).map((s) => `  ${printable(s)}`);
  if (items.length > limit) lines.push(`  … and ${items.length - limit} more`);
  return lines.join('\n');
}
