/**
 * `facenet serve --port N` keeps the same address between runs: the real CLI is started twice on one library
 * and prints the same URL (port and token), which opens the app; the token is stored next to the library
 * with mode 0600; a taken port is a clear error; `--new-token` changes the address; a token file others could
 * read is never reused; without --port every run has a new token, as before.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../helpers/tmp.js';
import { REPO, facenetAsync } from '../../../helpers/facenet-cli.js';

const tmp = tempDir('serve-port-');
const library = join(tmp.dir, 'lib.db');
const ui = join(tmp.dir, 'ui');
mkdirSync(ui);
writeFileSync(join(ui, 'index.html'), '<!doctype html><title>FaceNet Photos</title>');
const running = new Set<ChildProcessWithoutNullStreams>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  tmp.cleanup();
});

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

interface Serving {
  url: string;
  stdout: string;
  stop(): Promise<number | null>;
}

/** Starts `facenet serve` and waits for the URL it prints. */
function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, ['bin/facenet.js', 'serve', '--library', library, '--ui', ui, ...args], {
    cwd: REPO,
    env: { ...process.env, FACENET_CACHE: join(tmp.dir, 'cache') },
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((ok) => child.on('close', (code) => (running.delete(child), ok(code))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 60 s:\n${stdout}\n${stderr}`)), 60_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const url = /^Open (\S+)$/m.exec(stdout)?.[1];
      if (url && stdout.includes('Ctrl+C')) {
        clearTimeout(timer);
        resolve({
          url,
          stdout,
          stop: () => (child.kill('SIGTERM'), exited),
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before printing a URL:\n${stdout}\n${stderr}`));
    });
  });
}

describe('facenet serve --port', () => {
  it('prints the same address on the next run, and that address opens the app', async () => {
    const port = await freePort();
    const first = await serve(['--port', String(port)]);
    expect(first.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]{43}$`));
    expect(first.stdout).toContain(`stays the same for the next runs with --port ${port}`);
    expect((await fetch(first.url)).status).toBe(200);

    // While it runs, a second server on that port is refused in plain words, and the first keeps serving.
    const taken = await facenetAsync([
      'serve',
      '--library',
      join(tmp.dir, 'other.db'),
      '--ui',
      ui,
      '--port',
      String(port),
    ]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(`port ${port} is already in use`);
    expect((await fetch(first.url)).status).toBe(200);
    expect(await first.stop()).toBe(0);

    const token = new URL(first.url).searchParams.get('token')!;
    const file = `${library}.serve-token`;
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await serve(['--port', String(port)]);
    try {
      expect(second.url).toBe(first.url);
      expect((await fetch(second.url)).status).toBe(200);
      // The token check is as strict as ever: no token, or a wrong one, does not open the app.
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/?token=${'A'.repeat(43)}`)).status).toBe(401);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 120_000);

  it('--new-token changes the address; a token file others could read is replaced, not used', async () => {
    const port = await freePort();
    const before = readFileSync(`${library}.serve-token`, 'utf8').trim();
    const renewed = await serve(['--port', String(port), '--new-token']);
    await renewed.stop();
    const token = new URL(renewed.url).searchParams.get('token')!;
    expect(token).not.toBe(before);
    expect(renewed.stdout).toContain('a new access token');

    if (process.platform === 'win32') return;
    chmodSync(`${library}.serve-token`, 0o644);
    const lax = await serve(['--port', String(port)]);
    await lax.stop();
    expect(new URL(lax.url).searchParams.get('token')).not.toBe(token);
    expect(lax.stdout).toContain('could be read by others');
    expect(statSync(`${library}.serve-token`).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('without --port, every run has a new token, as before; bad ports are usage errors', async () => {
    const a = await serve([]);
    await a.stop();
    const b = await serve([]);
    await b.stop();
    expect(new URL(a.url).searchParams.get('token')).not.toBe(new URL(b.url).searchParams.get('token'));
    for (const bad of ['1.5', '70000']) {
      const r = await facenetAsync(['serve', '--library', library, '--ui', ui, '--port', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(/--port must be a (whole )?number in 0\.\.65535/);
    }
    const r = await facenetAsync(['serve', '--library', library, '--ui', ui, '--new-token']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--new-token goes with --port');
  }, 120_000);
});
