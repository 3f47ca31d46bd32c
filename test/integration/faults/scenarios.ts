/**
 * The fault matrix (issue 12): each scenario damages a copy of the base library the way the world does (a
 * kill at a random point of a long operation, a folder that vanishes or turns unreadable, a full disk, a lock
 * held by another process, hostile files), lets the user carry on as they would (run the command again, bring
 * the folder back), and checks what was kept against the state read straight from the SQLite file.
 *
 * A row passes when: the database is intact at every point, nothing is stored twice, the user's work (names,
 * confirmed faces, "not this person") is exactly as before at every point, and once the fault is gone the
 * library is exactly what an undisturbed run makes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { Rng } from '../../../src-shared/random.js';
import { REPO } from '../../helpers/facenet-cli.js';
import { demoPhotos } from '../../helpers/demo-photos.js';
import { mwgSidecar } from '../../helpers/mwg-sidecar.js';
import {
  confirmedCount,
  copyLibrary,
  readState,
  userWork,
  type FaultLibrary,
  type LibraryState,
} from './fault-library.js';
import {
  facenet,
  facenetKilled,
  firstLine,
  hasCommand,
  hasStackTrace,
  type Run,
  type RunOptions,
} from './processes.js';

export interface FaultRow {
  fault: string;
  tried: string;
  kept: string;
  /** null: could not be tried on this machine (the reason is in `tried`). */
  ok: boolean | null;
  problems: string[];
}

export interface FaultOptions {
  /** Kills per long operation. */
  trials: number;
  seed: number;
}

export interface FaultContext {
  base: FaultLibrary;
  /** Folder for this run's copies; paths in states are relative to it. */
  dir: string;
}

export interface Scenario {
  id: string;
  run(ctx: FaultContext, o: FaultOptions): Promise<FaultRow>;
}

/** Problems with a state that must never occur, whatever the fault: a damaged file, duplicates, lost work. */
function invariantProblems(when: string, s: LibraryState, base: LibraryState): string[] {
  const p: string[] = [];
  if (s.integrity !== 'ok') p.push(`${when}: integrity_check says ${s.integrity}`);
  if (s.duplicates > 0) p.push(`${when}: ${s.duplicates} photos or faces stored twice`);
  if (!isDeepStrictEqual(userWork(s), userWork(base))) p.push(`${when}: the user's names or decisions changed`);
  if (s.faceVersions.length > 1) p.push(`${when}: faces in a mix of embedding versions ${s.faceVersions.join(', ')}`);
  return p;
}

/** Differences between a state and the state an undisturbed run gives. */
function sameAs(when: string, s: LibraryState, expected: LibraryState, parts: (keyof LibraryState)[]): string[] {
  return parts.filter((k) => !isDeepStrictEqual(s[k], expected[k])).map((k) => `${when}: ${k} differ from reference`);
}

function workWords(s: LibraryState): string {
  const names = Object.keys(s.named).length;
  return `${names} names with their ${confirmedCount(s)} confirmed faces, ${s.rejected.length} "not this person"`;
}

function keptWords(s: LibraryState, expected: LibraryState): string {
  return (
    `${s.photos.length}/${expected.photos.length} photos, ${s.faces.length}/${expected.faces.length} faces, ` +
    `${workWords(s)}; ${s.duplicates} duplicates`
  );
}

const problemsOf = (r: Run, what: string): string[] =>
  r.code === 0 ? [] : [`${what} exited ${r.code}: ${firstLine(r.stderr) || firstLine(r.stdout)}`];

/** Trial file names under the run's folder. */
let counter = 0;
const trialPath = (ctx: FaultContext, name: string): string => join(ctx.dir, `${name}-${++counter}`);

/**
 * Kill `args` (run on a fresh copy of `start`) at `trials` random points in [0, undisturbed time], check the
 * state right after each kill, run `resume` to the end, and compare with the undisturbed result.
 */
