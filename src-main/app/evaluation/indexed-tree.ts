/**
 * A folder-per-identity tree (`<root>/<identity>/<photo>`) indexed into a temporary library by the real
 * pipeline, exactly as `facenet index` does (EngineApi.startIndexing), with every photo's primary face labelled
 * with its folder. With a cache folder the indexed library is kept per root + pipeline settings and copied for
 * the next run, which then only indexes what changed (the indexer's own incremental run). The evaluations that
 * act as a user on such a tree start here (label-simulation.ts, and the benchmarks of merge suggestions and of
 * a scripted user).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { FaceNetApi, IndexProgressDto, SettingsDto } from '../../../src-shared/api.js';
import { EngineApi, type EngineApiOptions } from '../engine-api.js';
import { indexToCompletion } from '../index-to-completion.js';
import { DEFAULT_CACHE_DIR } from './embedding-cache.js';
import { primaryFaceIndex } from './primary-face.js';

/** One labelled face: the primary face of a photo of `identity`. */
export interface LabelledFace {
  faceId: number;
  identity: string;
  /** Photo path relative to the root (deterministic order, unlike face ids, which follow indexing order). */
  photo: string;
}

export interface IndexedTreeOptions {
  root: string;
  /** Where indexed libraries are kept per root + pipeline (default DEFAULT_CACHE_DIR/libraries); null: none. */
  cacheDir?: string | null;
  /** Detector / embedder ids for the library settings (default: the app's). */
  detector?: string;
  embedder?: string;
  /** Where the temporary library's folder is made (default os.tmpdir()); it is deleted by close(). */
  tempDir?: string;
  /** Engine options (tests: a pipeline factory, concurrency). */
  engine?: EngineApiOptions;
  onIndexProgress?: (progress: IndexProgressDto) => void;
}

export interface IndexedTree {
  engine: EngineApi;
  /** The validated API (every call through engine.call, as the CLI and the server make them). */
  api: FaceNetApi;
  /** The root, resolved through links. */
  root: string;
  /** The primary face of every indexed photo inside an identity folder. */
  labelled: LabelledFace[];
  /** Every face of those photos (primary and others). */
  allFaceIds: number[];
  /** Photos indexed, non-primary faces, photos without any face, photos that failed. */
  photos: number;
  strangerFaces: number;
  noFace: number;
  failed: number;
  indexSeconds: number;
  /** 'hit': the indexed library came from the cache (only changes indexed); 'miss': indexed and stored; 'off'. */
  indexCache: 'hit' | 'miss' | 'off';
  /** Closes the engine and deletes the temporary library. */
  close(): Promise<void>;
}

/** Cache file of the indexed library of `root` with these pipeline settings. */
export function libraryCacheFile(cacheDir: string, root: string, settings: { detector?: string; embedder?: string }) {
  const key = `library-v1|${resolve(root)}|detector=${settings.detector ?? ''}|embedder=${settings.embedder ?? ''}`;
  return join(cacheDir, `library-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.sqlite`);
}

/** The API as a typed object whose every call goes through engine.call (validation, ApiError), as the CLI does. */
export function validatedApi(engine: EngineApi): FaceNetApi {
  return new Proxy({} as FaceNetApi, {
    get: (_, method) => (args: unknown) => engine.call(method as never, args),
  });
}

/** Indexes the tree (or takes it from the cache), labels the primary faces; the caller closes it. */
export async function openIndexedTree(options: IndexedTreeOptions): Promise<IndexedTree> {
  const started = performance.now();
  const root = realpathSync(resolve(options.root));
  const work = mkdtempSync(join(options.tempDir ?? tmpdir(), 'facenet-label-sim-'));
  const dbPath = join(work, 'library.sqlite');
  const cacheDir = options.cacheDir === undefined ? join(DEFAULT_CACHE_DIR, 'libraries') : options.cacheDir;
  const cached = cacheDir === null ? null : libraryCacheFile(cacheDir, root, options);
  let indexCache: IndexedTree['indexCache'] = cached === null ? 'off' : 'miss';
  const open = () => EngineApi.open(dbPath, { ...options.engine, cacheDir: join(work, 'thumbnails') });
  let engine: EngineApi | undefined;
  const close = async () => {
    await engine?.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    if (cached && existsSync(cached)) {
      copyFileSync(cached, dbPath);
      indexCache = 'hit';
    }
    engine = open();
    let api = validatedApi(engine);
    if ((await api.listFolders()).length === 0) await api.addFolder({ path: root });
    const patch: Partial<SettingsDto> = {
      ...(options.detector ? { detector: options.detector } : {}),
      ...(options.embedder ? { embedder: options.embedder } : {}),
    };
    if (Object.keys(patch).length > 0) await api.updateSettings(patch);
    await indexToCompletion(engine, api, options.onIndexProgress);
    if (cached) {
      // Closing checkpoints the WAL into the one file; store it atomically, then reopen.
      await engine.close();
      engine = undefined;
      mkdirSync(cacheDir as string, { recursive: true });
      const part = `${cached}.${process.pid}.part`;
      copyFileSync(dbPath, part);
      renameSync(part, cached);
      engine = open();
      api = validatedApi(engine);
    }
    const indexSeconds = (performance.now() - started) / 1000;

    // The labelled faces: the primary face of every indexed photo under root, labelled with its top folder.
    const labelled: LabelledFace[] = [];
    const allFaceIds: number[] = [];
    let strangerFaces = 0;
    let noFace = 0;
    const photos = engine.library.photos({ status: 'done' });
    for (const photo of photos) {
      const rel = relative(root, photo.path);
      const identity = rel.split(sep)[0];
      // Only photos inside an identity folder count (hidden folders skipped, as listIdentityTree does).
      if (!identity || identity.startsWith('.') || rel.startsWith('..') || !rel.includes(sep)) continue;
      const dto = await api.getPhoto({ photoId: photo.id });
      allFaceIds.push(...dto.faces.map((f) => f.id));
      const index = primaryFaceIndex(
        dto.faces.map((f) => f.box),
        dto.width,
        dto.height,
      );
      if (index < 0) {
        noFace++;
        continue;
      }
      strangerFaces += dto.faces.length - 1;
      labelled.push({ faceId: dto.faces[index]!.id, identity, photo: rel });
    }
    const failed = engine.library.photos({ status: 'error' }).length;
    return {
      engine,
      api,
      root,
      labelled,
      allFaceIds,
      photos: photos.length,
      strangerFaces,
      noFace,
      failed,
      indexSeconds,
      indexCache,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
