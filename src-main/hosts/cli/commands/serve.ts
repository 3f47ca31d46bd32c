import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineApi } from '../../../app/engine-api.js';
import { startServer } from '../../server/server.js';
import { numberOption, parse, UsageError } from '../args.js';
import { defaultCacheDir } from '../library-path.js';
import { libraryPath, LIBRARY_OPTION } from '../library/session.js';
import { loadOrCreateServeToken } from '../serve-token.js';

const USAGE = 'facenet serve [--library <path>] [--port n [--new-token]] [--ui <dir>]';

/** Where `npm run build:ui` puts the renderer, from this file (src-main/hosts/cli/commands or dist/…/commands). */
export function defaultRendererDir(): string {
  for (const up of ['../../../..', '../../../../..']) {
    const dir = fileURLToPath(new URL(`${up}/dist/renderer`, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return fileURLToPath(new URL('../../../../dist/renderer', import.meta.url));
}

/**
 * `facenet serve`: the app in a browser. Binds 127.0.0.1 only and prints a URL with a secret token; only that
 * URL opens the app. Without `--port` the port and the token are new each run; with `--port N` the address
 * stays the same between runs: that port (or a clear error when it is taken) and the library's stored token
 * (serve-token.ts; `--new-token` replaces it). Watches the library folders (new, changed, moved and deleted
 * photos are indexed as they happen) until Ctrl+C stops it.
 */
export async function serveCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { ...LIBRARY_OPTION, port: { type: 'string' }, 'new-token': { type: 'boolean' }, ui: { type: 'string' } },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const port = numberOption(values.port, 'port', 0, 65535) ?? 0;
  if (!Number.isInteger(port))
    throw new UsageError(`--port must be a whole number in 0..65535 (0: any free port)\nusage: ${USAGE}`);
  if (values['new-token'] && port === 0) {
    throw new UsageError(`--new-token goes with --port (without it every run has a new token)\nusage: ${USAGE}`);
  }
  const staticDir = values.ui ?? defaultRendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new UsageError(`no renderer build in ${staticDir}: run npm run build:ui first (or pass --ui <dir>)`);
  }
  const path = libraryPath(values.library);
  mkdirSync(dirname(path), { recursive: true });
  // The server runs until Ctrl+C, like the app: it watches the library folders meanwhile.
  // A fixed port asks for an address that lasts: the token must last too (stored with the library, 0600).
  const stored = port !== 0 ? loadOrCreateServeToken(path, values['new-token'] === true) : undefined;
  const engine = EngineApi.open(path, { cacheDir: defaultCacheDir(), watch: true });
  let server;
  try {
    server = await startServer({ engine, port, staticDir, ...(stored ? { token: stored.token } : {}) });
  } catch (e) {
    await engine.close();
    throw listenProblem(e, port) ?? e;
  }
  console.log(`FaceNet Photos: library ${path}`);
  if (stored?.renewed) console.log(`(a new access token: ${stored.renewed}; the old address no longer opens the app)`);
  console.log(`Open ${server.url}`);
  console.log(
    stored
      ? `(only this URL, with its token, opens the app; it stays the same for the next runs with --port ${port}; Ctrl+C stops the server)`
      : '(only this URL, with its token, opens the app; Ctrl+C stops the server)',
  );
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  await engine.close();
}

/** A port we cannot listen on, in plain words (the server never starts; nothing else to report). */
function listenProblem(e: unknown, port: number): UsageError | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new UsageError(
      `port ${port} is already in use (another facenet serve, or another program): stop it, or choose another port with --port`,
    );
  }
  if (code === 'EACCES') return new UsageError(`port ${port} needs administrator rights here: choose one above 1023`);
  return undefined;
}
