/**
 * The desktop app's release hygiene that runs without Electron: the menu of packaged builds has no
 * developer tools, the log file records what failed and why, and workers start from app.asar.unpacked.
 */
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { appMenuTemplate } from '../../../../src-main/hosts/electron/app-menu-template.js';
import { unpackedPath, workerScript } from '../../../../src-main/hosts/electron/app-paths.js';
import { openLog } from '../../../../src-main/hosts/electron/log.js';
import { tempDir } from '../../../helpers/tmp.js';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [
    ...(i.role ? [i.role] : []),
    ...(Array.isArray(i.submenu) ? roles(i.submenu as MenuItemConstructorOptions[]) : []),
  ]);
}

describe('desktop release hygiene', () => {
  const tmp = tempDir('facenet-hygiene-');
  afterAll(() => tmp.cleanup());

  it('gives packaged builds a menu without developer tools or reload', () => {
    for (const mac of [false, true]) {
      const packaged = roles(appMenuTemplate({ developer: false, mac, name: 'FaceNet Photos' }));
      expect(packaged).not.toContain('toggleDevTools');
      expect(packaged).not.toContain('reload');
      expect(packaged).not.toContain('forceReload');
      expect(packaged).toContain(mac ? 'close' : 'quit');
    }
    expect(roles(appMenuTemplate({ developer: true, mac: false, name: 'x' }))).toContain('toggleDevTools');
  });

  it('logs what failed and why (with the stack) to a file in the logs folder', () => {
    const dir = join(tmp.dir, 'logs', 'nested');
    const log = openLog(dir);
    log.write('info', 'starting');
    log.write('error', 'The photo engine could not start', new Error('Cannot find module x'));
    const text = readFileSync(log.file, 'utf8');
    expect(log.file).toBe(join(dir, 'main.log'));
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO starting$/m);
    expect(text).toMatch(/ERROR The photo engine could not start: Error: Cannot find module x\n\s+at /);
  });

  it('starts workers from app.asar.unpacked in a package, from dist/app/workers otherwise', () => {
    const inAsar = join(sep, 'opt', 'FaceNet Photos', 'resources', 'app.asar', 'dist', 'app', 'main.js');
    expect(workerScript('engine-worker.js', pathToFileURL(inAsar))).toBe(
      join(
        sep,
        'opt',
        'FaceNet Photos',
        'resources',
        'app.asar.unpacked',
        'dist',
        'app',
        'workers',
        'engine-worker.js',
      ),
    );
    const dev = join(sep, 'repo', 'dist', 'app', 'main.js');
    expect(workerScript('engine-worker.js', pathToFileURL(dev))).toBe(
      join(sep, 'repo', 'dist', 'app', 'workers', 'engine-worker.js'),
    );
    expect(unpackedPath(join(sep, 'x', 'app.asarx', 'y'))).toBe(join(sep, 'x', 'app.asarx', 'y'));
  });
});
