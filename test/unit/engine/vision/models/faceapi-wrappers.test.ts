/** The pure pre- and post-processing functions of the face-api wrappers (no model files needed). */
import { describe, expect, it } from 'vitest';
import { packNhwc } from '../../../../../src-main/engine/vision/models/model-files.js';
import { landmarkOutput } from '../../../../../src-main/engine/vision/models/faceapi-landmark68.js';
import {
  recognitionInput,
  recognitionOutput,
} from '../../../../../src-main/engine/vision/models/faceapi-recognition.js';

const image = (w: number, h: number, fill: number) => ({
  data: new Uint8Array(w * h * 3).fill(fill),
  width: w,
  height: h,
});

describe('face-api wrapper pre/post-processing', () => {
  it('packs RGB crops as raw 0..255 NHWC floats and rejects wrong sizes', () => {
    const packed = packNhwc([image(2, 2, 7), image(2, 2, 255)], 2, 2);
    expect(packed.length).toBe(24);
    expect(packed[0]).toBe(7);
    expect(packed[23]).toBe(255);
    expect(() => packNhwc([image(3, 2, 0)], 2, 2)).toThrow(/2x2/);
    expect(recognitionInput([image(150, 150, 1)]).dims).toEqual([1, 150, 150, 3]);
  });

  it('splits batched recognition outputs per face', () => {
    const embedding = Float32Array.from({ length: 256 }, (_, i) => i);
    const features = Float32Array.from({ length: 512 }, (_, i) => -i);
    const [a, b] = recognitionOutput(embedding, features, 2);
    expect(a!.embedding[127]).toBe(127);
    expect(b!.embedding[0]).toBe(128);
    expect(b!.features[0]).toBe(-256);
    expect(b!.features.length).toBe(256);
  });

  it('turns relative x, y pairs into crop pixels', () => {
    const rel = new Float32Array(272);
    rel[0] = 0.5;
    rel[1] = 0.25;
    rel[136 + 135] = 1;
    const points = landmarkOutput(rel, 2);
    expect(points[0]![0]).toEqual({ x: 56, y: 28 });
    expect(points[1]![67]).toEqual({ x: 0, y: 112 });
  });
});
