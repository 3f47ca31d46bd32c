/**
 * A real library of synthetic people for the tests and benchmarks of what sits above the engine (the HTTP
 * server, the UI in Chromium, the 10,000-face grid): a real SQLite file opened by the real EngineApi, so every
 * request runs the real people service, undo, thumbnails, export and events.
 *
 * What is synthetic is only what the face pipeline would have produced. Each face is in a photo of its own (a
 * small JPEG on disk, each file its own bytes and content hash), stored through the repositories as the indexer
 * stores it (stored-face.ts), with the file's real size and mtime, so that an indexing run sees it unchanged.
 * Embeddings are 128-D unit vectors: the faces of one planned person lie close around its centre (about 0.03
 * apart, squared L2), the centres of different people about 0.10 apart (faces of two people: about 0.13 apart
 * on average), so that the real clustering at the default threshold (0.11125) keeps them apart while merge
 * suggestions (up to 1.25x the threshold, 0.14) pair them up;
 * unsorted faces point each in a direction of its own (about 2 from everything). The real re-grouping then finds
 * the people and the planned names are given through the API (which confirms their faces, as naming does).
 * Building checks that every planned person became exactly one person with all its faces.
 *
 * `grouping: 'confirmed'` skips the re-grouping: each planned person is stored as the user's work, every face
 * confirmed (what confirming them all in the app stores). For benchmarks of what comes after: re-grouping a
 * single person of 10,000 near-identical faces takes the clustering tens of seconds (test/bench/cluster.bench.ts
 * measures that part).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { EngineApi, type EngineApiOptions } from '../../src-main/app/engine-api.js';
import { Library } from '../../src-main/engine/storage/library.js';
import { Rng } from '../../src-shared/random.js';
import { confirmStoredFace, insertStoredFace } from './stored-face.js';

export interface PlannedPerson {
  /** Given through renamePerson after the grouping; null leaves the person unnamed. */
  name: string | null;
  faces: number;
  /**
   * A look-alike of planned person `person`: its centre is `apart` (squared L2) from that person's centre
   * instead of about 0.12, e.g. for merge suggestions in a known order (with `grouping: 'confirmed'`, which
   * keeps the two apart however close they are).
   */
  twinOf?: { person: number; apart: number };
}

export interface SyntheticLibraryPlan {
  people: readonly PlannedPerson[];
  /** Faces that belong to nobody (each alone, so the grouping leaves them in Unsorted). */
  unsorted?: number;
  /**
   * The model version the faces and photos are stored under (default 'synthetic-v1'). Give the real pipeline's
   * when the library will also be indexed with it, so that its photos count as already analysed.
   */
  modelVersion?: string;
  /** 'recluster' (default): the engine's re-grouping finds the people; 'confirmed': stored as confirmed. */
  grouping?: 'recluster' | 'confirmed';
  seed?: number;
}

export interface SyntheticLibrary {
  api: EngineApi;
  dbPath: string;
  /** The folder holding the synthetic photos (a library folder). */
  photoDir: string;
  /** The model version its faces are stored under. */
  modelVersion: string;
  /** The person id the grouping gave each planned person, in plan order. */
  personIds: number[];
  /** Face ids of each planned person, in plan order; then the unsorted ones. */
  faceIds: number[][];
  unsortedFaceIds: number[];
}

const DIM = 128;
/** Per-dimension noise around a person's centre: two faces of one person are about 2·DIM·σ² ≈ 0.03 apart. */
const FACE_SIGMA = 0.011;
/** Offset of each centre from the shared base along its own axis: centres are 2t²/(1 + t²) ≈ 0.10 apart. */
const CENTRE_OFFSET = 0.229;
const PHOTO = { width: 160, height: 120 };
/** Where the face is in every photo; shifted by a few pixels per photo so that thumbnails differ. */
const FACE_BOX = { x: 50, y: 18, width: 60, height: 72 };
const BACKGROUNDS = ['#c96', '#69c', '#9c6', '#c69', '#6c9', '#96c', '#cc6', '#6cc', '#c66', '#66c'];

function unit(v: Float64Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  return Float32Array.from(v, (x) => x / n);
}

/** Person p's centre: a shared base direction plus CENTRE_OFFSET along an axis of its own. */
function centre(p: number): Float64Array {
  const v = new Float64Array(DIM);
  v[0] = 1;
  v[1 + (p % (DIM - 1))] = CENTRE_OFFSET;
  return v;
}

