/**
 * One library location for every host: the CLI's default (--library absent) and the desktop app's
 * (src-main/hosts/electron/main.ts, which cannot be imported outside Electron, so its source is checked to call the
 * shared function) agree, per platform, with and without XDG/FACENET overrides.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultLibraryPath as cliDefault } from '../../../src-main/hosts/cli/library-path.js';
import { libraryPath } from '../../../src-main/hosts/cli/library/session.js';
import { defaultCacheDir, defaultLibraryPath, libraryLocation } from '../../../src-main/app/library-location.js';

afterEach(() => vi.unstubAllEnvs());

describe('library location', () => {
  it('Linux: XDG data and cache homes, with the documented defaults', () => {
    expect(libraryLocation({ platform: 'linux', env: {}, home: '/home/ann' })).toEqual({
      libraryFile: '/home/ann/.local/share/facenet-photos/library.db',
      cacheDir: '/home/ann/.cache/facenet-photos',
    });
    const env = { XDG_DATA_HOME: '/data', XDG_CACHE_HOME: '/cache' };
    expect(libraryLocation({ platform: 'linux', env, home: '/home/ann' })).toEqual({
      libraryFile: '/data/facenet-photos/library.db',
      cacheDir: '/cache/facenet-photos',
    });
    // Relative XDG values are invalid per the specification and ignored.
    const relative = { XDG_DATA_HOME: 'data', XDG_CACHE_HOME: 'cache' };
    expect(libraryLocation({ platform: 'linux', env: relative, home: '/h' }).libraryFile).toBe(
      '/h/.local/share/facenet-photos/library.db',
    );
  });

  it('macOS and Windows: the platform folders, named like the app', () => {
    expect(libraryLocation({ platform: 'darwin', env: {}, home: '/Users/ann' })).toEqual({
      libraryFile: '/Users/ann/Library/Application Support/FaceNet Photos/library.db',
      cacheDir: '/Users/ann/Library/Caches/FaceNet Photos',
    });
    const env = { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' };
    expect(libraryLocation({ platform: 'win32', env, home: 'C:\\Users\\ann' })).toEqual({
      libraryFile: 'C:\\Users\\ann\\AppData\\Roaming\\FaceNet Photos\\library.db',
      cacheDir: 'C:\\Users\\ann\\AppData\\Local\\FaceNet Photos\\Cache',
    });
  });

  it('FACENET_LIBRARY and FACENET_CACHE override every platform', () => {
    const env = { FACENET_LIBRARY: '/x/lib.db', FACENET_CACHE: '/y' };
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(libraryLocation({ platform, env, home: '/h' })).toEqual({ libraryFile: '/x/lib.db', cacheDir: '/y' });
    }
  });

  it('the CLI and the app open the same library, also under XDG overrides', () => {
    const main = readFileSync(new URL('../../../src-main/hosts/electron/main.ts', import.meta.url), 'utf8');
    expect(main).toMatch(/import \{ defaultLibraryPath \} from '\.\.\/\.\.\/app\/library-location\.js'/);
    expect(main).toMatch(/const dbPath = defaultLibraryPath\(\);/);
    expect(main).not.toMatch(/getPath\('userData'\)/);
    expect(cliDefault).toBe(defaultLibraryPath);

    const check = (): void => {
      expect(libraryPath(undefined)).toBe(defaultLibraryPath());
      expect(cliDefault()).toBe(defaultLibraryPath());
    };
    check();
    vi.stubEnv('FACENET_LIBRARY', '');
    vi.stubEnv('XDG_DATA_HOME', '/tmp/xdg-data');
    vi.stubEnv('XDG_CACHE_HOME', '/tmp/xdg-cache');
    check();
    if (process.platform === 'linux') {
      expect(libraryPath(undefined)).toBe('/tmp/xdg-data/facenet-photos/library.db');
      expect(defaultCacheDir()).toBe('/tmp/xdg-cache/facenet-photos');
    }
  });
});