async function killMatrix(
  ctx: FaultContext,
  o: FaultOptions,
  spec: {
    fault: string;
    start: string;
    /** The command, given the library copy (returns the argv without the program). */
    command: (lib: string) => string[];
    resume?: (lib: string) => string[];
    /** What must equal the undisturbed run at the end. */
    compare: (keyof LibraryState)[];
    /** Extra checks right after a kill. */
    midCheck?: (s: LibraryState, lib: string) => string[];
    /** Extra checks at the end (e.g. on files the command wrote). */
    endCheck?: (lib: string, reference: string) => string[];
    /** What the end state is, in words (default: the undisturbed run's). */
    endWords?: string;
  },
): Promise<FaultRow & { reference: string; referenceState: LibraryState }> {
  const startState = readState(spec.start, ctx.dir);
  const reference = copyLibrary(spec.start, trialPath(ctx, 'reference.db'));
  const undisturbed = facenet(spec.command(reference));
  const referenceState = readState(reference, ctx.dir);
  const problems = [...problemsOf(undisturbed, 'the undisturbed run')];
  const rng = new Rng(o.seed);
  let midway = 0;
  for (let t = 0; t < o.trials; t++) {
    const lib = copyLibrary(spec.start, trialPath(ctx, 'killed.db'));
    const at = Math.round(rng.next() * undisturbed.ms);
    const killed = await facenetKilled(spec.command(lib), at);
    if (killed.killed) midway++;
    const mid = readState(lib, ctx.dir);
    problems.push(...invariantProblems(`after a kill at ${at} ms`, mid, startState));
    problems.push(...(spec.midCheck?.(mid, lib) ?? []));
    const resumed = facenet((spec.resume ?? spec.command)(lib));
    problems.push(...problemsOf(resumed, `the run after a kill at ${at} ms`));
    const end = readState(lib, ctx.dir);
    problems.push(...invariantProblems(`resumed after a kill at ${at} ms`, end, startState));
    problems.push(...sameAs(`resumed after a kill at ${at} ms`, end, referenceState, spec.compare));
    problems.push(...(spec.endCheck?.(lib, reference) ?? []));
  }
  const last = readState(copyLibrary(reference, trialPath(ctx, 'check.db')), ctx.dir);
  return {
    fault: spec.fault,
    tried:
      `${o.trials} SIGKILL at random points of a ${(undisturbed.ms / 1000).toFixed(1)} s run ` +
      `(${midway} while it ran), then the same command again`,
    kept: `${keptWords(last, referenceState)}; ${spec.endWords ?? "every end state = the undisturbed run's"}`,
    ok: problems.length === 0,
    problems,
    reference,
    referenceState,
  };
}

/** The base library with the later photos indexed, undisturbed: what indexing them must end in. */
const laterReferences = new WeakMap<FaultContext, LibraryState>();
function laterIndexed(ctx: FaultContext): LibraryState {
  let state = laterReferences.get(ctx);
  if (!state) {
    const lib = copyLibrary(ctx.base.library, trialPath(ctx, 'later-reference.db'));
    const r = facenet(['index', ctx.base.later, '--library', lib]);
    if (r.code !== 0) throw new Error(`indexing the later photos failed: ${r.stderr}`);
    state = readState(lib, ctx.dir);
    laterReferences.set(ctx, state);
  }
  return state;
}

const killIndex: Scenario = {
  id: 'kill-index',
  run: async (ctx, o) => {
    const row = await killMatrix(ctx, o, {
      fault: 'kill -9 while indexing new photos',
      start: ctx.base.library,
      command: (lib) => ['index', ctx.base.later, '--library', lib],
      compare: ['photos', 'faces', 'named', 'rejected', 'groups'],
    });
    // Its undisturbed run is the full-disk row's reference too: no need to index the same photos again.
    laterReferences.set(ctx, row.referenceState);
    return row;
  },
};

const killRecluster: Scenario = {
  id: 'kill-recluster',
  run: async (ctx, o) =>
    killMatrix(ctx, o, {
      fault: 'kill -9 while re-grouping (recluster --threshold 0.2)',
      start: ctx.base.library,
      command: (lib) => ['recluster', '--threshold', '0.2', '--library', lib],
      compare: ['photos', 'faces', 'named', 'rejected', 'groups'],
    }),
};

/** The tuned library (a trained, applied embedding version) that model switches start from. */
let tunedLibrary: string | undefined;

const singleVersion = (s: LibraryState): string[] =>
  s.faceVersions.length === 1 && s.faceVersions[0] === s.activeVersion
    ? []
    : [`faces in versions ${s.faceVersions.join(', ')} while version ${s.activeVersion} is active`];

