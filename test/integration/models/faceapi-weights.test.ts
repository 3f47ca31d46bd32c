/**
 * models/convert/faceapi/weights.ts decodes face-api's manifests exactly like tfjs does (tf.io.decodeWeights), including the
 * uint8 de-quantisation q * scale + min, and the layer helpers translate layouts and paddings correctly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { convFromTf, depthwiseFromTf, foldAffine } from '../../../models/convert/faceapi/layers.js';
import { tfFilterToOnnx, tfPadding } from '../../../models/convert/tfjs-ops.js';
import { faceApiModelDir, loadWeights } from '../../../models/convert/faceapi/weights.js';

describe('face-api weights', () => {
  it.each(['face_recognition_model', 'face_landmark_68_model', 'ssd_mobilenetv1_model'])(
    '%s decodes to the same values as tf.io.decodeWeights',
    async (model) => {
      const dir = faceApiModelDir();
      const groups = JSON.parse(readFileSync(join(dir, `${model}-weights_manifest.json`), 'utf8')) as Array<{
        paths: string[];
        weights: tf.io.WeightsManifestEntry[];
      }>;
      const { weights } = loadWeights(model);
      let checked = 0;
      for (const group of groups) {
        const buffer = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
        const bytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
        const reference = tf.io.decodeWeights(bytes, group.weights);
        for (const spec of group.weights) {
          const ours = weights.get(spec.name)!;
          expect(ours.shape).toEqual(spec.shape);
          const expected = reference[spec.name]!.dataSync();
          expect(ours.data.length).toBe(expected.length);
          for (let i = 0; i < expected.length; i++)
            if (ours.data[i] !== expected[i]) expect(ours.data[i]).toBe(expected[i]);
          checked++;
        }
        tf.dispose(Object.values(reference));
      }
      expect(checked).toBe(weights.size);
    },
  );

  it('reports uint8 quantisation as real de-quantised floats', () => {
    const { weights } = loadWeights('face_recognition_model');
    const fc = weights.get('fc')!;
    expect(fc.shape).toEqual([256, 128]);
    // 256 levels at most per uint8-quantised tensor.
    expect(new Set(fc.data).size).toBeLessThanOrEqual(256);
  });
});

describe('layer helpers', () => {
  it('computes TensorFlow "same" padding with the odd pixel at the end', () => {
    expect(tfPadding(112, 3, 2, 'same')).toEqual({ out: 56, begin: 0, end: 1 });
    expect(tfPadding(56, 3, 1, 'same')).toEqual({ out: 56, begin: 1, end: 1 });
    expect(tfPadding(150, 7, 2, 'valid')).toEqual({ out: 72, begin: 0, end: 0 });
    expect(tfPadding(8, 3, 2, 'valid')).toEqual({ out: 3, begin: 0, end: 0 });
    // Dilation (tfjs-graph models): a 3-tap kernel with dilation 2 spans 5 pixels.
    expect(tfPadding(10, 3, 1, 'same', 2)).toEqual({ out: 10, begin: 2, end: 2 });
    expect(tfPadding(10, 3, 1, 'valid', 2)).toEqual({ out: 6, begin: 0, end: 0 });
  });

  it('reorders a depthwise filter with a channel multiplier to [C*M, 1, kh, kw] (tfjs-graph)', () => {
    // [kh=1, kw=2, C=2, M=2]: value = 100*x + 10*c + m
    const data = Float32Array.from({ length: 8 }, (_, k) => {
      const [x, c, m] = [Math.floor(k / 4), Math.floor(k / 2) % 2, k % 2];
      return 100 * x + 10 * c + m;
    });
    const { weight, dims } = tfFilterToOnnx(data, [1, 2, 2, 2], true, new Float32Array(8));
    expect(dims).toEqual([4, 1, 1, 2]);
    // output channel c*M + m, tap x
    expect(Array.from(weight)).toEqual([0, 100, 1, 101, 10, 110, 11, 111]);
  });

  it('reorders tfjs HWIO / depthwise filters to ONNX OIHW and folds affines', () => {
    // [kh=1, kw=2, in=2, out=3]: value = 1000*y + 100*x + 10*i + o
    const data = new Float32Array(12);
    for (let x = 0; x < 2; x++)
      for (let i = 0; i < 2; i++) for (let o = 0; o < 3; o++) data[(x * 2 + i) * 3 + o] = 100 * x + 10 * i + o;
    const w = convFromTf({ name: 'w', shape: [1, 2, 2, 3], data, dtype: 'float32' });
    expect(w.dims).toEqual([3, 2, 1, 2]);
    expect(w.weight[((2 * 2 + 1) * 1 + 0) * 2 + 1]).toBe(100 + 10 + 2);
    const folded = foldAffine({ ...w, bias: Float64Array.from([1, 2, 3]) }, [2, 2, 2], [0, 1, 0]);
    expect(Array.from(folded.bias)).toEqual([2, 5, 6]);
    expect(folded.weight[((2 * 2 + 1) * 1 + 0) * 2 + 1]).toBe(2 * 112);
    const dw = depthwiseFromTf({
      name: 'd',
      shape: [1, 2, 3, 1],
      data: Float32Array.from([0, 1, 2, 10, 11, 12]),
      dtype: 'float32',
    });
    expect(dw.dims).toEqual([3, 1, 1, 2]);
    expect(Array.from(dw.weight)).toEqual([0, 10, 1, 11, 2, 12]);
  });
});
