/**
 * The desktop app's log (log.ts) in the platform's logs folder. Opened before the app is ready, so that
 * failures at start-up are recorded too; falls back to <userData>/logs should Electron refuse the logs path.
 */
import { app } from 'electron';
import { join } from 'node:path';
import { openLog, type AppLog } from './log.js';

export function openAppLog(): AppLog {
  let dir: string;
  try {
    dir = app.getPath('logs');
  } catch {
    dir = join(app.getPath('userData'), 'logs');
  }
  return openLog(dir);
}