const killTune: Scenario = {
  id: 'kill-tune',
  run: async (ctx, o) => {
    const row = await killMatrix(ctx, o, {
      fault: 'kill -9 while learning from labels (tune --apply)',
      start: ctx.base.library,
      command: (lib) => ['tune', '--apply', '--seed', '1', '--library', lib],
      // A kill after the new version was stored (or applied) makes the next run train another one on top:
      // the end state is "a tuned version, applied to every face", not the reference's version number.
      compare: ['photos', 'faces', 'named', 'rejected'],
      midCheck: singleVersion,
      endWords: 'every end state: a tuned version, applied to every face',
      endCheck: (lib) => {
        const end = readState(lib, ctx.dir);
        return end.activeVersion > 0 ? singleVersion(end) : ['the run after the kill left no tuned version active'];
      },
    });
    tunedLibrary = row.reference;
    return row;
  },
};

const killModelSwitch: Scenario = {
  id: 'kill-models-use',
  run: async (ctx, o) => {
    if (!tunedLibrary) {
      return {
        fault: 'kill -9 while switching back to version 0',
        tried: 'needs kill-tune first',
        kept: '',
        ok: null,
        problems: [],
      };
    }
    return killMatrix(ctx, o, {
      fault: 'kill -9 while switching embedding versions (models use 0)',
      start: tunedLibrary,
      command: (lib) => ['models', 'use', '0', '--library', lib],
      compare: ['photos', 'faces', 'named', 'rejected', 'faceVersions', 'activeVersion', 'groups'],
      midCheck: singleVersion,
    });
  },
};

/** Every file under a folder with its size: what an export wrote. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(`${relative(dir, full)} ${statSync(full).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

const killExport: Scenario = {
  id: 'kill-export',
  run: async (ctx, o) => {
    const outOf = (lib: string): string => `${lib}.export`;
    return killMatrix(ctx, o, {
      fault: 'kill -9 while exporting people as folders of copies',
      start: ctx.base.library,
      command: (lib) => ['export', '--format', 'folders', '--link', 'copy', '--out', outOf(lib), '--library', lib],
      compare: ['photos', 'faces', 'named', 'rejected', 'groups'],
      endCheck: (lib, reference) =>
        isDeepStrictEqual(listing(outOf(lib)), listing(outOf(reference)))
          ? []
          : [`the export after a kill differs from the undisturbed export`],
    });
  },
};

/**
 * A folder that is not reachable for one run (moved away, an empty mount point, unreadable): `index` must say
 * so, keep every photo and all the user's work, and once the folder is back leave the library as it was.
 */
async function unreachableFolder(
  ctx: FaultContext,
  spec: {
    fault: string;
    /** How the folder was made unreachable, in words (asked after breaking it). */
    how: () => string;
    breakIt: () => void;
    repair: () => void;
    run?: RunOptions;
    prepare?: (lib: string) => void;
  },
): Promise<FaultRow> {
  const base = ctx.base.state;
  const lib = copyLibrary(ctx.base.library, trialPath(ctx, 'unreachable.db'));
  spec.prepare?.(lib);
  const problems: string[] = [];
  let run: Run;
  spec.breakIt();
  try {
    run = facenet(['index', '--library', lib], spec.run);
  } finally {
    spec.repair();
  }
  problems.push(...problemsOf(run, 'index'));
  if (!/not reachable/.test(run.stdout)) problems.push(`index did not report the folder: ${firstLine(run.stdout)}`);
  const during = readState(lib, ctx.dir);
  problems.push(...invariantProblems('while unreachable', during, base));
  problems.push(...sameAs('while unreachable', during, base, ['photos', 'faces', 'groups']));
  const again = facenet(['index', '--library', lib], spec.run);
  problems.push(...problemsOf(again, 'index once the folder is back'));
  const after = readState(lib, ctx.dir);
  problems.push(...invariantProblems('once back', after, base));
  problems.push(...sameAs('once back', after, base, ['photos', 'faces', 'named', 'rejected', 'groups']));
  return {
    fault: spec.fault,
    tried: `${spec.how()}; index; the folder back; index`,
    kept: `${keptWords(during, base)}; "${firstLine(run.stdout.split('\n').find((l) => /not reachable/.test(l)) ?? '')}"`,
    ok: problems.length === 0,
    problems,
  };
}

