/**
 * Face alignment: a least-squares similarity transform from template points (chip pixels) onto detected
 * landmarks (image pixels), then bilinear sampling of the chip from the full-resolution image.
 *
 * The transform is estimated chip -> image (like dlib's chip_details), so sampling needs no inversion.
 */
import type { Point } from '../../../src-shared/geometry.js';
import type { RgbImage } from './types.js';

/** x' = a*x - b*y + tx ; y' = b*x + a*y + ty  (rotation + uniform scale + translation, no reflection). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export function applySimilarity(t: Similarity, p: Point): Point {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

/** Scale factor of the transform (image pixels per chip pixel). */
export function similarityScale(t: Similarity): number {
  return Math.hypot(t.a, t.b);
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/**
 * Least-squares similarity transform mapping `from[i]` onto `to[i]` (Umeyama without reflection).
 * Closed form: centre both sets; a = sum(f.t)/sum|f|^2, b = sum(f x t)/sum|f|^2.
 */
export function estimateSimilarity(from: Point[], to: Point[]): Similarity {
  if (from.length !== to.length || from.length < 2) {
    throw new Error(`estimateSimilarity: need >= 2 matching points, got ${from.length} and ${to.length}`);
  }
  const n = from.length;
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x;
    fy += from[i]!.y;
    tx += to[i]!.x;
    ty += to[i]!.y;
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const ux = from[i]!.x - fx;
    const uy = from[i]!.y - fy;
    const vx = to[i]!.x - tx;
    const vy = to[i]!.y - ty;
    dot += ux * vx + uy * vy;
    cross += ux * vy - uy * vx;
    norm += ux * ux + uy * uy;
  }
  if (norm === 0) throw new Error('estimateSimilarity: template points are all identical');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

/** How many halvings warpChip box-averages the image by before sampling a chip with this transform. */
function chipLevel(chipToImage: Similarity): number {
  const scale = similarityScale(chipToImage);
  return scale > 1.5 ? Math.floor(Math.log2(scale / 1.5)) + 1 : 0;
}

/**
 * The resolution (image pixels per pixel of `chipToImage`'s image) that warpChip actually samples this chip
 * from: 1, or 1/2^k when it box-averages first. An image at least this fine gives the chip the same detail.
 */
export function chipSourceScale(chipToImage: Similarity): number {
  return 2 ** -chipLevel(chipToImage);
}

/** The corners of a `size` chip in the image, through `chipToImage`. */
export function chipCorners(chipToImage: Similarity, size: number): Point[] {
  return [
    { x: 0, y: 0 },
    { x: size, y: 0 },
    { x: 0, y: size },
    { x: size, y: size },
  ].map((p) => applySimilarity(chipToImage, p));
}

/**
 * Samples a size x size chip: chip pixel (u, v) takes the image colour at chipToImage(u, v), bilinear.
 * When the chip is much smaller than the face (scale > 1.5), the image is first box-averaged by the
 * nearest power of two around the face, so the chip is not aliased (dlib does the same with a pyramid).
 * Pixels outside the image are black.
 */
export function warpChip(image: RgbImage, chipToImage: Similarity, size: number): RgbImage {
  const level = chipLevel(chipToImage);
  if (level === 0) return sampleBilinear(image, chipToImage, size);
  const factor = 2 ** level;
  // Only the region under the chip is downsampled.
  const corners = chipCorners(chipToImage, size);
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x)) / factor) * factor - factor);
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.y)) / factor) * factor - factor);
  const x1 = Math.min(image.width, Math.ceil(Math.max(...corners.map((p) => p.x))) + factor);
  const y1 = Math.min(image.height, Math.ceil(Math.max(...corners.map((p) => p.y))) + factor);
  if (x1 <= x0 || y1 <= y0) return { data: new Uint8Array(size * size * 3), width: size, height: size };
  const small = boxDownsample(image, x0, y0, x1, y1, factor);
  // Map chip -> small image: image coords (x - x0) / factor, with pixel centres kept aligned.
  const t: Similarity = {
    a: chipToImage.a / factor,
    b: chipToImage.b / factor,
    tx: (chipToImage.tx - x0 + 0.5) / factor - 0.5,
    ty: (chipToImage.ty - y0 + 0.5) / factor - 0.5,
  };
  return sampleBilinear(small, t, size);
}

