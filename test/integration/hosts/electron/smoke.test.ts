/**
 * Electron smoke test: launches the real desktop app (built main + preload + renderer) with FACENET_SMOKE=1
 * and waits for it to report that the window loaded the renderer with the bridge and without Node.
 * Runs only when the Electron binary is present; otherwise it is reported as skipped with the reason
 * (the binary cannot be downloaded on CI machines here). Never triggers a download itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../../helpers/browser.js';
import { tempDir } from '../../../helpers/tmp.js';

/** The Electron executable, or why there is none (without requiring 'electron', which would download it). */
function electronBinary(): { path: string } | { reason: string } {
  const pkg = join(REPO, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile) && !override)
    return { reason: `no Electron binary (${pathFile} is missing: the download was skipped)` };
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const path = override ? join(override, rel) : join(pkg, 'dist', rel);
  return existsSync(path) ? { path } : { reason: `no Electron binary at ${path}` };
}

const binary = electronBinary();
const skipReason = 'reason' in binary ? binary.reason : null;
if (skipReason) console.warn(`skipping Electron smoke test: ${skipReason}`);

describe('Electron desktop app', () => {
  it.skipIf(skipReason !== null)(
    `starts, loads the renderer with the typed bridge and no Node in the page${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    { timeout: 300_000 },
    async () => {
      const build = spawnSync('npm', ['run', '-s', 'build:ui'], { cwd: REPO, stdio: 'inherit' });
      expect(build.status).toBe(0);
      const electronBuild = spawnSync('npm', ['run', '-s', 'build:electron'], { cwd: REPO, stdio: 'inherit' });
      expect(electronBuild.status).toBe(0);
      const tmp = tempDir('facenet-electron-');
      try {
        const out = await new Promise<string>((ok, fail) => {
          const child = spawn((binary as { path: string }).path, ['.', '--no-sandbox'], {
            cwd: REPO,
            env: { ...process.env, FACENET_SMOKE: '1', FACENET_LIBRARY: join(tmp.dir, 'library.sqlite') },
          });
          let text = '';
          child.stdout.on('data', (d: Buffer) => (text += d.toString()));
          child.stderr.on('data', (d: Buffer) => (text += d.toString()));
          const timer = setTimeout(() => {
            child.kill();
            fail(new Error(`timed out:\n${text}`));
          }, 120_000);
          child.on('exit', () => {
            clearTimeout(timer);
            ok(text);
          });
        });
        // document.title | window.facenet present | typeof require in the page
        expect(out).toMatch(/FACENET_SMOKE_OK FaceNet Photos\|true\|undefined/);
      } finally {
        tmp.cleanup();
      }
    },
  );
});
