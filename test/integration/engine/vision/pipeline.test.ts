/**
 * The full pipeline on real photos with the real ONNX models: detection recall on group photos, small
 * faces in a 12-megapixel photo, unit embeddings that separate identities, and bad input.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { iou } from '../../../../src-shared/geometry.js';
import { squaredL2 } from '../../../../src-shared/vectors.js';
import { PhotoError } from '../../../../src-main/engine/vision/analysis.js';
import type { FaceAnalyzer } from '../../../../src-main/engine/vision/pipeline.js';
import { createFaceAnalyzer } from '../../../../src-main/engine/vision/registry.js';
import { hasShared, SHARED_DIR } from '../../../helpers/shared.js';

const faces = join(SHARED_DIR, 'faces');

/** Annotated face counts of ../shared/faces/_group (from its README, dlib's training.xml/testing.xml). */
const ANNOTATED: Record<string, number> = {
  '2007_007763.jpg': 7,
  '2008_001009.jpg': 2,
  '2008_001322.jpg': 3,
  '2008_002079.jpg': 6,
  '2008_002470.jpg': 6,
  '2008_002506.jpg': 3,
  '2008_004176.jpg': 7,
  '2008_007676.jpg': 7,
  '2009_004587.jpg': 2,
};

describe.skipIf(!hasShared('faces'))('face pipeline on real photos', () => {
  let analyzer: FaceAnalyzer;
  beforeAll(async () => {
    analyzer = await createFaceAnalyzer();
  });

  it('finds at least 90% of the annotated faces in the group photos', async () => {
    let found = 0;
    let annotated = 0;
    for (const [file, count] of Object.entries(ANNOTATED)) {
      const result = await analyzer.analyzePhoto(join(faces, '_group', file));
      // Background faces may be unannotated, but a photo should not sprout many extra faces.
      expect(result.faces.length, file).toBeLessThanOrEqual(count + 3);
      found += Math.min(result.faces.length, count);
      annotated += count;
    }
    expect(found / annotated).toBeGreaterThanOrEqual(0.9);
  });

  it('finds at most one face-like thing across the five photos without people', async () => {
    let total = 0;
    for (const file of readdirSync(join(faces, '_noface'))) {
      total += (await analyzer.analyzePhoto(join(faces, '_noface', file))).faces.length;
    }
    expect(total).toBeLessThanOrEqual(1);
  });

  it('embeds each face as a unit vector with its pre-embedding features', async () => {
    const result = await analyzer.analyzePhoto(
      join(faces, 'celeba_07217', readdirSync(join(faces, 'celeba_07217'))[0]!),
    );
    expect(result.faces.length).toBeGreaterThanOrEqual(1);
    const face = result.faces[0]!;
    expect(face.embedding.length).toBe(analyzer.dimension);
    expect(Math.hypot(...face.embedding)).toBeCloseTo(1, 5);
    expect(face.features.length).toBeGreaterThan(0);
    expect(face.quality).toBeGreaterThan(0);
    expect(face.quality).toBeLessThanOrEqual(1);
    // Landmarks lie inside the box (eyes above mouth).
    const [le, re, , ml] = face.landmarks;
    expect(le.y).toBeLessThan(ml.y);
    expect(re.x).toBeGreaterThan(le.x);
  });

  it('puts photos of the same person closer than photos of different people', async () => {
    const people = readdirSync(faces)
      .filter((d) => d.startsWith('celeba_'))
      .sort()
      .slice(0, 8);
    const embeddings: Array<{ person: string; e: Float32Array }> = [];
    for (const person of people) {
      for (const file of readdirSync(join(faces, person)).sort().slice(0, 3)) {
        const result = await analyzer.analyzePhoto(join(faces, person, file));
        expect(result.faces.length, `${person}/${file}`).toBeGreaterThanOrEqual(1);
        const main = result.faces.reduce((a, b) => (b.box.width > a.box.width ? b : a));
        embeddings.push({ person, e: main.embedding });
      }
    }
    let same = 0;
    let sameN = 0;
    let diff = 0;
    let diffN = 0;
    for (let i = 0; i < embeddings.length; i++) {
      for (let j = i + 1; j < embeddings.length; j++) {
        const d = squaredL2(embeddings[i]!.e, embeddings[j]!.e);
        if (embeddings[i]!.person === embeddings[j]!.person) {
          same += d;
          sameN++;
        } else {
          diff += d;
          diffN++;
        }
      }
    }
    expect(same / sameN).toBeLessThan(0.6 * (diff / diffN));
  });

  it('finds 40-pixel faces in a 12-megapixel photo, at their true position', async () => {
    // Cut a real face out of a group photo, shrink it to 40 px wide and paste it onto a 4000x3000 canvas.
    const source = join(faces, '_group', '2008_001009.jpg');
    const detected = await analyzer.analyzePhoto(source);
    const face = detected.faces[0]!;
    const margin = face.box.width * 0.6;
    const left = Math.max(0, Math.round(face.box.x - margin));
    const top = Math.max(0, Math.round(face.box.y - margin));
    const size = Math.round(face.box.width + 2 * margin);
    const scale = 40 / face.box.width;
    const patchSize = Math.round(size * scale);
    const patch = await sharp(source)
      .extract({ left, top, width: size, height: size })
      .resize(patchSize, patchSize)
      .toBuffer();
    const spots = [
      { x: 700, y: 500 },
      { x: 2100, y: 1600 },
      { x: 3500, y: 2600 },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'facenet-small-'));
    const path = join(dir, 'twelve-megapixels.jpg');
    writeFileSync(
      path,
      await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 120, g: 130, b: 125 } } })
        .composite(spots.map((s) => ({ input: patch, left: s.x, top: s.y })))
        .jpeg({ quality: 92 })
        .toBuffer(),
    );
    const result = await analyzer.analyzePhoto(path);
    for (const s of spots) {
      const expected = {
        x: s.x + (face.box.x - left) * scale,
        y: s.y + (face.box.y - top) * scale,
        width: 40,
        height: face.box.height * scale,
      };
      const match = result.faces.find((f) => iou(f.box, expected) > 0.4);
      expect(match, `face at ${s.x},${s.y}`).toBeDefined();
    }
  });

  it('reports a corrupt photo as a PhotoError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facenet-bad-'));
    const path = join(dir, 'broken.jpg');
    writeFileSync(path, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    const error = await analyzer.analyzePhoto(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhotoError);
    expect((error as PhotoError).path).toBe(path);
  });
});
