/**
 * EXIF orientation (1-8) as sharp operations on pixels that do not carry the tag themselves (HEIF pixels from
 * libheif, a RAW's embedded JPEG whose orientation lives in the RAW). Checked against sharp's own
 * auto-orientation of tagged images for all eight values (test/unit/engine/vision/formats/orientation.test.ts).
 */
import type { Sharp } from 'sharp';

/** [rotation in degrees clockwise, then flop (mirror left-right)] for each orientation. */
const OPS: Record<number, [0 | 90 | 180 | 270, boolean]> = {
  1: [0, false],
  2: [0, true],
  3: [180, false],
  4: [180, true],
  5: [270, true],
  6: [90, false],
  7: [90, true],
  8: [270, false],
};

/** Applies orientation `o` (anything else than 2-8 leaves the pixels as they are). */
export function orient(image: Sharp, o: number | undefined): Sharp {
  const [angle, flop] = OPS[o ?? 1] ?? OPS[1]!;
  let out = angle ? image.rotate(angle) : image;
  if (flop) out = out.flop();
  return out;
}

/** Orientations 5-8 swap width and height. */
export function swapsAxes(o: number | undefined): boolean {
  return (o ?? 1) >= 5 && (o ?? 1) <= 8;
}
