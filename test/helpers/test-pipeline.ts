/**
 * TEST DOUBLE of the FacePipeline interface, not a face detector. It really decodes the file with sharp (EXIF
 * auto-orient), so missing, empty, corrupt and unsupported files fail with the PhotoError a real pipeline gives;
 * then it "detects" a face in every cell of a GRID x GRID grid whose mean colour is strongly red (R > 150, G < 100),
 * as drawn by test/helpers/images.ts. The embedding is a deterministic unit vector derived from the cell's mean
 * blue level (the drawn "identity"), so identical content gives identical faces and the same identity in two
 * photos gives the same embedding. `delayMs` makes it artificially slow (crash-and-resume test).
 */
import { stat } from 'node:fs/promises';
import sharp, { type OutputInfo } from 'sharp';
import type { FivePoints } from '../../src-shared/geometry.js';
import type { AnalyzedFace, PhotoAnalysis } from '../../src-shared/analysis.js';
import { PhotoError, type FacePipeline } from '../../src-main/engine/vision/analysis.js';
import { openPhoto } from '../../src-main/engine/vision/formats/open.js';

export const GRID = 4;
export const EMBEDDING_DIM = 16;

export interface TestPipelineOptions {
  modelVersion?: string;
  delayMs?: number;
  /**
   * 'sharp' (default): decode with sharp alone, as before; 'engine': through the engine's own decoder
   * (vision/formats/open.ts), so that HEIC and RAW files index too.
   */
  decoder?: 'sharp' | 'engine';
}

/** Deterministic unit vector for an identity number (xorshift seeded). */
export function identityVector(identity: number, dim = EMBEDDING_DIM): Float32Array {
  let s = (identity * 2654435761 + 12345) >>> 0 || 1;
  const v = new Float32Array(dim);
  let norm = 0;
  for (let i = 0; i < dim; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    v[i] = (s / 0xffffffff) * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  const n = Math.sqrt(norm);
  for (let i = 0; i < dim; i++) v[i] = v[i]! / n;
  return v;
}

async function decodeWithSharp(path: string): Promise<{ data: Buffer; info: OutputInfo }> {
  try {
    return await sharp(path).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    const msg = String(e);
    throw new PhotoError(path, /unsupported image format/i.test(msg) ? 'unsupported' : 'corrupt', msg);
  }
}

export class TestPipeline implements FacePipeline {
  readonly modelVersion: string;
  private readonly delayMs: number;
  private readonly decoder: 'sharp' | 'engine';
  calls = 0;

  constructor(options: TestPipelineOptions = {}) {
    this.modelVersion = options.modelVersion ?? 'test-pipeline-v1';
    this.delayMs = options.delayMs ?? 0;
    this.decoder = options.decoder ?? 'sharp';
  }

  async analyzePhoto(path: string): Promise<PhotoAnalysis> {
    this.calls++;
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (e) {
      throw new PhotoError(path, 'unreadable', String(e));
    }
    if (size === 0) throw new PhotoError(path, 'empty', 'zero-byte file');
    const decoded =
      this.decoder === 'engine'
        ? await (await openPhoto(path)).pixels().removeAlpha().raw().toBuffer({ resolveWithObject: true })
        : await decodeWithSharp(path);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const { data, info } = decoded;
    const { width, height, channels } = info;
    const cw = Math.floor(width / GRID);
    const ch = Math.floor(height / GRID);
    const faces: AnalyzedFace[] = [];
    for (let gy = 0; gy < GRID; gy++) {
      for (let gx = 0; gx < GRID; gx++) {
        let r = 0;
        let g = 0;
        let b = 0;
        // Inner half of the cell: robust to JPEG ringing at the edges.
        const x0 = gx * cw + Math.floor(cw / 4);
        const y0 = gy * ch + Math.floor(ch / 4);
        const n = Math.max(1, Math.floor(cw / 2) * Math.floor(ch / 2));
        for (let y = y0; y < y0 + Math.floor(ch / 2); y++) {
          for (let x = x0; x < x0 + Math.floor(cw / 2); x++) {
            const o = (y * width + x) * channels;
            r += data[o]!;
            g += data[o + 1]!;
            b += data[o + 2]!;
          }
        }
        r /= n;
        g /= n;
        b /= n;
        if (r <= 150 || g >= 100) continue;
        const identity = Math.round((b - 16) / 32);
        const box = { x: gx * cw, y: gy * ch, width: cw, height: ch };
        const p = (fx: number, fy: number): { x: number; y: number } => ({ x: box.x + fx * cw, y: box.y + fy * ch });
        const landmarks: FivePoints = [p(0.3, 0.35), p(0.7, 0.35), p(0.5, 0.55), p(0.35, 0.75), p(0.65, 0.75)];
        const embedding = identityVector(identity);
        faces.push({
          box,
          score: Math.min(1, r / 255),
          landmarks,
          quality: 0.9,
          embedding,
          features: embedding.map((v) => v * 3),
        });
      }
    }
    return { width, height, faces, modelVersion: this.modelVersion };
  }

  async dispose(): Promise<void> {}
}
