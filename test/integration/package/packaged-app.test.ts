/**
 * The installed app, built for real: `npm run dist`'s steps produce the unpacked Linux app with
 * electron-builder (a stand-in Electron distribution: the binary cannot be downloaded here), then
 * - every module reachable from package.json "main" and from each worker script is inside the package
 *   (module-closure.ts), and nothing the app does not run is (build-time packages, other platforms'
 *   onnxruntime binaries, models the app does not use); resources stay under the size budget;
 * - the Electron fuses were flipped (the stand-in carries Electron's fuse wire);
 * - the packaged engine runs under Node from the unpacked tree, exactly as Electron starts it (a worker
 *   thread on app.asar.unpacked/dist/app/workers/engine-worker.js, models from resources/models/onnx):
 *   it indexes real photos (the demo photos of @vladmandic/face-api, a dev dependency every clone has),
 *   groups the faces, exports the people, and fine-tunes in the packaged tuning worker.
 * Skips, with the reason, only on a non-Linux machine, or without the models or the demo photos.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, PersonSummaryDto, StatusDto, TuningStatusDto } from '../../../src-shared/api.js';
import { PACKAGED_MODELS } from '../../../src-main/engine/vision/packaged-models.js';
import { ensureRendererBuilt, REPO } from '../../helpers/browser.js';
import { heicFrom, toolMissing } from '../../helpers/format-fixtures.js';
import { tempDir } from '../../helpers/tmp.js';
import { moduleClosure, type CodeTree } from './module-closure.js';
import { FUSE_SENTINEL, readFuseWire, writeStandInElectron } from './stand-in-electron.js';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(archive: string): string[];
  extractFile(archive: string, file: string): Buffer;
};

/** Resources of one platform, Electron excluded (README "Package size"). */
const BUDGET_BYTES = 150 * 1024 * 1024;
const DEMO = join(REPO, 'node_modules', '@vladmandic', 'face-api', 'demo');
const DEMO_PHOTOS = existsSync(DEMO) ? readdirSync(DEMO).filter((f) => /^sample\d\.jpg$/.test(f)) : [];

function skipReason(): string | null {
  if (process.platform !== 'linux')
    return `the stand-in Electron distribution is Linux-only (this is ${process.platform})`;
  const absent = PACKAGED_MODELS.filter((m) => !existsSync(join(REPO, 'models', 'onnx', `${m}.onnx`)));
  if (absent.length > 0) return `models/onnx lacks ${absent.join(', ')} (run npm run models)`;
  if (DEMO_PHOTOS.length < 3) return `no face-api demo photos in ${DEMO} (run npm ci)`;
  return null;
}
const skip = skipReason();
if (skip) console.warn(`skipping the packaged-app test: ${skip}`);

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : entry.isFile() ? statSync(path).size : 0;
  }
  return total;
}

/** A minimal client of the engine worker's protocol (src-main/hosts/electron/worker-engine.ts). */
class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  readonly events: ApiEvent[] = [];
  readonly ready: Promise<void>;

  constructor(readonly worker: Worker) {
    this.ready = new Promise((ok, fail) => {
      worker.on('message', (m: Record<string, unknown>) => {
        if ('ready' in m) ok();
        else if ('fatal' in m) fail(new Error(String(m.fatal)));
        else if ('event' in m) this.events.push(m.event as ApiEvent);
        else {
          const p = this.pending.get(m.id as number);
          this.pending.delete(m.id as number);
          if (m.error) p?.fail(new Error(JSON.stringify(m.error)));
          else p?.ok(m.result);
        }
      });
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`engine worker exited with code ${code}`)));
    });
  }

  call<T>(method: string, args: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.worker.postMessage({ id, method, args });
    });
  }

  thumbnail(faceId: number): Promise<string> {
    const id = this.nextId++;
    return new Promise((ok, fail) => {
      this.pending.set(id, { ok: ok as (v: unknown) => void, fail });
      this.worker.postMessage({ id, image: 'thumb', imageId: faceId });
    });
  }
}

/**
 * The start of a script run by plain Node with the packed `knn-threads-*.js` chunk's path: imports it and finds
 * its functions by name (the bundler renames the chunk's exports; functions keep their names).
 */
