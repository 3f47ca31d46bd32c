/**
 * The TFJS-graph converter without the reference runtime: deterministic output, weight de-quantisation,
 * the recipes' declared outputs, and BlazeFace's pure post-processing (anchors, decoding, weighted NMS).
 */
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { halfToFloat } from '../../../models/convert/tfjs-graph/load.js';
import { tfjsGraphRecipes } from '../../../models/convert/tfjs-graph/index.js';
import {
  decodeAnchor,
  FULL_RANGE_ANCHORS,
  generateAnchors,
  SHORT_RANGE_ANCHORS,
  sigmoidScore,
  weightedNms,
} from '../../../src-main/engine/vision/models/blazeface-decode.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('tfjs-graph recipes', () => {
  for (const recipe of tfjsGraphRecipes) {
    it(`${recipe.id}: builds deterministically into a loadable model with the declared outputs`, async () => {
      const first = await recipe.build();
      const second = await recipe.build();
      expect(sha(second.bytes)).toBe(sha(first.bytes));
      const session = await ort.InferenceSession.create(first.bytes, { intraOpNumThreads: 1 });
      expect(session.inputNames).toEqual(['input']);
      expect([...session.outputNames].sort()).toEqual(first.manifest.outputs.map((o) => o.name).sort());
      const size = first.manifest.input.shape[1] as number;
      const out = await session.run({
        input: new ort.Tensor('float32', new Float32Array(2 * size * size * 3).fill(100), [2, size, size, 3]),
      });
      for (const spec of first.manifest.outputs) {
        expect(out[spec.name]!.dims).toEqual(spec.shape.map((d) => (d === 'batch' ? 2 : d)));
      }
      await session.release();
    });
  }
});

describe('float16 de-quantisation', () => {
  it('decodes normals, subnormals, zero, infinity', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x0000)).toBe(0);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
  });
});

describe('BlazeFace post-processing', () => {
  it('generates MediaPipe anchors in output order', () => {
    const full = generateAnchors(FULL_RANGE_ANCHORS);
    expect(full.length / 2).toBe(2304);
    expect([...full.subarray(0, 4)]).toEqual([2, 2, 6, 2]); // 48x48 grid, stride 4, row-major
    const short = generateAnchors(SHORT_RANGE_ANCHORS);
    expect(short.length / 2).toBe(896);
    expect([...short.subarray(0, 4)]).toEqual([4, 4, 4, 4]); // two anchors per 16x16 cell
    expect([...short.subarray(512 * 2, 512 * 2 + 2)]).toEqual([8, 8]); // first 8x8 cell, stride 16
    expect([...short.subarray(-2)]).toEqual([120, 120]);
  });

  it('decodes regressors relative to the anchor centre, in pixels', () => {
    const anchors = Float32Array.from([10, 20]);
    const r = Float32Array.from([1, -2, 8, 6, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const { box, keypoints } = decodeAnchor(r, anchors, 0);
    expect(box).toEqual({ x: 7, y: 15, width: 8, height: 6 });
    expect(keypoints[0]).toEqual({ x: 10, y: 20 });
    expect(keypoints[5]).toEqual({ x: 15, y: 25 });
    expect(sigmoidScore(0)).toBe(0.5);
    expect(sigmoidScore(1e6)).toBeCloseTo(1, 10);
  });

  it('weighted NMS blends overlapping boxes by score and keeps disjoint ones', () => {
    const kp = (x: number) => Array.from({ length: 6 }, () => ({ x, y: x }));
    const out = weightedNms([
      { score: 0.9, box: { x: 0, y: 0, width: 10, height: 10 }, keypoints: kp(0) },
      { score: 0.6, box: { x: 1, y: 1, width: 10, height: 10 }, keypoints: kp(3) },
      { score: 0.8, box: { x: 50, y: 50, width: 10, height: 10 }, keypoints: kp(50) },
    ]);
    expect(out).toHaveLength(2);
    expect(out[0]!.score).toBe(0.9);
    expect(out[0]!.box.x).toBeCloseTo(0.4, 6); // (0 * 0.9 + 1 * 0.6) / 1.5
    expect(out[0]!.keypoints[0]!.x).toBeCloseTo(1.2, 6);
    expect(out[1]!.box.x).toBe(50);
  });
});
