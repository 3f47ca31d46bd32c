import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineApi } from '../../../app/engine-api.js';
import { startServer } from '../../server/server.js';
import { numberOption, parse, UsageError } from '../args.js';
import { defaultCacheDir } from '../library-path.js';
import { libraryPath, LIBRARY_OPTION } from '../library/session.js';

const USAGE = 'facenet serve [--library <path>] [--port n] [--ui <dir>]';

/** Where `npm run build:ui` puts the renderer, from this file (src-main/hosts/cli/commands or dist/…/commands). */
export function defaultRendererDir(): string {
  for (const up of ['../../../..', '../../../../..']) {
    const dir = fileURLToPath(new URL(`${up}/dist/renderer`, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return fileURLToPath(new URL('../../../../dist/renderer', import.meta.url));
}

/**
 * `facenet serve`: the app in a browser. Binds 127.0.0.1 only and prints a URL with a per-run secret token;
 * only that URL opens the app. Watches the library folders (new, changed, moved and deleted photos are
 * indexed as they happen) until Ctrl+C stops it.
 */
export async function serveCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { ...LIBRARY_OPTION, port: { type: 'string' }, ui: { type: 'string' } },
    USAGE,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const port = numberOption(values.port, 'port', 0, 65535) ?? 0;
  const staticDir = values.ui ?? defaultRendererDir();
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new UsageError(`no renderer build in ${staticDir}: run npm run build:ui first (or pass --ui <dir>)`);
  }
  const path = libraryPath(values.library);
  mkdirSync(dirname(path), { recursive: true });
  // The server runs until Ctrl+C, like the app: it watches the library folders meanwhile.
  const engine = EngineApi.open(path, { cacheDir: defaultCacheDir(), watch: true });
  const server = await startServer({ engine, port, staticDir });
  console.log(`FaceNet Photos: library ${path}`);
  console.log(`Open ${server.url}`);
  console.log('(only this URL, with its token, opens the app; Ctrl+C stops the server)');
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
