/**
 * Where the library lives on this machine, for every host (CLI, `facenet serve`, the desktop app): one
 * function, so that the CLI and the app always open the same library and share one thumbnail cache.
 *
 * | platform | library (data)                                           | caches (thumbnails)                          |
 * | -------- | -------------------------------------------------------- | -------------------------------------------- |
 * | Linux    | $XDG_DATA_HOME/facenet-photos (~/.local/share/…)         | $XDG_CACHE_HOME/facenet-photos (~/.cache/…)  |
 * | macOS    | ~/Library/Application Support/FaceNet Photos             | ~/Library/Caches/FaceNet Photos              |
 * | Windows  | %APPDATA%\FaceNet Photos                                 | %LOCALAPPDATA%\FaceNet Photos\Cache          |
 *
 * The folder is "FaceNet Photos" (Electron's productName, so the app's own userData on macOS and Windows is
 * the same folder) except on Linux, where the XDG convention is a lowercase name without spaces.
 * FACENET_LIBRARY (a database file) and FACENET_CACHE (a folder) override the defaults for every host.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export const LIBRARY_FILE = 'library.db';
export const APP_FOLDER = 'FaceNet Photos';
export const XDG_APP_FOLDER = 'facenet-photos';

export interface LibraryLocation {
  /** The library database file. */
  libraryFile: string;
  /** Disposable caches (face thumbnails): safe to delete, rebuilt on demand. */
  cacheDir: string;
}

export interface LocationContext {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** XDG base-directory variables count only when absolute (the specification says to ignore relative ones). */
function xdg(env: NodeJS.ProcessEnv, name: 'XDG_DATA_HOME' | 'XDG_CACHE_HOME', fallback: string): string {
  const value = env[name];
  return value && posix.isAbsolute(value) ? value : fallback;
}

export function libraryLocation(context: LocationContext = {}): LibraryLocation {
  const platform = context.platform ?? process.platform;
  const env = context.env ?? process.env;
  const home = context.home ?? homedir();
  let dataDir: string;
  let cacheDir: string;
  if (platform === 'win32') {
    dataDir = win32.join(env.APPDATA ?? win32.join(home, 'AppData', 'Roaming'), APP_FOLDER);
    cacheDir = win32.join(env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local'), APP_FOLDER, 'Cache');
  } else if (platform === 'darwin') {
    dataDir = posix.join(home, 'Library', 'Application Support', APP_FOLDER);
    cacheDir = posix.join(home, 'Library', 'Caches', APP_FOLDER);
  } else {
    dataDir = posix.join(xdg(env, 'XDG_DATA_HOME', posix.join(home, '.local', 'share')), XDG_APP_FOLDER);
    cacheDir = posix.join(xdg(env, 'XDG_CACHE_HOME', posix.join(home, '.cache')), XDG_APP_FOLDER);
  }
  const join = platform === 'win32' ? win32.join : posix.join;
  return {
    libraryFile: env.FACENET_LIBRARY || join(dataDir, LIBRARY_FILE),
    cacheDir: env.FACENET_CACHE || cacheDir,
  };
}

/** The library file the CLI and the app open when none is given. */
export function defaultLibraryPath(context: LocationContext = {}): string {
  return libraryLocation(context).libraryFile;
}

/**
 * The cache folder (face thumbnails under faces/). Shared by every library: thumbnails are keyed by the photo's
 * content hash, box and size, so two libraries never disagree about one.
 */
export function defaultCacheDir(context: LocationContext = {}): string {
  return libraryLocation(context).cacheDir;
}
