/**
 * What the user sees when the app cannot work: the reason in the log file (with the stack) and a dialog
 * that says what failed and where the log is, then the app quits. Without this a packaged app whose
 * engine fails to load just sits there or vanishes, and nobody can tell why.
 */
import { app, dialog } from 'electron';
import { describe, type AppLog } from './log.js';

export function reportFatal(log: AppLog, what: string, error: unknown): void {
  log.write('error', what, error);
  const reason = error instanceof Error ? error.message : describe(error);
  dialog.showErrorBox('FaceNet Photos', `${what}.\n\n${reason}\n\nDetails are in the log file:\n${log.file}`);
  app.exit(1);
}

/** Logs errors no code path caught; those in the main process are fatal (the app state is unknown). */
export function catchUnhandled(log: AppLog): void {
  process.on('uncaughtException', (e) => reportFatal(log, 'FaceNet Photos stopped after an unexpected error', e));
  process.on('unhandledRejection', (e) => log.write('error', 'unhandled promise rejection', e));
}
