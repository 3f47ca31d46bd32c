/**
 * `facenet detect` and `facenet verify`, run as a user runs them (the real CLI, real photos every clone has:
 * the face-api demo photos). What `detect` reports for a photo is what indexing finds in it (the same faces,
 * boxes in the same pixels); `verify` tells one person from two, and refuses a photo without a face, naming it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../../../src-shared/geometry.js';
import { createFaceAnalyzer } from '../../../../src-main/engine/vision/registry.js';
import { demoPhotos, hasDemoPhotos, writeMirrored } from '../../../helpers/demo-photos.js';
import { facenet } from '../../../helpers/facenet-cli.js';
import { tempDir } from '../../../helpers/tmp.js';

interface Detected {
  width: number;
  height: number;
  faces: Array<{ box: Box; score: number; landmarks: Array<{ x: number; y: number }> }>;
}

const present = hasDemoPhotos(1);

describe.skipIf(!present)(`facenet detect and verify${present ? '' : ' (skipped: no face-api demo photos)'}`, () => {
  const tmp = tempDir('facenet-detect-verify-');
  afterAll(() => tmp.cleanup());
  const photo = demoPhotos()[0]!;
  let detected: Detected;

  beforeAll(() => {
    const r = facenet(['detect', photo, '--json']);
    expect(r.code, r.stderr).toBe(0);
    detected = JSON.parse(r.stdout) as Detected;
  });

  it('detect reports the faces indexing finds, in the photo’s own pixels', async () => {
    const meta = await sharp(photo).rotate().metadata();
    expect([detected.width, detected.height]).toEqual([meta.width, meta.height]);
    expect(detected.faces.length).toBeGreaterThanOrEqual(3);

    const analyzer = await createFaceAnalyzer();
    let indexed;
    try {
      indexed = await analyzer.analyzePhoto(photo);
    } finally {
      await analyzer.dispose();
    }
    const byX = <T extends { box: Box }>(faces: T[]) => [...faces].sort((a, b) => a.box.x - b.box.x);
    const cli = byX(detected.faces);
    const app = byX(indexed.faces);
    expect(cli.length).toBe(app.length);
    cli.forEach((f, i) => {
      const a = app[i]!;
      // The CLI rounds to 0.1 px.
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(f.box[k] - a.box[k])).toBeLessThan(0.06);
      expect(f.landmarks.length).toBe(5);
      f.landmarks.forEach((p, j) => {
        expect(Math.abs(p.x - a.landmarks[j]!.x)).toBeLessThan(0.06);
        expect(Math.abs(p.y - a.landmarks[j]!.y)).toBeLessThan(0.06);
      });
    });
  });

  it('verify: a face and its mirror image are one person; two faces of one photo are two', async () => {
    // Two people of the same photo are two people; each face crop is a photo with one main face.
    const [a, b] = [...detected.faces].sort((x, y) => y.box.width - x.box.width);
    const crop = async (box: Box, file: string) => {
      const pad = box.width * 0.6;
      const left = Math.max(0, Math.round(box.x - pad));
      const top = Math.max(0, Math.round(box.y - pad));
      await sharp(photo)
        .rotate()
        .extract({
          left,
          top,
          width: Math.min(detected.width - left, Math.round(box.width + 2 * pad)),
          height: Math.min(detected.height - top, Math.round(box.height + 2 * pad)),
        })
        .jpeg({ quality: 95 })
        .toFile(join(tmp.dir, file));
      return join(tmp.dir, file);
    };
    const first = await crop(a!.box, 'first.jpg');
    const second = await crop(b!.box, 'second.jpg');
    const mirrored = join(tmp.dir, 'first-mirrored.jpg');
    await writeMirrored(first, mirrored);

    const verify = (x: string, y: string) => {
      const r = facenet(['verify', x, y, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { distance: number; threshold: number; same: boolean };
    };
    const one = verify(first, mirrored);
    expect(one.same).toBe(true);
    expect(one.distance).toBeLessThan(one.threshold);
    const two = verify(first, second);
    expect(two.same).toBe(false);
    expect(two.distance).toBeGreaterThan(two.threshold);
  });

  it('verify refuses a photo without a face, and detect a file that is not a photo, naming them', async () => {
    const blank = join(tmp.dir, 'wall.jpg');
    await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 190, b: 180 } } })
      .jpeg()
      .toFile(blank);
    const r = facenet(['verify', photo, blank]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`no face found in ${blank}`);

    const broken = join(tmp.dir, 'broken.jpg');
    writeFileSync(broken, readFileSync(photo).subarray(0, 200));
    const d = facenet(['detect', broken]);
    expect(d.code).not.toBe(0);
    expect(d.stderr).toContain('broken.jpg');
    expect(d.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
