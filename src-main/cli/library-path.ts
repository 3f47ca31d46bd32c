/**
 * Where the library database lives when `--library` is not given: the platform's user-data folder.
 * - Linux and others: $XDG_DATA_HOME/facenet-photos/library.db (default ~/.local/share/facenet-photos)
 * - macOS: ~/Library/Application Support/FaceNet Photos/library.db
 * - Windows: %APPDATA%\FaceNet Photos\library.db
 */
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

export const LIBRARY_FILE = 'library.db';

export function defaultLibraryPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, 'FaceNet Photos', LIBRARY_FILE);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'FaceNet Photos', LIBRARY_FILE);
  const dataHome =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(dataHome, 'facenet-photos', LIBRARY_FILE);
}
