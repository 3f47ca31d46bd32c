/**
 * HEIC copies and RAW files (embedded full-size preview) of real ../shared/faces photos index exactly like
 * the JPEG originals: same displayed size and capture date, the same faces with boxes within 2 px after
 * orientation, and the same people after grouping. The HEIC and RAW files are made here with real encoders
 * (heif-enc, ExifTool; test/helpers/format-fixtures.ts), some with quarter-turn orientations that only
 * their EXIF (HEIC) or the RAW's own IFD0 (RAW) says. Without ../shared the demo photos of
 * @vladmandic/face-api stand in; without the tools the test skips with the reason.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../../../src-main/engine/library/library-service.js';
import { PeopleService } from '../../../../../src-main/engine/people/people-service.js';
import type { FaceAnalyzer } from '../../../../../src-main/engine/vision/pipeline.js';
import { createFaceAnalyzer } from '../../../../../src-main/engine/vision/registry.js';
import { demoPhotos } from '../../../../helpers/demo-photos.js';
import {
  heicFrom,
  rawWithPreview,
  taggedJpeg,
  toolMissing,
  type FixtureTags,
} from '../../../../helpers/format-fixtures.js';
import { SHARED_DIR } from '../../../../helpers/shared.js';
import { tempDir } from '../../../../helpers/tmp.js';

const missing = toolMissing('heif-enc') ?? toolMissing('exiftool');
if (missing) console.warn(`skipping HEIC/RAW same-faces test: ${missing}`);

/** Group photos and three identities of ../shared/faces, or the face-api demo photos. */
function sources(): string[] {
  const faces = join(SHARED_DIR, 'faces');
  if (!existsSync(faces)) {
    console.warn(`${faces} is absent: using the face-api demo photos`);
    return demoPhotos().slice(0, 4);
  }
  const pick = (dir: string, n: number): string[] =>
    readdirSync(join(faces, dir))
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, n)
      .map((f) => join(faces, dir, f));
  return [...pick('_group', 4), ...pick('celeba_07217', 3), ...pick('celeba_07218', 3), ...pick('celeba_07221', 3)];
}

const ORIENTATIONS = [1, 6, 3, 8];
const RAW_EXTS = ['.dng', '.cr2', '.orf', '.nef', '.arw', '.rw2', '.pef'];

interface Indexed {
  /** By photo stem: displayed size, date, boxes. */
  photos: Map<string, { width: number; height: number; takenAt: string | null; boxes: number[][] }>;
  /** People as sets of "stem#faceIndex", sorted. */
  people: string[][];
}

async function indexFolder(dir: string, db: string, analyzer: FaceAnalyzer): Promise<Indexed> {
  const svc = LibraryService.open(db);
  svc.addFolder(dir);
  const summary = await svc.index(analyzer);
  expect(summary.failed, JSON.stringify(svc.errors())).toBe(0);
  new PeopleService(svc.library).recluster();
  const photos: Indexed['photos'] = new Map();
  const faceKey = new Map<number, string>();
  for (const p of svc.photos()) {
    const stem = basename(p.path, extname(p.path));
    const faces = svc.library.faces.listByPhoto(p.id).sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
    faces.forEach((f, i) => faceKey.set(f.id, `${stem}#${i}`));
    photos.set(stem, {
      width: p.width!,
      height: p.height!,
      takenAt: p.takenAt,
      boxes: faces.map((f) => [f.box.x, f.box.y, f.box.width, f.box.height]),
    });
  }
  const byPerson = new Map<number, string[]>();
  for (const p of svc.photos())
    for (const f of svc.library.faces.listByPhoto(p.id))
      if (f.personId !== null) byPerson.set(f.personId, [...(byPerson.get(f.personId) ?? []), faceKey.get(f.id)!]);
  await svc.close();
  const people = [...byPerson.values()].map((m) => m.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  return { photos, people };
}

function expectSameFaces(actual: Indexed, expected: Indexed): void {
  expect([...actual.photos.keys()].sort()).toEqual([...expected.photos.keys()].sort());
  for (const [stem, want] of expected.photos) {
    const got = actual.photos.get(stem)!;
    expect({ stem, width: got.width, height: got.height, takenAt: got.takenAt }).toEqual({
      stem,
      width: want.width,
      height: want.height,
      takenAt: want.takenAt,
    });
    expect(got.boxes.length, `${stem}: faces`).toBe(want.boxes.length);
    got.boxes.forEach((box, i) =>
      box.forEach((v, k) => expect(Math.abs(v - want.boxes[i]![k]!), `${stem} face ${i}`).toBeLessThanOrEqual(2)),
    );
  }
  expect(actual.people).toEqual(expected.people);
}

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.skipIf(missing !== null)('HEIC and RAW photos index like their JPEG originals', () => {
  let analyzer: FaceAnalyzer;
  let reference: Indexed;
  const dirs = { jpeg: join(tmp.dir, 'jpeg'), heic: join(tmp.dir, 'heic'), raw: join(tmp.dir, 'raw') };

  beforeAll(async () => {
    analyzer = await createFaceAnalyzer();
    Object.values(dirs).forEach((d) => mkdirSync(d));
    const plain = join(tmp.dir, 'plain');
    mkdirSync(plain);
    for (const [i, src] of sources().entries()) {
      const stem = `p${String(i).padStart(2, '0')}`;
      const tags: FixtureTags = {
        orientation: ORIENTATIONS[i % ORIENTATIONS.length],
        dateTimeOriginal: `2021:0${1 + (i % 9)}:1${i % 10} 12:34:56`,
      };
      const ref = taggedJpeg(src, join(dirs.jpeg, `${stem}.jpg`), tags);
      // Lossless RGB HEVC of the same pixels: the boxes then differ only by what decoding and orientation do.
      await heicFrom(ref, join(dirs.heic, `${stem}.heic`), 'lossless');
      // The RAW's preview is the untouched JPEG; the orientation and date live in the RAW's own tags.
      const untagged = join(plain, `${stem}.jpg`);
      copyFileSync(src, untagged);
      await rawWithPreview(untagged, join(dirs.raw, `${stem}${RAW_EXTS[i % RAW_EXTS.length]}`), tags);
    }
    reference = await indexFolder(dirs.jpeg, join(tmp.dir, 'jpeg.db'), analyzer);
    expect([...reference.photos.values()].some((p) => p.boxes.length > 0)).toBe(true);
  }, 600_000);

  it('HEIC: same sizes, dates, boxes (within 2 px) and people', async () => {
    expectSameFaces(await indexFolder(dirs.heic, join(tmp.dir, 'heic.db'), analyzer), reference);
  }, 600_000);

  it('RAW previews: same sizes, dates, boxes (within 2 px) and people', async () => {
    expectSameFaces(await indexFolder(dirs.raw, join(tmp.dir, 'raw.db'), analyzer), reference);
  }, 600_000);
});
