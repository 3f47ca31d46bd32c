/**
 * The library every fault is injected into: real photos (variants of the demo photos every clone has, so that
 * the people have several faces each), indexed by the real CLI, with the user's work on top (named people with
 * confirmed faces, a "not this person"). And what "kept" means: the state of a library read straight from its
 * SQLite file, independent of the code under test.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import sharp, { type Sharp } from 'sharp';
import { openLibrary } from '../../../src-main/hosts/cli/library/session.js';
import { demoPhotos } from '../../helpers/demo-photos.js';
import { facenet } from './processes.js';

/** How each demo photo is varied: every variant is its own photo (own bytes) of the same people. */
const VARIANTS: Record<string, (s: Sharp, width: number) => Sharp> = {
  a: (s) => s,
  b: (s) => s.flop(),
  c: (s, w) => s.resize(Math.round(w * 0.85)),
  d: (s, w) => s.flop().resize(Math.round(w * 0.85)),
  e: (s) => s.modulate({ brightness: 1.08 }),
};
/** Variants for photos added later (the indexing that gets killed). */
const LATER_VARIANTS: Record<string, (s: Sharp, width: number) => Sharp> = {
  f: (s, w) => s.resize(Math.round(w * 0.7)),
  g: (s, w) => s.flop().resize(Math.round(w * 0.75)),
};

async function writeVariants(dest: string, variants: typeof VARIANTS): Promise<number> {
  let n = 0;
  for (const [i, src] of demoPhotos().entries()) {
    const { width = 800 } = await sharp(src).metadata();
    // Two subfolders, so that one of them can become unreachable on its own.
    const folder = join(dest, i % 2 === 0 ? 'home' : 'trips');
    mkdirSync(folder, { recursive: true });
    for (const [key, vary] of Object.entries(variants)) {
      await vary(sharp(src).rotate(), width)
        .jpeg({ quality: 90 })
        .toFile(join(folder, `${basename(src, '.jpg')}-${key}.jpg`));
      n++;
    }
  }
  return n;
}

export interface FaultLibrary {
  /** The library folder (home/, trips/) the base library indexes. */
  photos: string;
  /** More photos of the same people, not yet in the library. */
  later: string;
  /** The base library: indexed, with the user's work. Never opened by a fault; copied for each trial. */
  library: string;
  /** The base library's state, and the part of it that is the user's own work. */
  state: LibraryState;
  photoCount: number;
}

/** Names given to the largest groups, whose faces are then all confirmed. */
export const NAMES = ['Ada', 'Ben', 'Cleo', 'Dev'] as const;

/** Builds the photos and the base library in `dir` (real CLI for indexing; the API for the user's work). */
export async function makeFaultLibrary(dir: string): Promise<FaultLibrary> {
  const photos = join(dir, 'photos');
  const later = join(dir, 'later');
  const photoCount = await writeVariants(photos, VARIANTS);
  await writeVariants(later, LATER_VARIANTS);
  const library = join(dir, 'base.db');
  const r = facenet(['index', photos, '--library', library]);
  if (r.code !== 0) throw new Error(`indexing the base library failed: ${r.stderr}`);

  // The user's work, as the app would record it: the four largest groups named and all their faces
  // confirmed, and one face of another group marked "not Ada".
  const session = openLibrary(library);
  try {
    const { api } = session;
    const people = (await api.listPeople({})).sort((a, b) => b.faceCount - a.faceCount || a.id - b.id);
    for (const [i, name] of NAMES.entries()) {
      const person = people[i];
      if (!person) break;
      await api.renamePerson({ personId: person.id, name });
      const { faces } = await api.getPerson({ personId: person.id });
      await api.confirmFaces({ faceIds: faces.map((f) => f.id), personId: person.id });
    }
    const other = people[NAMES.length];
    const ada = people[0];
    if (other && ada) {
      const { faces } = await api.getPerson({ personId: other.id });
      await api.rejectFaces({ faceIds: [faces[0]!.id], personId: ada.id });
    }
  } finally {
    await session.close();
  }
  return { photos, later, library, state: readState(library, dir), photoCount };
}

