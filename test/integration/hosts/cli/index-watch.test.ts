/**
 * `facenet index <folder> --watch` through the real CLI and the real pipeline: it indexes, then prints what it
 * picks up in the folder (a face photo copied in, then deleted) until Ctrl+C (SIGINT), and exits cleanly.
 * Uses a face-api demo photo, which every clone has.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StatusDto } from '../../../../src-shared/api.js';
import { demoPhotos, hasDemoPhotos } from '../../../helpers/demo-photos.js';
import { tempDir } from '../../../helpers/tmp.js';
import { facenet, REPO } from '../../../helpers/facenet-cli.js';

const tmp = tempDir('facenet-watch-cli-');
afterAll(() => tmp.cleanup());

describe.runIf(hasDemoPhotos(1))('facenet index --watch', () => {
  it('indexes a photo copied into the folder, then its removal, and stops on Ctrl+C', async () => {
    const photos = join(tmp.dir, 'photos');
    const library = join(tmp.dir, 'library.db');
    mkdirSync(photos);
    const child = spawn(process.execPath, ['bin/facenet.js', 'index', photos, '--watch', '--library', library], {
      cwd: REPO,
      env: { ...process.env, FACENET_CACHE: join(tmp.dir, 'cache') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    /** Waits (bounded) until stdout matches; fails at once, with stderr, if the CLI exits first. */
    const printed = (pattern: RegExp, ms: number): Promise<void> =>
      Promise.race([
        expect
          .poll(() => stdout, { timeout: ms, interval: 100, message: `stdout ${pattern}\n${stderr}` })
          .toMatch(pattern),
        exited.then((code) => {
          throw new Error(`facenet exited (${code}) before printing ${pattern}:\n${stderr}`);
        }),
      ]);

    try {
      await printed(/watching 1 folder\(s\)/, 60_000);
      copyFileSync(demoPhotos()[0]!, join(photos, 'group.jpg'));
      await printed(
        /picked up 1 path\(s\): 1 analysed \([1-9]\d* faces\), 0 moved, 0 removed, 0 failed\n.*group\.jpg/,
        60_000,
      );
      const status = facenet(['status', '--json', '--library', library]);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout) as StatusDto).toMatchObject({ photos: { done: 1 } });

      // Another file stays: a library folder left with nothing in it counts as not reachable (an unmounted
      // drive's empty mount point) and keeps its photos offline (src-main/engine/storage/README.md).
      writeFileSync(join(photos, 'notes.txt'), 'not a photo');
      rmSync(join(photos, 'group.jpg'));
      await printed(/picked up 1 path\(s\): 0 analysed \(0 faces\), 0 moved, 1 removed, 0 failed/, 30_000);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    expect(stdout).toMatch(/stopped watching; library: 0 photos, 0 faces/);
  }, 180_000);
});
