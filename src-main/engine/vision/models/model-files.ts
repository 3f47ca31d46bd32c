/**
 * Shared plumbing for the ONNX model wrappers: where the model files live and how RGB images become the
 * raw 0..255 NHWC float batch the graphs take (each graph normalises its input itself).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '../types.js';

/**
 * models/onnx/<id>.onnx. `FACENET_MODELS_DIR` overrides the folder (the packaged app points it at its
 * resources). Otherwise walks up from this module to the folder holding package.json, so the path is
 * the same whether we run from source (tsx) or from a compiled copy under dist/.
 */
export function onnxModelPath(id: string): string {
  if (process.env.FACENET_MODELS_DIR) return join(process.env.FACENET_MODELS_DIR, `${id}.onnx`);
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  if (!existsSync(join(dir, 'package.json'))) dir = fileURLToPath(new URL('../../../../', import.meta.url));
  return join(dir, 'models', 'onnx', `${id}.onnx`);
}

/** Packs equally sized RGB images into one [batch, height, width, 3] float32 buffer of 0..255 values. */
export function packNhwc(images: readonly RgbImage[], width: number, height: number): Float32Array {
  const plane = width * height * 3;
  const out = new Float32Array(images.length * plane);
  images.forEach((image, i) => {
    if (image.width !== width || image.height !== height) {
      throw new Error(`expected a ${width}x${height} image, got ${image.width}x${image.height} (index ${i})`);
    }
    if (image.data.length !== plane) throw new Error(`image ${i}: ${image.data.length} bytes, expected ${plane}`);
    out.set(image.data, i * plane);
  });
  return out;
}