/** A copy of a (closed) library to damage: the database file and its write-ahead log, if any. */
export function copyLibrary(from: string, to: string): string {
  copyFileSync(from, to);
  for (const ext of ['-wal', '-shm']) if (existsSync(from + ext)) copyFileSync(from + ext, to + ext);
  return to;
}

export interface LibraryState {
  integrity: string;
  /** `relative path  status` per photo. */
  photos: string[];
  /** `relative path @x,y,w,h` per face (whole pixels). */
  faces: string[];
  /** Photos or faces stored twice. */
  duplicates: number;
  /** Named person → their confirmed faces. */
  named: Record<string, string[]>;
  /** `face !name`: the user's "not this person". */
  rejected: string[];
  /** Every person's faces (ids ignored): who is grouped with whom. */
  groups: string[];
  /** Embedding versions the faces are in, and the active one (0 = shipped). */
  faceVersions: number[];
  activeVersion: number;
}

/** Reads a library's state straight from its SQLite file; paths relative to `root`. */
export function readState(library: string, root: string): LibraryState {
  const db = new Database(library, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
    const photos = (db.prepare('SELECT path, status FROM photos').all() as { path: string; status: string }[])
      .map((p) => `${relative(root, p.path)}  ${p.status}`)
      .sort();
    const faceRows = db
      .prepare(
        `SELECT f.id, p.path, f.box_x AS x, f.box_y AS y, f.box_w AS w, f.box_h AS h, f.person_id AS person,
                f.assignment, f.embedding_version AS version, pe.name
           FROM faces f JOIN photos p ON p.id = f.photo_id LEFT JOIN people pe ON pe.id = f.person_id`,
      )
      .all() as {
      id: number;
      path: string;
      x: number;
      y: number;
      w: number;
      h: number;
      person: number | null;
      assignment: string | null;
      version: number;
      name: string | null;
    }[];
    const key = new Map(
      faceRows.map((f) => [
        f.id,
        `${relative(root, f.path)} @${Math.round(f.x)},${Math.round(f.y)},${Math.round(f.w)},${Math.round(f.h)}`,
      ]),
    );
    const faces = [...key.values()].sort();
    const named: Record<string, string[]> = {};
    const byPerson = new Map<number, string[]>();
    for (const f of faceRows) {
      if (f.person === null) continue;
      byPerson.set(f.person, [...(byPerson.get(f.person) ?? []), key.get(f.id)!]);
      if (f.name !== null && f.assignment === 'confirmed') (named[f.name] ??= []).push(key.get(f.id)!);
    }
    for (const list of Object.values(named)) list.sort();
    const rejected = (
      db
        .prepare(
          `SELECT d.face_id AS face, p.name FROM face_decisions d JOIN people p ON p.id = d.person_id
            WHERE d.decision = 'rejected'`,
        )
        .all() as { face: number; name: string | null }[]
    )
      .map((d) => `${key.get(d.face)} !${d.name ?? '(unnamed)'}`)
      .sort();
    const active =
      (db.prepare('SELECT id FROM embedding_versions WHERE active = 1').get() as { id: number } | undefined)?.id ?? 0;
    return {
      integrity,
      photos,
      faces,
      duplicates: faceRows.length - new Set(key.values()).size + photos.length - new Set(photos).size,
      named,
      rejected,
      groups: [...byPerson.values()].map((g) => g.sort().join(' | ')).sort(),
      faceVersions: [...new Set(faceRows.map((f) => f.version))].sort((a, b) => a - b),
      activeVersion: active,
    };
  } finally {
    db.close();
  }
}

/** The user's own work in a state: names with their confirmed faces, and the "not this person"s. */
export function userWork(s: LibraryState): { named: LibraryState['named']; rejected: string[] } {
  return { named: s.named, rejected: s.rejected };
}

/** Confirmed faces in all, for the table. */
export function confirmedCount(s: LibraryState): number {
  return Object.values(s.named).reduce((n, faces) => n + faces.length, 0);
}