const PACKED_CHUNK = `
const { pathToFileURL } = await import('node:url');
const packed = await import(pathToFileURL(process.argv[2]).href);
const named = (name) => Object.values(packed).find((f) => typeof f === 'function' && f.name === name);
`;
/**
 * The exact kNN graph of 1,500 random unit vectors on two of the packed kNN worker threads and in this thread
 * alone, row by row (each thread's heaps hold disjoint block pairs, so the k best of their union are the one
 * thread's rows).
 */
const PACKED_KNN_CHECK = `${PACKED_CHUNK}
const withKnnRunner = named('withKnnRunner');
const runKnnTask = named('runKnnTask');
const n = 1500, dim = 128, k = 8;
const vectors = new Float32Array(new SharedArrayBuffer(n * dim * 4));
let seed = 7;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
for (let i = 0; i < n; i++) {
  const row = vectors.subarray(i * dim, (i + 1) * dim);
  for (let j = 0; j < dim; j++) row[j] = random();
  const norm = Math.hypot(...row);
  for (let j = 0; j < dim; j++) row[j] /= norm;
}
const task = () => ({ kind: 'brute', vectors, dim, n, k, block: 128, next: new Int32Array(new SharedArrayBuffer(4)) });
const threaded = withKnnRunner(2, (runner) => ({ threads: runner.threads, replies: runner.run(task()) }));
const alone = runKnnTask(task());
const rowOf = (replies, i) =>
  replies
    .flatMap((r) => Array.from({ length: r.count[i] }, (_, s) => [r.dist[i * k + s], r.idx[i * k + s]]))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, k)
    .join(';');
let rowsDiffering = 0;
for (let i = 0; i < n; i++) if (rowOf(threaded.replies, i) !== rowOf([alone], i)) rowsDiffering++;
process.stdout.write(JSON.stringify({ threads: threaded.threads, replies: threaded.replies.length, rows: n, rowsDiffering }));
`;

/**
 * The same chunk when its worker file cannot be started: the first graph waits out the start timeout and is
 * built in this thread; the second does not wait again.
 */
const PACKED_KNN_WITHOUT_WORKER = `${PACKED_CHUNK}
const withKnnRunner = named('withKnnRunner');
const timed = () => {
  const start = performance.now();
  const threads = withKnnRunner(2, (runner) => runner.threads);
  return { threads, ms: performance.now() - start };
};
const first = timed();
const second = timed();
process.stdout.write(JSON.stringify({ first, second }));
`;