function sampleBilinear(image: RgbImage, t: Similarity, size: number): RgbImage {
  const out = new Uint8Array(size * size * 3);
  const { data, width, height } = image;
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const x = t.a * u - t.b * v + t.tx;
      const y = t.b * u + t.a * v + t.ty;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      const o = (v * size + u) * 3;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        // All four neighbours inside: the same arithmetic as below without the per-sample bounds checks.
        const i00 = (y0 * width + x0) * 3;
        const i01 = i00 + width * 3;
        for (let c = 0; c < 3; c++) {
          const p00 = data[i00 + c]!;
          const p10 = data[i00 + 3 + c]!;
          const p01 = data[i01 + c]!;
          const p11 = data[i01 + 3 + c]!;
          const top = p00 + (p10 - p00) * fx;
          const bottom = p01 + (p11 - p01) * fx;
          out[o + c] = Math.round(top + (bottom - top) * fy);
        }
        continue;
      }
      for (let c = 0; c < 3; c++) {
        const p00 = pixel(data, width, height, x0, y0, c);
        const p10 = pixel(data, width, height, x0 + 1, y0, c);
        const p01 = pixel(data, width, height, x0, y0 + 1, c);
        const p11 = pixel(data, width, height, x0 + 1, y0 + 1, c);
        const top = p00 + (p10 - p00) * fx;
        const bottom = p01 + (p11 - p01) * fx;
        out[o + c] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
  return { data: out, width: size, height: size };
}

function pixel(data: Uint8Array, width: number, height: number, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return data[(y * width + x) * 3 + c]!;
}

/** Averages factor x factor blocks of the region [x0,x1) x [y0,y1). */
function boxDownsample(image: RgbImage, x0: number, y0: number, x1: number, y1: number, factor: number): RgbImage {
  const w = Math.max(1, Math.ceil((x1 - x0) / factor));
  const h = Math.max(1, Math.ceil((y1 - y0) / factor));
  // Integer sums (exact, like the float ones they replace) and counts; one output row of cells at a time.
  const sums = new Uint32Array(w * h * 3);
  const counts = new Uint32Array(w * h);
  const src = image.data;
  for (let y = y0; y < y1; y++) {
    const rowCell = (((y - y0) / factor) | 0) * w;
    let s = (y * image.width + x0) * 3;
    for (let x = x0; x < x1; x++, s += 3) {
      const cell = rowCell + (((x - x0) / factor) | 0);
      const d = cell * 3;
      sums[d]! += src[s]!;
      sums[d + 1]! += src[s + 1]!;
      sums[d + 2]! += src[s + 2]!;
      counts[cell]! += 1;
    }
  }
  const out = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const n = counts[i] || 1;
    out[i * 3] = Math.round(sums[i * 3]! / n);
    out[i * 3 + 1] = Math.round(sums[i * 3 + 1]! / n);
    out[i * 3 + 2] = Math.round(sums[i * 3 + 2]! / n);
  }
  return { data: out, width: w, height: h };
}

/** Mirrors an RGB image left-right (for flip test-time augmentation). */
export function flipHorizontal(image: RgbImage): RgbImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      const d = (y * width + (width - 1 - x)) * 3;
      out[d] = data[s]!;
      out[d + 1] = data[s + 1]!;
      out[d + 2] = data[s + 2]!;
    }
  }
  return { data: out, width, height };
}

/** Copies a rectangle (may extend past the image: outside is black) into a new image. */
export function cropRgb(image: RgbImage, x: number, y: number, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) {
    const sy = y + row;
    if (sy < 0 || sy >= image.height) continue;
    const sx0 = Math.max(0, x);
    const sx1 = Math.min(image.width, x + width);
    if (sx1 <= sx0) continue;
    const src = (sy * image.width + sx0) * 3;
    out.set(image.data.subarray(src, src + (sx1 - sx0) * 3), (row * width + (sx0 - x)) * 3);
  }
  return { data: out, width, height };
}
