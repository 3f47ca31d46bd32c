/**
 * The desktop app's log file: one line per event in the platform's logs folder (app.getPath('logs'):
 * ~/.config/FaceNet Photos/logs on Linux, ~/Library/Logs/FaceNet Photos on macOS, %APPDATA%\…\logs on
 * Windows), so that a user can send what failed and why. Appends synchronously: the lines that matter
 * most are written just before the process quits. Lines also go to stderr for `npm start`.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

/** Above this size the file is rotated to main.old.log at start (one generation is enough to report). */
const MAX_BYTES = 5 * 1024 * 1024;

export type LogLevel = 'info' | 'warn' | 'error';

export interface AppLog {
  /** The file lines go to (shown in the error dialog). */
  readonly file: string;
  write(level: LogLevel, message: string, detail?: unknown): void;
}

export function openLog(dir: string, name = 'main'): AppLog {
  const file = join(dir, `${name}.log`);
  let writable = true;
  try {
    mkdirSync(dir, { recursive: true });
    if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES)
      renameSync(file, join(dir, `${name}.old.log`));
  } catch {
    writable = false;
  }
  return {
    file,
    write(level, message, detail) {
      const text = detail === undefined ? message : `${message}: ${describe(detail)}`;
      const line = `${new Date().toISOString()} ${level.toUpperCase()} ${text}\n`;
      (level === 'info' ? process.stdout : process.stderr).write(`facenet: ${line}`);
      if (!writable) return;
      try {
        appendFileSync(file, line);
      } catch {
        writable = false; // a full or read-only disk must not take the app down with it
      }
    },
  };
}

/** Errors with their stack (the "why"), anything else as Node prints it. */
export function describe(detail: unknown): string {
  if (detail instanceof Error) return detail.stack ?? `${detail.name}: ${detail.message}`;
  return typeof detail === 'string' ? detail : inspect(detail, { depth: 4 });
}
