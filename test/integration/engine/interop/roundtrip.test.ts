/**
 * Export -> import round trip as the library will run it: write sidecars for named faces, then on a
 * "fresh library" read them back and match them to freshly detected (slightly different) boxes.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../../../src-shared/geometry.js';
import { matchRegionsToFaces } from '../../../../src-main/engine/interop/match.js';
import { readPhotoFaceRegions, sidecarPath, writeFaceSidecars } from '../../../../src-main/engine/interop/sidecar.js';
import { tempDir } from '../../../helpers/tmp.js';
import { ORIENTATIONS, makeOrientedJpeg, type Fixture } from '../../../helpers/oriented-photos.js';

const BOXES: Box[] = [
  { x: 16, y: 16, width: 48, height: 32 },
  { x: 96, y: 48, width: 32, height: 48 },
];
const jitter = (b: Box, d: number): Box => ({ x: b.x + d, y: b.y - d, width: b.width + 2, height: b.height - 2 });

let dir: string;
let cleanup: () => void;
let fixtures: Fixture[];
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('facenet-roundtrip-'));
  fixtures = await Promise.all(ORIENTATIONS.map((o) => makeOrientedJpeg(join(dir, `p${o}.jpg`), o, BOXES)));
});
afterAll(() => cleanup?.());

describe('export -> import', () => {
  it('reproduces the same named people on freshly detected faces, all 8 orientations', async () => {
    const progress: number[] = [];
    const people = (o: number): [string, string] => [`Ann ${o}`, `Ben ${o}`];
    const res = await writeFaceSidecars(
      fixtures.map((f) => ({
        photoPath: f.path,
        regions: BOXES.map((box, i) => ({ name: people(f.orientation)[i], box })),
      })),
      { onProgress: (d) => progress.push(d) },
    );
    expect(res.errors).toEqual([]);
    expect(progress.at(-1)).toBe(8);
    for (const f of fixtures) {
      const { regions } = await readPhotoFaceRegions(f.path);
      const detected = [
        { id: 'face-b', box: jitter(BOXES[1]!, 1) },
        { id: 'face-a', box: jitter(BOXES[0]!, -1) },
        { id: 'face-c', box: { x: 130, y: 5, width: 20, height: 20 } },
      ];
      const m = matchRegionsToFaces(regions, detected);
      expect(m.matched.map((p) => [p.region.name, p.face.id]).sort()).toEqual([
        [people(f.orientation)[0], 'face-a'],
        [people(f.orientation)[1], 'face-b'],
      ]);
      expect(m.unmatchedRegions).toEqual([]);
      expect(m.unmatchedFaces.map((x) => x.id)).toEqual(['face-c']);
    }
  });

  it('reports per-photo failures and honours a target override', async () => {
    const f = fixtures[0]!;
    const other = fixtures[1]!;
    await writeFile(sidecarPath(other.path), '<broken');
    await mkdir(join(dir, 'out'), { recursive: true });
    const target = join(dir, 'out', 'p1.jpg.xmp');
    const res = await writeFaceSidecars([
      { photoPath: f.path, regions: [{ name: 'X', box: BOXES[0]! }], target },
      { photoPath: other.path, regions: [{ name: 'Y', box: BOXES[0]! }] },
    ]);
    expect(res.written).toEqual([{ photoPath: f.path, sidecar: target }]);
    expect(res.errors.map((e) => e.photoPath)).toEqual([other.path]);
    expect(await readFile(sidecarPath(other.path), 'utf8')).toBe('<broken');
    expect(await readFile(target, 'utf8')).toContain('mwg-rs:Name="X"');
  });

  it('matches one-to-one, best overlap first, and leaves weak overlaps unmatched', () => {
    const regions = [{ box: { x: 0, y: 0, width: 10, height: 10 } }, { box: { x: 2, y: 0, width: 10, height: 10 } }];
    const faces = [{ box: { x: 2, y: 0, width: 10, height: 10 } }, { box: { x: 50, y: 50, width: 10, height: 10 } }];
    const m = matchRegionsToFaces(regions, faces);
    expect(m.matched).toHaveLength(1);
    expect(m.matched[0]!.region).toBe(regions[1]);
    expect(m.unmatchedRegions).toEqual([regions[0]]);
    expect(m.unmatchedFaces).toEqual([faces[1]]);
  });
});
