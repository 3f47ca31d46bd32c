/**
 * Opening a library for one CLI command: the database (`--library`, default the platform's user-data
 * folder) and the engine over it. Commands speak FaceNetApi (src-shared/api.ts) through EngineApi.call, the
 * same validated contract the app and the server use, so the CLI exercises exactly the app's code paths.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FaceNetApi } from '../../../../src-shared/api.js';
import { apiProxy } from '../../../../src-shared/api-proxy.js';
import { EngineApi } from '../../../app/engine-api.js';
import { plainProblem } from '../../../app/plain-errors.js';
import { UsageError } from '../args.js';
import { defaultCacheDir, defaultLibraryPath } from '../library-path.js';

export const LIBRARY_OPTION = { library: { type: 'string' } } as const;

export interface LibrarySession {
  path: string;
  engine: EngineApi;
  /** FaceNetApi whose every call goes through engine.call (validation, ApiError mapping). */
  api: FaceNetApi;
  close(): Promise<void>;
}

export function libraryPath(option: string | undefined): string {
  return resolve(option ?? defaultLibraryPath());
}

/**
 * Opens the library at `option` (or the default). `create`: make the database (and its folder) if missing;
 * otherwise a missing library is a usage error, so that a typo in --library does not create an empty one.
 */
export function openLibrary(option: string | undefined, create = false): LibrarySession {
  const path = libraryPath(option);
  if (!existsSync(path)) {
    if (!create)
      throw new UsageError(`no library at ${path} (create one with facenet index <folder>, or pass --library)`);
    mkdirSync(dirname(path), { recursive: true });
  }
  let engine: EngineApi;
  try {
    engine = EngineApi.open(path, { cacheDir: defaultCacheDir() });
  } catch (error) {
    throw new UsageError(`cannot open library ${path}: ${plainProblem(error)?.message ?? (error as Error).message}`);
  }
  return { path, engine, api: validatedApi(engine), close: () => engine.close() };
}

/** The API as a typed object whose methods are `engine.call(method, args)` (undefined args are {} there too). */
function validatedApi(engine: EngineApi): FaceNetApi {
  return apiProxy((method, args) => engine.call(method, args));
}
