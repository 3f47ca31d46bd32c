/**
 * Failures the user can act on, in one plain sentence: a library locked by another process, a full disk, a
 * damaged database or a file that is not a library. Shared by the API boundary (EngineApi.call, so the app,
 * `facenet serve` and the CLI say the same thing) and the CLI's last-resort error output.
 */
import { randomBytes } from 'node:crypto';

export interface PlainProblem {
  /** 'busy' can go away by itself (try again); the others need the user. */
  kind: 'busy' | 'full' | 'io' | 'corrupt' | 'not-a-library';
  message: string;
}

const SENTENCES: Record<PlainProblem['kind'], string> = {
  busy:
    'the library is in use by another FaceNet process (the app, facenet serve or an index run): ' +
    'wait for it to finish or close it, then try again',
  full: 'the disk is full: the library could not be saved (nothing was changed); free some space and try again',
  io:
    'the disk holding the library could not be read or written (full, disconnected or failing): nothing was ' +
    'changed; free some space or reconnect the disk and try again',
  corrupt:
    'the library database is damaged: restore it from a backup, or start a new library ' +
    '(your XMP sidecars and exported folders are not affected)',
  'not-a-library': 'the library file is not a FaceNet library (not an SQLite database)',
};

/** The plain sentence for a known database or disk failure, or null for anything else. */
export function plainProblem(error: unknown): PlainProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const kind: PlainProblem['kind'] | null =
    code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
      ? 'busy'
      : code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT'
        ? 'full'
        : code.startsWith('SQLITE_IOERR') || code === 'EIO'
          ? 'io'
          : code.startsWith('SQLITE_CORRUPT')
            ? 'corrupt'
            : code.startsWith('SQLITE_NOTADB')
              ? 'not-a-library'
              : null;
  return kind ? { kind, message: SENTENCES[kind] } : null;
}

/** A short id that ties the generic message a client sees to the detail in the log. */
export function errorId(): string {
  return randomBytes(4).toString('hex');
}
