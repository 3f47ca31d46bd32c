/** Greedy NMS (src-main/engine/vision/nms.ts) and the SSD post-processing that uses it. */
import { describe, expect, it } from 'vitest';
import { ssdDetections } from '../../../../../src-main/engine/vision/models/faceapi-ssd-detector.js';
import { nonMaxSuppression } from '../../../../../src-main/engine/vision/nms.js';

const box = (x: number, y: number, w = 10, h = 10) => ({ x, y, width: w, height: h });

describe('nonMaxSuppression', () => {
  it('keeps the best box of an overlapping cluster and disjoint boxes', () => {
    const boxes = [box(0, 0), box(1, 0), box(50, 50), box(0, 1)];
    expect(nonMaxSuppression(boxes, [0.8, 0.9, 0.7, 0.6], { iouThreshold: 0.5, scoreThreshold: 0.5 })).toEqual([1, 2]);
  });

  it('drops scores at or below the threshold and honours maxOutputs', () => {
    const boxes = [box(0, 0), box(20, 0), box(40, 0)];
    expect(nonMaxSuppression(boxes, [0.5, 0.9, 0.6], { iouThreshold: 0.5, scoreThreshold: 0.5 })).toEqual([1, 2]);
    expect(nonMaxSuppression(boxes, [0.7, 0.9, 0.6], { iouThreshold: 0.5, scoreThreshold: 0, maxOutputs: 2 })).toEqual([
      1, 0,
    ]);
  });

  it('breaks score ties by index, whatever the input order', () => {
    const boxes = [box(0, 0), box(1, 1), box(100, 100)];
    expect(nonMaxSuppression(boxes, [0.9, 0.9, 0.9], { iouThreshold: 0.5, scoreThreshold: 0 })).toEqual([0, 2]);
  });

  it('keeps a box whose IoU equals the threshold (suppression needs strictly greater)', () => {
    // IoU of [0,10]x[0,10] and [0,10]x[0,30] ... 100 / 300 = 1/3
    const boxes = [box(0, 0, 10, 10), box(0, 0, 10, 30)];
    expect(nonMaxSuppression(boxes, [0.9, 0.8], { iouThreshold: 1 / 3, scoreThreshold: 0 })).toEqual([0, 1]);
    expect(nonMaxSuppression(boxes, [0.9, 0.8], { iouThreshold: 0.3, scoreThreshold: 0 })).toEqual([0]);
  });
});

describe('ssdDetections', () => {
  it('clips normalised (y1, x1, y2, x2) boxes after NMS and scales them to pixels', () => {
    const boxes = Float32Array.from([-0.1, 0.5, 0.25, 1.2, 0.5, 0.5, 0.75, 0.75, 0.5, 0.51, 0.75, 0.76]);
    const scores = Float32Array.from([0.9, 0.8, 0.7]);
    const dets = ssdDetections(boxes, scores, 0.5, 512, 512);
    expect(dets).toHaveLength(2);
    expect(dets[0]!.box).toEqual({ x: 256, y: 0, width: 256, height: 128 });
    expect(dets[1]!.box).toEqual({ x: 256, y: 256, width: 128, height: 128 });
    expect(dets[1]!.score).toBeCloseTo(0.8, 6);
  });
});