/** Planned person i's centre: its own, or `apart` from its twin's (along i's own axis, off the twin's). */
function plannedCentre(people: readonly PlannedPerson[], i: number): Float64Array {
  const twin = people[i]?.twinOf;
  if (!twin) return centre(i);
  const c = centre(twin.person);
  // Unit vectors at squared distance D have cosine 1 - D/2; c has squared norm 1 + t².
  const norm2 = 1 + CENTRE_OFFSET * CENTRE_OFFSET;
  const s = Math.sqrt(norm2 * (1 / (1 - twin.apart / 2) ** 2 - 1));
  c[1 + (i % (DIM - 1))] = (c[1 + (i % (DIM - 1))] as number) + s;
  return c;
}

function around(c: Float64Array, sigma: number, rng: Rng): Float32Array {
  return unit(c.map((x) => x + sigma * rng.normal()));
}

/** A direction of its own (random, so nearly orthogonal to the centres and to every other one). */
function lonely(rng: Rng): Float32Array {
  return unit(new Float64Array(DIM).map(() => rng.normal()));
}

/** A small picture of a face on a coloured background, one per planned person (the unsorted share one). */
async function template(colour: string): Promise<Buffer> {
  const { x, y, width, height } = FACE_BOX;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PHOTO.width}" height="${PHOTO.height}">` +
    `<rect width="100%" height="100%" fill="${colour}"/>` +
    `<ellipse cx="${x + width / 2}" cy="${y + height / 2}" rx="${width / 2}" ry="${height / 2}" fill="#fed"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/** The template with a JPEG comment (COM segment right after SOI) naming the photo: its own bytes and hash. */
function uniqueJpeg(jpeg: Buffer, label: string): Buffer {
  const text = Buffer.from(label, 'utf8');
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, text, jpeg.subarray(2)]);
}

/** One synthetic photo (its own bytes) with one face of `embedding`, stored as the indexer stores it. */
function storePhoto(
  lib: Library,
  p: {
    folderId: number;
    photoDir: string;
    n: number;
    jpeg: Buffer;
    embedding: Float32Array;
    modelVersion: string;
    now: number;
  },
): { photoId: number; faceId: number } {
  const bytes = uniqueJpeg(p.jpeg, `synthetic photo ${p.n}`);
  const path = join(p.photoDir, `IMG_${String(p.n).padStart(5, '0')}.jpg`);
  writeFileSync(path, bytes);
  const stat = statSync(path);
  const photoId = lib.photos.upsertFile({
    folderId: p.folderId,
    path,
    size: stat.size,
    mtimeMs: Math.trunc(stat.mtimeMs),
  });
  lib.photos.markDone(photoId, {
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    ...PHOTO,
    takenAt: null,
    modelVersion: p.modelVersion,
    indexedAt: p.now,
  });
  const box = { ...FACE_BOX, x: FACE_BOX.x + (p.n % 5) - 2, y: FACE_BOX.y + (p.n % 3) - 1 };
  const faceId = insertStoredFace(
    lib,
    photoId,
    { box, embedding: p.embedding, features: p.embedding },
    p.modelVersion,
    p.now,
  );
  return { photoId, faceId };
}

/**
 * More photos of planned person `like`, added to a built library as new photos the indexer has just analysed:
 * their faces are in no person until a re-grouping places them (as auto, not confirmed). `sigma` widens the
 * spread around the person's centre (default the planned spread); `toward` and `share` move the faces that share
 * of the way to another planned person's centre (look-alikes, the doubtful ones). Returns the new face ids.
 */
export async function addFacesLike(
  library: SyntheticLibrary,
  like: number,
  count: number,
  options: { sigma?: number; toward?: number; share?: number; seed?: number } = {},
): Promise<number[]> {
  const lib = library.api.people.lib;
  const rng = new Rng(options.seed ?? 1000 + like);
  const from = centre(like);
  const to = options.toward === undefined ? from : centre(options.toward);
  const share = options.share ?? 0;
  const mixed = from.map((x, t) => (1 - share) * x + share * (to[t] as number));
  const jpeg = await template(BACKGROUNDS[like % BACKGROUNDS.length]!);
  const folderId = lib.folders.list().find((f) => f.path === library.photoDir)!.id;
  const ids: number[] = [];
  lib.transaction(() => {
    const now = Date.now();
    let n = readdirSync(library.photoDir).length;
    for (let k = 0; k < count; k++, n++) {
      const embedding = around(mixed, options.sigma ?? FACE_SIGMA, rng);
      ids.push(
        storePhoto(lib, {
          folderId,
          photoDir: library.photoDir,
          n,
          jpeg,
          embedding,
          modelVersion: library.modelVersion,
          now,
        }).faceId,
      );
    }
  });
  return ids;
}

/** Builds the library in `dir` (library.db, photos/) and opens the real EngineApi on it with `options`. */
export async function syntheticLibrary(
  dir: string,
  plan: SyntheticLibraryPlan,
  options: EngineApiOptions = {},
): Promise<SyntheticLibrary> {
  const modelVersion = plan.modelVersion ?? 'synthetic-v1';
  const rng = new Rng(plan.seed ?? 1);
  const dbPath = join(dir, 'library.db');
  mkdirSync(join(dir, 'photos'), { recursive: true });
  const photoDir = realpathSync(join(dir, 'photos'));
  const templates = await Promise.all(BACKGROUNDS.map(template));
  const groups = [
    ...plan.people.map((p, i) => {
      const c = plannedCentre(plan.people, i);
      return { faces: p.faces, embed: () => around(c, FACE_SIGMA, rng), look: i };
    }),
    { faces: plan.unsorted ?? 0, embed: () => lonely(rng), look: plan.people.length },
  ];

  const confirmed = plan.grouping === 'confirmed';
  const lib = Library.open(dbPath);
  const faceIds: number[][] = [];
  const storedPeople: number[] = [];
  const photoOf = new Map<number, number>();
  let n = 0;
  try {
    lib.transaction(() => {
      const now = Date.now();
      const folder = lib.folders.add(photoDir, now);
      for (const [g, group] of groups.entries()) {
        const planned = plan.people[g];
        const personId = confirmed && planned ? lib.people.create(planned.name, now) : null;
        if (personId !== null) storedPeople.push(personId);
        const ids: number[] = [];
        for (let k = 0; k < group.faces; k++, n++) {
          const { photoId, faceId } = storePhoto(lib, {
            folderId: folder.id,
            photoDir,
            n,
            jpeg: templates[group.look % templates.length]!,
            embedding: group.embed(),
            modelVersion,
            now,
          });
          photoOf.set(faceId, photoId);
          if (personId !== null) confirmStoredFace(lib, faceId, personId, now);
          ids.push(faceId);
        }
        faceIds.push(ids);
      }
    });
  } finally {
    lib.close();
  }

  const api = EngineApi.open(dbPath, options);
  const found = { api, dbPath, photoDir, modelVersion, faceIds: faceIds.slice(0, plan.people.length) };
  const unsortedFaceIds = faceIds[plan.people.length]!;
  if (confirmed) return { ...found, personIds: storedPeople, unsortedFaceIds };
  try {
    await api.recluster({});
    const personOf = async (faceId: number): Promise<number | null> => {
      const photo = await api.getPhoto({ photoId: photoOf.get(faceId)! });
      return photo.faces.find((f) => f.id === faceId)?.personId ?? null;
    };
    const personIds: number[] = [];
    for (const [i, planned] of plan.people.entries()) {
      const personId = await personOf(faceIds[i]![0]!);
      const person = personId === null ? null : (await api.getPerson({ personId })).person;
      if (!person || person.faceCount !== planned.faces || personIds.includes(person.id)) {
        throw new Error(
          `synthetic library: planned person ${i} (${planned.faces} faces) was grouped as ` +
            `${person ? `person ${person.id} with ${person.faceCount} faces` : 'no person'}`,
        );
      }
      personIds.push(person.id);
      if (planned.name !== null) await api.renamePerson({ personId: person.id, name: planned.name });
    }
    const unsorted = new Set((await api.unsortedFaces({ limit: unsortedFaceIds.length + 1 })).map((f) => f.id));
    if (unsorted.size !== unsortedFaceIds.length || unsortedFaceIds.some((id) => !unsorted.has(id))) {
      throw new Error(`synthetic library: ${unsortedFaceIds.length} faces planned unsorted, ${unsorted.size} are`);
    }
    return { ...found, personIds, unsortedFaceIds };
  } catch (error) {
    await api.close();
    throw error;
  }
}