const vanishedFolder: Scenario = {
  id: 'vanished-folder',
  run: (ctx) =>
    unreachableFolder(ctx, {
      fault: 'library folder vanishes (drive unplugged)',
      how: () => 'the folder renamed away',
      breakIt: () => renameSync(ctx.base.photos, `${ctx.base.photos}.away`),
      repair: () => renameSync(`${ctx.base.photos}.away`, ctx.base.photos),
    }),
};

/** Mounts an empty file system over `dir` (what an unmounted drive's mount point shows); false if not allowed. */
function tryMount(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const unmount = (dir: string): void => void execFileSync('umount', [dir], { stdio: 'ignore' });

const emptyMountPoint: Scenario = {
  id: 'empty-folder',
  run: (ctx) => {
    const photos = ctx.base.photos;
    const aside = `${photos}.aside`;
    let mounted = false;
    return unreachableFolder(ctx, {
      fault: 'library folder empty (a drive not mounted)',
      how: () =>
        mounted ? 'an empty file system mounted over the folder' : 'its files moved out (mounting not allowed here)',
      breakIt: () => {
        mounted = hasCommand('mount') && tryMount(photos, '1m');
        if (!mounted) {
          mkdirSync(aside);
          for (const e of readdirSync(photos)) renameSync(join(photos, e), join(aside, e));
        }
      },
      repair: () => {
        if (mounted) unmount(photos);
        else {
          for (const e of readdirSync(aside)) renameSync(join(aside, e), join(photos, e));
          rmSync(aside, { recursive: true });
        }
      },
    });
  },
};

/** The id of an unprivileged user to run as, so that permissions apply even when the suite runs as root. */
const NOBODY = 65534;
const isRoot = (): boolean => process.getuid?.() === 0;

const unreadableSubfolder: Scenario = {
  id: 'unreadable-subfolder',
  run: (ctx) => {
    if (process.platform === 'win32') {
      return Promise.resolve({
        fault: 'unreadable subfolder',
        tried: 'skipped: POSIX permissions only',
        kept: '',
        ok: null,
        problems: [],
      });
    }
    const trips = join(ctx.base.photos, 'trips');
    const run: RunOptions = isRoot()
      ? { uid: NOBODY, env: { HOME: ctx.dir, FACENET_CACHE: join(ctx.dir, 'cache-nobody') } }
      : {};
    return unreachableFolder(ctx, {
      fault: 'a subfolder turns unreadable (permission denied)',
      how: () => `chmod 000 on one of its two subfolders${isRoot() ? ' (indexing as an unprivileged user)' : ''}`,
      prepare: (lib) => {
        if (!isRoot()) return;
        // The unprivileged user owns this copy of the library and can reach the photos, as the real owner would.
        chmodSync(ctx.dir, 0o755);
        for (const f of [lib, `${lib}-wal`, `${lib}-shm`]) if (existsSync(f)) chownSync(f, NOBODY, NOBODY);
        chownSync(ctx.dir, NOBODY, NOBODY);
      },
      breakIt: () => chmodSync(trips, 0o000),
      repair: () => chmodSync(trips, 0o755),
      run,
    });
  },
};

const fullDisk: Scenario = {
  id: 'full-disk',
  run: async (ctx) => {
    const fault = 'disk full while indexing';
    const disk = trialPath(ctx, 'disk');
    mkdirSync(disk);
    if (!hasCommand('mount') || !tryMount(disk, '16m')) {
      rmSync(disk, { recursive: true });
      return {
        fault,
        tried: 'skipped: a small file system could not be mounted here (needs root)',
        kept: '',
        ok: null,
        problems: [],
      };
    }
    try {
      const lib = copyLibrary(ctx.base.library, join(disk, 'library.db'));
      // Fill what is left, so that the next page SQLite writes has no room.
      const filler = openSync(join(disk, 'filler'), 'w');
      try {
        for (;;) writeSync(filler, Buffer.alloc(4096));
      } catch {
        // ENOSPC: full.
      } finally {
        closeSync(filler);
      }
      const problems: string[] = [];
      const full = facenet(['index', ctx.base.later, '--library', lib], {
        env: { FACENET_CACHE: join(ctx.dir, 'cache') },
      });
      if (full.code === 0) problems.push('index on a full disk exited 0');
      if (!/disk is full|could not be read or written/.test(full.stderr))
        problems.push(`no plain message: ${firstLine(full.stderr)}`);
      if (hasStackTrace(full.stderr)) problems.push('a stack trace instead of one sentence');
      rmSync(join(disk, 'filler'));
      const during = readState(lib, ctx.dir);
      problems.push(...invariantProblems('after the full disk', during, ctx.base.state));
      const again = facenet(['index', ctx.base.later, '--library', lib], {
        env: { FACENET_CACHE: join(ctx.dir, 'cache') },
      });
      problems.push(...problemsOf(again, 'index once there is room'));
      const after = readState(lib, ctx.dir);
      problems.push(...invariantProblems('once there is room', after, ctx.base.state));
      const reference = laterIndexed(ctx);
      problems.push(
        ...sameAs('once there is room', after, reference, ['photos', 'faces', 'named', 'rejected', 'groups']),
      );
      return {
        fault,
        tried: 'library on a 16 MiB file system filled to the last byte; index new photos; space freed; index again',
        kept: `${keptWords(during, ctx.base.state)} while full; "${firstLine(full.stderr)}"; then all ${after.photos.length} photos indexed`,
        ok: problems.length === 0,
        problems,
      };
    } finally {
      unmount(disk);
    }
  },
};

const lockedDatabase: Scenario = {
  id: 'locked-database',
  run: async (ctx) => {
    const lib = copyLibrary(ctx.base.library, trialPath(ctx, 'locked.db'));
    // Another process (a second app window, a backup tool) holds the database's write lock.
    const holder = lockHolder(lib);
    await holder.ready;
    const problems: string[] = [];
    let rename: Run;
    let index: Run;
    try {
      rename = facenet(['name', 'Ada', 'Adaline', '--library', lib]);
      index = facenet(['index', ctx.base.later, '--library', lib]);
    } finally {
      await holder.release();
    }
    for (const [what, r] of [
      ['name', rename],
      ['index', index],
    ] as const) {
      if (r.code === 0) problems.push(`${what} on a locked library exited 0`);
      if (!/locked|in use/i.test(r.stderr)) problems.push(`${what}: no plain message: ${firstLine(r.stderr)}`);
      if (hasStackTrace(r.stderr)) problems.push(`${what}: a stack trace instead of one sentence`);
    }
    const after = readState(lib, ctx.dir);
    problems.push(...invariantProblems('after the lock', after, ctx.base.state));
    problems.push(...sameAs('after the lock', after, ctx.base.state, ['photos', 'faces', 'groups']));
    return {
      fault: 'library locked by another process',
      tried: 'another process holds BEGIN EXCLUSIVE; name a person; index new photos',
      kept: `${keptWords(after, ctx.base.state)}; "${firstLine(rename.stderr)}"`,
      ok: problems.length === 0,
      problems,
    };
  },
};

/** A child process holding an exclusive lock on the library until released. */
function lockHolder(lib: string): { ready: Promise<void>; release: () => Promise<void> } {
  const script =
    "const D=require('better-sqlite3');const d=new D(process.argv[1]);d.exec('BEGIN EXCLUSIVE');" +
    "process.stdout.write('locked\\n');process.stdin.on('end',()=>{d.exec('ROLLBACK');d.close();process.exit(0)});process.stdin.resume();";
  const child = spawn(process.execPath, ['-e', script, lib], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the lock holder exited ${code}`)));
  });
  const release = () =>
    new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.stdin.end();
    });
  return { ready, release };
}

/** A PNG whose header claims 60,000 x 60,000 pixels (a decompression bomb), with a valid header checksum. */
function bombPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60_000, 0);
  ihdr.writeUInt32BE(60_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(60_001))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Hostile and broken files among good photos; each entry: file name → what must become of it. */
async function writeHostilePhotos(
  dir: string,
): Promise<Map<string, 'indexed' | 'error' | 'indexed or error' | 'not a photo'>> {
  mkdirSync(dir, { recursive: true });
  const expect = new Map<string, 'indexed' | 'error' | 'indexed or error' | 'not a photo'>();
  const [first, second] = demoPhotos();
  for (const [name, src] of [
    ['good-1.jpg', first!],
    ['good-2.jpg', second!],
  ] as const) {
    await sharp(src).rotate().flop().resize(600).jpeg({ quality: 88 }).toFile(join(dir, name));
    expect.set(name, 'indexed');
  }
  writeFileSync(join(dir, 'random.jpg'), randomBytes(64 * 1024));
  expect.set('random.jpg', 'error');
  writeFileSync(join(dir, 'empty.jpg'), '');
  expect.set('empty.jpg', 'error');
  writeFileSync(join(dir, 'notes.png'), 'shopping list: milk, eggs\n'.repeat(100));
  expect.set('notes.png', 'error');
  writeFileSync(join(dir, 'bomb.png'), bombPng());
  expect.set('bomb.png', 'error');
  const whole = readFileSync(join(dir, 'good-1.jpg'));
  writeFileSync(join(dir, 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length * 0.4)));
  expect.set('truncated.jpg', 'indexed or error'); // libjpeg may show the top part, as viewers do
  if (process.platform !== 'win32') {
    execFileSync('mkfifo', [join(dir, 'fifo.jpg')]);
    expect.set('fifo.jpg', 'not a photo');
    symlinkSync('/dev/zero', join(dir, 'zero.jpg'));
    expect.set('zero.jpg', 'not a photo');
    // A name that is not valid UTF-8 (Latin-1 "é"), as old cameras and Windows zips write them.
    const latin1 = Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.jpg')]);
    try {
      writeFileSync(latin1, readFileSync(join(dir, 'good-2.jpg')));
      expect.set(latin1.subarray(dir.length + 1).toString('utf8'), 'error');
    } catch {
      // This file system refuses such names: nothing to test.
    }
  }
  return expect;
}

const hostilePhotos: Scenario = {
  id: 'hostile-photos',
  run: async (ctx) => {
    const dir = trialPath(ctx, 'hostile');
    const expected = await writeHostilePhotos(dir);
    const lib = copyLibrary(ctx.base.library, trialPath(ctx, 'hostile.db'));
    const problems: string[] = [];
    const index = facenet(['index', dir, '--library', lib], { timeoutMs: 180_000 });
    problems.push(...problemsOf(index, 'index'));
    const errors = facenet(['errors', '--json', '--library', lib]);
    const failed = new Map(
      (JSON.parse(errors.stdout || '[]') as { path: string; reason: string }[]).map((e) => [
        relative(dir, e.path),
        e.reason,
      ]),
    );
    const state = readState(lib, ctx.dir);
    const prefix = `${relative(ctx.dir, dir)}/`;
    const inDir = (p: string): string => (p.startsWith(prefix) ? p.slice(prefix.length) : p);
    const stored = new Set(state.photos.map((p) => inDir(p.split('  ')[0]!)));
    const withFaces = new Set(state.faces.map((f) => inDir(f.split(' @')[0]!)));
    const outcome: string[] = [];
    for (const [name, want] of expected) {
      const got = failed.has(name)
        ? 'error'
        : withFaces.has(name)
          ? 'indexed'
          : stored.has(name)
            ? 'stored'
            : 'not stored';
      outcome.push(`${name}: ${got === 'error' ? failed.get(name) : got}`);
      const fine =
        want === 'indexed'
          ? got === 'indexed'
          : want === 'error'
            ? got === 'error'
            : want === 'not a photo'
              ? got === 'not stored'
              : got === 'indexed' || got === 'error';
      if (!fine) problems.push(`${name}: expected ${want}, got ${got}`);
    }
    problems.push(...invariantProblems('after the hostile files', state, ctx.base.state));
    return {
      fault: 'hostile and broken photo files',
      tried: `${expected.size} files (random bytes, empty, text, 60000x60000 PNG, truncated JPEG, FIFO, /dev/zero link, non-UTF-8 name, 2 good) in ${(index.ms / 1000).toFixed(1)} s`,
      kept: `${workWords(state)}; ${outcome.join('; ')}`,
      ok: problems.length === 0,
      problems,
    };
  },
};

const hostileSidecars: Scenario = {
  id: 'hostile-sidecars',
  run: async (ctx) => {
    const fault = 'hostile XMP sidecars on import';
    if (process.platform === 'win32')
      return { fault, tried: 'skipped: FIFOs need POSIX', kept: '', ok: null, problems: [] };
    const dir = trialPath(ctx, 'sidecars');
    mkdirSync(dir);
    const photos = demoPhotos().slice(0, 3);
    for (const [i, src] of photos.entries()) {
      await sharp(src)
        .rotate()
        .resize(640)
        .jpeg({ quality: 90 })
        .toFile(join(dir, `s${i + 1}.jpg`));
    }
    const lib = copyLibrary(ctx.base.library, trialPath(ctx, 'sidecars.db'));
    const problems = problemsOf(facenet(['index', dir, '--library', lib]), 'index');
    const before = readState(lib, ctx.dir);
    // s1: a FIFO (a blocking read never returns); s2: endless bytes; s3: 300 regions stacked on its first face
    // under 50 names, and one region 1e308 wide.
    execFileSync('mkfifo', [join(dir, 's1.jpg.xmp')]);
    symlinkSync('/dev/zero', join(dir, 's2.jpg.xmp'));
    const face = readFaceBox(lib, join(dir, 's3.jpg'));
    const stacked = Array.from({ length: 300 }, (_, i) => ({ name: `Stack ${i % 50}`, ...face }));
    writeFileSync(
      join(dir, 's3.jpg.xmp'),
      mwgSidecar(face.width, face.height, [...stacked, { name: 'Huge', x: 0.5, y: 0.5, w: '1e308', h: 0.5 }]),
    );
    const run = facenet(['import', 'xmp', dir, '--library', lib], { timeoutMs: 60_000 });
    if (run.code === null) problems.push('import did not finish within 60 s');
    if (hasStackTrace(run.stderr)) problems.push('a stack trace instead of plain reasons');
    const after = readState(lib, ctx.dir);
    if (after.integrity !== 'ok') problems.push(`integrity_check says ${after.integrity}`);
    for (const [name, faces] of Object.entries(before.named)) {
      if (!isDeepStrictEqual(after.named[name], faces)) problems.push(`${name}'s confirmed faces changed`);
    }
    const newNames = Object.keys(after.named).filter((n) => !(n in before.named));
    if (newNames.length > 1) problems.push(`one stacked face became ${newNames.length} people`);
    if (newNames.includes('Huge')) problems.push('a region 1e308 wide was imported');
    return {
      fault,
      tried: `FIFO, /dev/zero link, 300 regions stacked on one face under 50 names + w=1e308; import xmp in ${(run.ms / 1000).toFixed(1)} s`,
      kept: `${workWords(before)} unchanged; ${newNames.length} new person from the stacked regions; "${firstLine(run.stdout)}"`,
      ok: problems.length === 0,
      problems,
    };
  },
};

/** The first face of a photo as a normalized MWG area (centre, size), with the photo's size. */
function readFaceBox(
  lib: string,
  path: string,
): { x: number; y: number; w: number; h: number; width: number; height: number } {
  const db = new Database(lib, { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT p.width, p.height, f.box_x AS x, f.box_y AS y, f.box_w AS w, f.box_h AS h
           FROM faces f JOIN photos p ON p.id = f.photo_id WHERE p.path = ? ORDER BY f.id LIMIT 1`,
      )
      .get(path) as { width: number; height: number; x: number; y: number; w: number; h: number };
    return {
      x: (row.x + row.w / 2) / row.width,
      y: (row.y + row.h / 2) / row.height,
      w: row.w / row.width,
      h: row.h / row.height,
      width: row.width,
      height: row.height,
    };
  } finally {
    db.close();
  }
}

/** The whole matrix, in the order it runs (kill-models-use starts from kill-tune's result). */
export const SCENARIOS: Scenario[] = [
  killIndex,
  killRecluster,
  killTune,
  killModelSwitch,
  killExport,
  vanishedFolder,
  emptyMountPoint,
  unreadableSubfolder,
  fullDisk,
  lockedDatabase,
  hostilePhotos,
  hostileSidecars,
];