describe.skipIf(skip !== null)(`the packaged app${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const tmp = tempDir('facenet-package-');
  const out = join(tmp.dir, 'out');
  const appDir = join(out, 'linux-unpacked');
  const resources = join(appDir, 'resources');
  const unpacked = join(resources, 'app.asar.unpacked');
  const archive = join(resources, 'app.asar');

  beforeAll(async () => {
    const electronDist = join(tmp.dir, 'electron-dist');
    writeStandInElectron(electronDist, '45.5.0');
    // npm run dist's build steps, then electron-builder for the unpacked Linux app only. The renderer
    // through the shared helper: it builds once under a lock while other test files may be serving it.
    await ensureRendererBuilt();
    run('npm', ['run', '-s', 'build:electron']);
    run('npm', ['run', '-s', 'build:icon']);
    run('npx', [
      'electron-builder',
      '--config',
      'electron-builder.yml',
      '--linux',
      '--dir',
      `-c.electronDist=${electronDist}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${out}`,
    ]);
  }, 300_000);

  afterAll(() => tmp.cleanup());

  it('holds every module reachable from main and from each worker, and nothing the app does not run', () => {
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string };
    const inArchive = new Set(asar.listPackage(archive).map((p) => p.replace(/^[/\\]/, '')));
    const asarTree: CodeTree = {
      root: archive,
      exists: (p) => inArchive.has(p),
      read: (p) => asar.extractFile(archive, p).toString('utf8'),
    };
    const diskTree: CodeTree = {
      root: unpacked,
      exists: (p) => existsSync(join(unpacked, p)),
      read: (p) => readFileSync(join(unpacked, p), 'utf8'),
    };
    const common = {
      packageRoot: unpacked,
      fileExists: existsSync,
      readJson: (p: string) => JSON.parse(readFileSync(p, 'utf8')),
      // Optional dependencies count where this machine installed them (sharp's @img/sharp-<platform>).
      optionalExpected: (name: string) => existsSync(join(REPO, 'node_modules', name)),
    };

    // Electron loads main from app.asar; it must need nothing but Node and Electron.
    expect(pkg.main).toBe('dist/app/main.js');
    const main = moduleClosure({ ...common, code: asarTree, entries: [pkg.main], allowed: ['electron'] });
    expect(main.missing).toEqual([]);
    expect(main.packages).toEqual([]);

    // Workers run from app.asar.unpacked (src-main/hosts/electron/app-paths.ts); the engine starts the tuner.
    const workers = moduleClosure({
      ...common,
      code: diskTree,
      entries: [
        'dist/app/workers/engine-worker.js',
        'dist/app/workers/tune-worker.js',
        'dist/app/workers/heif-worker.js',
        'dist/app/workers/analyzer-worker.js',
        'dist/app/workers/knn-worker.js',
      ],
    });
    expect(workers.missing).toEqual([]);
    // Those are all the worker scripts there are: main starts the engine (WorkerEngine.start), the engine
    // starts the tuner (training/worker.ts) with one file branch and one tsx branch for sources, and the HEIC
    // decoders (vision/formats/heif.ts), the face pipeline's workers (vision/analyzer-pool.ts) and grouping's
    // kNN workers (people/knn-threads.ts) through
    // startModuleWorker (vision/module-worker.ts: the same two branches), each naming its entry beside it. A new
    // `new Worker(` or startModuleWorker call must be added to the entries above, and shipped.
    const code = [...main.files.map((f) => asarTree.read(f)), ...workers.files.map((f) => diskTree.read(f))];
    const count = (re: RegExp): number => code.reduce((n, c) => n + (c.match(re)?.length ?? 0), 0);
    expect(count(/\bnew Worker\(/g)).toBe(5);
    // No packed file points at a source map the package does not ship.
    expect(count(/^\/\/# sourceMappingURL=/gm)).toBe(0);
    const moduleEntries = code.flatMap((c) =>
      [...c.matchAll(/\b(?:const|var|let) ENTRY(?:\$\d+)? = "\.\/([\w-]+)";/g)].map(
        (m) => `dist/app/workers/${m[1]}.js`,
      ),
    );
    expect([...new Set(moduleEntries)].sort()).toEqual([
      'dist/app/workers/analyzer-worker.js',
      'dist/app/workers/heif-worker.js',
      'dist/app/workers/knn-worker.js',
    ]);
    expect(count(/\bstartModuleWorker\(import\.meta\.url, ENTRY(?:\$\d+)?,/g)).toBe(3);
    // libheif-js (LGPL-3.0) is loaded from node_modules, a replaceable library (THIRD-PARTY.md).
    for (const native of ['better-sqlite3', 'onnxruntime-node', 'sharp', 'libheif-js'])
      expect(workers.packages).toContain(join('node_modules', native));

    // Not shipped: any package the code does not reach (bundled libraries, build-time packages), other
    // platforms' onnxruntime, unused models, sources, maps.
    const modules = readdirSync(join(unpacked, 'node_modules'));
    const shipped = modules.flatMap((m) =>
      m.startsWith('@') ? readdirSync(join(unpacked, 'node_modules', m)).map((n) => `${m}/${n}`) : [m],
    );
    const reached = workers.packages.filter((p) => !p.includes(`${sep}node_modules${sep}`));
    expect(shipped.map((m) => join('node_modules', m)).sort()).toEqual(reached.sort());
    for (const devOnly of ['tsx', 'esbuild', 'onnx-proto', 'typescript', 'react', 'vite'])
      expect(modules, devOnly).not.toContain(devOnly);
    expect(existsSync(join(unpacked, 'node_modules', '@vladmandic'))).toBe(false);
    const ortBin = join(unpacked, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
    expect(readdirSync(ortBin)).toEqual(['linux']);
    expect(readdirSync(join(ortBin, 'linux'))).toEqual([process.arch]);
    const models = readdirSync(join(resources, 'models', 'onnx')).map((f) => f.replace(/\.onnx$/, ''));
    expect(models.sort()).toEqual([...PACKAGED_MODELS].sort());
    expect([...inArchive].filter((p) => /\.(ts|map)$/.test(p) && !p.includes('node_modules'))).toEqual([]);
  });

  it(`keeps resources (Electron excluded) within ${BUDGET_BYTES / 1024 / 1024} MB`, () => {
    const bytes = folderBytes(resources);
    console.log(`packaged resources: ${(bytes / 1024 / 1024).toFixed(1)} MiB (${bytes} bytes)`);
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('flips the release fuses: no RunAsNode, no NODE_OPTIONS or --inspect, cookie encryption, asar only', () => {
    const wire = readFuseWire(readFileSync(join(appDir, 'facenet-photos')));
    // @electron/fuses FuseV1Options order: RunAsNode, EnableCookieEncryption, EnableNodeOptionsEnvironmentVariable,
    // EnableNodeCliInspectArguments, EnableEmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar, …,
    // GrantFileProtocolExtraPrivileges (index 7).
    expect(wire.slice(0, 6)).toBe('010011');
    expect(wire[7]).toBe('0');
    expect(FUSE_SENTINEL).toHaveLength(32);
  });

  it('runs the packaged engine under Node: indexes real photos, groups faces, exports, fine-tunes', async () => {
    const photos = join(tmp.dir, 'photos');
    mkdirSync(photos);
    for (const f of DEMO_PHOTOS) copyFileSync(join(DEMO, f), join(photos, f));
    // A phone's HEIC too, where heif-enc can make one: the packaged HEIC decoder (a worker thread of its own,
    // libheif-js from node_modules) must read it.
    const heic = toolMissing('heif-enc') === null;
    if (heic) await heicFrom(join(DEMO, DEMO_PHOTOS[0]!), join(photos, 'phone.heic'));
    else console.warn(`packaged app: HEIC not tried: ${toolMissing('heif-enc')}`);
    const worker = new Worker(join(unpacked, 'dist', 'app', 'workers', 'engine-worker.js'), {
      workerData: { dbPath: join(tmp.dir, 'library', 'library.sqlite'), modelsDir: '' },
      // As main.ts does for the packaged app: the models are extra resources, not in the code tree.
      env: { ...process.env, FACENET_MODELS_DIR: join(resources, 'models', 'onnx') },
    });
    const engine = new EngineClient(worker);
    try {
      await engine.ready;
      await engine.call('addFolder', { path: photos });
      await engine.call('startIndexing');
      await expect
        .poll(() => engine.events.some((e) => e.type === 'indexing-finished'), { timeout: 120_000 })
        .toBe(true);
      const status = await engine.call<StatusDto>('status');
      expect(status.photos).toMatchObject({ done: DEMO_PHOTOS.length + (heic ? 1 : 0), error: 0 });
      if (heic) expect(status.formats).toContainEqual({ format: 'HEIC', photos: 1 });
      expect(status.faces).toBeGreaterThanOrEqual(DEMO_PHOTOS.length);
      // Settings offers only what is packed (src-main/engine/vision/registry.ts installedChoices).
      expect(status.choices).toEqual({ detectors: ['blazeface-full'], embedders: ['dlib'] });
      expect(status.providers.map((p) => p.model).sort()).toEqual(
        ['faceapi-landmark68.onnx', 'faceapi-recognition.onnx', 'human-blazeface-full.onnx'].sort(),
      );

      // Grouping: the engine clustered the faces; then every face is labelled as one of two people (what
      // the user does in the UI), which is also what fine-tuning learns from.
      expect(status.people).toBeGreaterThan(0);
      const unsorted = await engine.call<Array<{ id: number }>>('unsortedFaces', { limit: 1000 });
      const people = await engine.call<PersonSummaryDto[]>('listPeople', {});
      const personFaces = await Promise.all(
        people.map((p) => engine.call<{ faces: Array<{ id: number }> }>('getPerson', { personId: p.id })),
      );
      const faceIds = [...unsorted.map((f) => f.id), ...personFaces.flatMap((p) => p.faces.map((f) => f.id))];
      expect(new Set(faceIds).size).toBe(status.faces);
      expect(existsSync(await engine.thumbnail(faceIds[0]!))).toBe(true);
      const half = Math.ceil(faceIds.length / 2);
      const groups = { Anna: faceIds.slice(0, half), Ben: faceIds.slice(half) };
      for (const [name, ids] of Object.entries(groups)) {
        const moved = await engine.call<{ personId: number }>('moveFaces', {
          faceIds: ids,
          to: { newPerson: true, name },
        });
        await engine.call('confirmFaces', { faceIds: ids, personId: moved.personId });
      }
      const grouped = await engine.call<PersonSummaryDto[]>('listPeople', {});
      expect(grouped.find((p) => p.name === 'Anna')?.confirmedCount).toBe(groups.Anna.length);
      expect(grouped.find((p) => p.name === 'Ben')?.confirmedCount).toBe(groups.Ben.length);

      const exportDir = join(tmp.dir, 'export');
      const exported = await engine.call<{ people: number; written: number }>('exportPeople', {
        format: 'json',
        out: exportDir,
      });
      expect(exported.people).toBeGreaterThan(0);
      expect(readdirSync(exportDir).length).toBeGreaterThan(0);

      // Fine-tuning runs in the packaged tuning worker (tune-worker.js next to the engine's chunks).
      const start = await engine.call<TuningStatusDto>('tuneStart', {});
      expect(start.labels.ready, start.labels.reason ?? '').toBe(true);
      await expect
        .poll(async () => (await engine.call<TuningStatusDto>('tuneStatus')).running, { timeout: 120_000 })
        .toBe(false);
      const tuned = await engine.call<TuningStatusDto>('tuneStatus');
      expect(tuned.error).toBeNull();
      expect(tuned.report).not.toBeNull();
    } finally {
      await worker.terminate();
    }
  }, 300_000);

  const packedWorkers = () => join(unpacked, 'dist', 'app', 'workers');
  /** Runs `source` (PACKED_CHUNK and more) under plain Node on the packed kNN runner's chunk. */
  const runOnPackedKnnChunk = (name: string, source: string) => {
    const chunk = readdirSync(packedWorkers()).find((f) => /^knn-threads-.+\.js$/.test(f));
    expect(chunk, 'the bundle keeps the kNN runner in a chunk of its own beside knn-worker.js').toBeDefined();
    // A file, not `--input-type=module -e`: workers inherit the process's flags, and that one fails their start.
    const script = join(tmp.dir, name);
    writeFileSync(script, source);
    const r = spawnSync(process.execPath, [script, join(packedWorkers(), chunk!)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r;
  };

  it("runs grouping's kNN on the packaged worker threads, with the result of one thread", () => {
    // Libraries of 5,000 faces or more build the kNN graph on worker threads (people/knn-threads.ts); a
    // worker that cannot start falls back to one thread, so the packed module itself is asked, under plain
    // Node, how many threads ran, and their work is compared with one thread's.
    const r = runOnPackedKnnChunk('packed-knn-check.mjs', PACKED_KNN_CHECK);
    expect(JSON.parse(r.stdout)).toEqual({ threads: 2, replies: 2, rows: 1500, rowsDiffering: 0 });
  });

  it('groups in one thread when the packed kNN worker cannot start, and waits for it only once', () => {
    const entry = join(packedWorkers(), 'knn-worker.js');
    renameSync(entry, `${entry}.away`);
    try {
      const r = runOnPackedKnnChunk('packed-knn-without-worker.mjs', PACKED_KNN_WITHOUT_WORKER);
      const { first, second } = JSON.parse(r.stdout) as Record<'first' | 'second', { threads: number; ms: number }>;
      // Said once, on stderr (the app's log), not at every graph.
      expect(r.stderr.match(/FaceNetWarning: kNN workers did not start within 5 s; grouping builds/g)).toHaveLength(1);
      expect(first.threads).toBe(1);
      expect(second.threads).toBe(1);
      // The bundle's timeout (5 s), not the sources' (60 s); and no second wait.
      expect(first.ms).toBeGreaterThanOrEqual(4_900);
      expect(first.ms).toBeLessThan(20_000);
      expect(second.ms).toBeLessThan(1_000);
    } finally {
      renameSync(`${entry}.away`, entry);
    }
  }, 60_000);

  it('is what the test inspected (sanity: the unpacked tree is where the test looked)', () => {
    expect(relative(out, appDir)).toBe('linux-unpacked');
    expect(existsSync(archive)).toBe(true);
  });
});
