/**
 * A small real library for the Photos view (listPhotos, the Photos grid in Chromium): two library folders of
 * drawn photos (images.ts) with known capture dates, some without any EXIF date (their file date is set
 * instead), some without faces, and group photos of A, B and C, indexed by the real EngineApi with the noisy
 * test pipeline. The people are made by the user's moves (each identity's faces moved to a new named person),
 * so they do not depend on the clustering.
 *
 * Newest first, the list is: trip/abc (file date), trip/ac, home/empty, home/ab, trip/tie-1 and trip/tie-2
 * (the same date: the higher id first), home/b, home/a-old, home/nodate (file date), trip/c.
 */
import { utimesSync } from 'node:fs';
import { basename, join } from 'node:path';
import { EngineApi } from '../../src-main/app/engine-api.js';
import { makePhoto, type DrawnFace } from './images.js';
import { CELL, NoisyPipeline, PHOTO_SIZE } from './people-library.js';
import { GRID } from './test-pipeline.js';

/** Identities (test-pipeline.ts) far apart from each other, and the cell each is drawn in. */
const IDENTITY = { A: 0, B: 2, C: 4 } as const;
const CELL_OF = { A: 0, B: 5, C: 10 } as const;
type Who = keyof typeof IDENTITY;

interface PlannedPhoto {
  folder: 'home' | 'trip';
  name: string;
  people: Who[];
  /** EXIF DateTimeOriginal ('YYYY:MM:DD HH:MM:SS'), or the file's mtime when the photo has no EXIF date. */
  takenAt?: string;
  mtime?: string;
}

export const PHOTOS_PLAN: readonly PlannedPhoto[] = [
  { folder: 'home', name: 'a-old.png', people: ['A'], takenAt: '2019:05:01 10:00:00' },
  { folder: 'home', name: 'ab.png', people: ['A', 'B'], takenAt: '2021:07:04 12:00:00' },
  { folder: 'home', name: 'b.png', people: ['B'], takenAt: '2020:03:03 09:30:00' },
  { folder: 'home', name: 'empty.png', people: [], takenAt: '2022:01:01 08:00:00' },
  { folder: 'home', name: 'nodate.png', people: [], mtime: '2018-01-01T00:00:00Z' },
  { folder: 'trip', name: 'ac.png', people: ['A', 'C'], takenAt: '2023:08:08 18:00:00' },
  { folder: 'trip', name: 'c.png', people: ['C'], takenAt: '2017:01:01 07:00:00' },
  { folder: 'trip', name: 'abc.png', people: ['A', 'B', 'C'], mtime: '2024-02-02T00:00:00Z' },
  { folder: 'trip', name: 'tie-1.png', people: [], takenAt: '2020:06:06 12:00:00' },
  { folder: 'trip', name: 'tie-2.png', people: [], takenAt: '2020:06:06 12:00:00' },
];

/** Every file's date as a time, for the expected order (EXIF dates are compared as their text, like the app). */
const OLD_MTIME = new Date('2016-01-01T00:00:00Z');

export interface PhotosLibrary {
  api: EngineApi;
  dir: string;
  folderIds: { home: number; trip: number };
  personIds: Record<Who, number>;
  /** Photo id by file name. */
  photoIds: Map<string, number>;
  /** File name by photo id. */
  names: Map<number, string>;
}

export async function writePhotosLibrary(dir: string): Promise<void> {
  let seed = 1;
  for (const p of PHOTOS_PLAN) {
    const path = join(dir, p.folder, p.name);
    const faces: DrawnFace[] = p.people.map((w) => ({ cell: CELL_OF[w], identity: IDENTITY[w] }));
    await makePhoto(path, { faces, seed: seed++, size: PHOTO_SIZE, ...(p.takenAt ? { takenAt: p.takenAt } : {}) });
    // Photos with an EXIF date get an old file date, so a listing sorted by file date would be visibly wrong.
    const mtime = p.mtime ? new Date(p.mtime) : OLD_MTIME;
    utimesSync(path, mtime, mtime);
  }
}

/** Writes the photos under `dir`, indexes both folders, and names A, B and C by moving their faces. */
export async function openPhotosLibrary(dir: string): Promise<PhotosLibrary> {
  await writePhotosLibrary(dir);
  const api = EngineApi.open(join(dir, 'lib.db'), {
    createPipeline: async () => new NoisyPipeline(),
    progressIntervalMs: 0,
  });
  const home = await api.addFolder({ path: join(dir, 'home') });
  const trip = await api.addFolder({ path: join(dir, 'trip') });
  await api.startIndexing();
  await api.whenIdle();
  const photos = api.library.photos({ status: 'done' });
  if (photos.length !== PHOTOS_PLAN.length) throw new Error(`indexed ${photos.length} of ${PHOTOS_PLAN.length}`);
  const photoIds = new Map(photos.map((p) => [basename(p.path), p.id]));
  const facesOf: Record<Who, number[]> = { A: [], B: [], C: [] };
  for (const p of photos) {
    for (const f of api.library.facesOfPhoto(p.id)) {
      const cell = Math.round(f.box.x / CELL) + GRID * Math.round(f.box.y / CELL);
      const who = (Object.keys(CELL_OF) as Who[]).find((w) => CELL_OF[w] === cell);
      if (!who) throw new Error(`a face in an unplanned cell ${cell} of ${p.path}`);
      facesOf[who].push(f.id);
    }
  }
  const personIds = {} as Record<Who, number>;
  for (const who of Object.keys(facesOf) as Who[]) {
    personIds[who] = (await api.moveFaces({ faceIds: facesOf[who], to: { newPerson: true, name: who } })).personId;
  }
  return {
    api,
    dir,
    folderIds: { home: home.id, trip: trip.id },
    personIds,
    photoIds,
    names: new Map([...photoIds].map(([name, id]) => [id, name])),
  };
}
