import { describe, expect, it } from 'vitest';
import {
  boxToStoredRect,
  displayedToStored,
  orientedImageFromStored,
  storedRectToBox,
  storedSize,
  storedToDisplayed,
  toOrientation,
} from '../../../../src-main/engine/interop/orientation.js';
import {
  boxToMpRect,
  boxToMwgArea,
  formatMpRect,
  formatNormalised,
  mpRectToBox,
  mwgAreaToBox,
  parseMpRect,
} from '../../../../src-main/engine/interop/regions.js';
import { near, ORIENTATIONS } from '../../../helpers/oriented-photos.js';

const close = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThan(1e-9);

describe('orientation maths', () => {
  it('maps the stored top-left corner where the EXIF spec puts row 0 / column 0', () => {
    // Corner of the stored image, as a tiny rect, and where its centre shows up on screen.
    const tl = { x: 0, y: 0, w: 0.1, h: 0.1 };
    const expected: Record<number, [number, number]> = {
      1: [0.05, 0.05], // top-left
      2: [0.95, 0.05], // top-right (mirrored)
      3: [0.95, 0.95], // bottom-right
      4: [0.05, 0.95], // bottom-left
      5: [0.05, 0.05], // transpose keeps the corner
      6: [0.95, 0.05], // 90 CW: row 0 becomes the right column
      7: [0.95, 0.95],
      8: [0.05, 0.95], // 90 CCW: row 0 becomes the left column
    };
    for (const o of ORIENTATIONS) {
      const d = storedToDisplayed(tl, o);
      close(d.x + d.w / 2, expected[o]![0]);
      close(d.y + d.h / 2, expected[o]![1]);
    }
  });

  it('round-trips every orientation, and swaps axes for 5..8', () => {
    const r = { x: 0.1, y: 0.2, w: 0.3, h: 0.15 };
    for (const o of ORIENTATIONS) {
      const back = displayedToStored(storedToDisplayed(r, o), o);
      close(back.x, r.x);
      close(back.y, r.y);
      close(back.w, r.w);
      close(back.h, r.h);
      const d = storedToDisplayed(r, o);
      if (o >= 5) {
        close(d.w, r.h);
        close(d.h, r.w);
      } else {
        close(d.w, r.w);
        close(d.h, r.h);
      }
    }
  });

  it('converts pixel boxes both ways and clamps boxes overhanging the edge', () => {
    for (const o of ORIENTATIONS) {
      const image = orientedImageFromStored(400, 300, o);
      expect(storedSize(image)).toEqual({ width: 400, height: 300 });
      const box = { x: 12, y: 34, width: 56, height: 78 };
      const back = storedRectToBox(boxToStoredRect(box, image), image);
      close(back.x, box.x);
      close(back.y, box.y);
      close(back.width, box.width);
      close(back.height, box.height);
      const mwg = mwgAreaToBox(boxToMwgArea(box, image), image);
      close(mwg.x, box.x);
      const mp = mpRectToBox(boxToMpRect(box, image), image);
      close(mp.height, box.height);
    }
    const image = orientedImageFromStored(100, 100, 1);
    expect(
      near(boxToStoredRect({ x: -10, y: 90, width: 30, height: 30 }, image), { x: 0, y: 0.9, w: 0.2, h: 0.1 }),
    ).toBe(true);
  });

  it('MWG centres and MP top-left corners describe the same rectangle', () => {
    const image = orientedImageFromStored(200, 100, 1);
    expect(near(boxToMwgArea({ x: 20, y: 10, width: 40, height: 20 }, image), { x: 0.2, y: 0.2, w: 0.2, h: 0.2 })).toBe(
      true,
    );
    expect(
      near(boxToMpRect({ x: 20, y: 10, width: 40, height: 20 }, image), {
        left: 0.1,
        top: 0.1,
        width: 0.2,
        height: 0.2,
      }),
    ).toBe(true);
  });

  it('formats and parses numbers and rectangles', () => {
    expect(formatNormalised(0.5)).toBe('0.5');
    expect(formatNormalised(1 / 3)).toBe('0.333333');
    expect(formatNormalised(0)).toBe('0');
    expect(formatNormalised(1)).toBe('1');
    expect(formatMpRect({ left: 0.25, top: 0.5, width: 0.125, height: 1 })).toBe('0.25, 0.5, 0.125, 1');
    expect(parseMpRect(' 0.25,0.5 , 0.125, 1 ')).toEqual({ left: 0.25, top: 0.5, width: 0.125, height: 1 });
    expect(parseMpRect('0.25, 0.5, x, 1')).toBeUndefined();
    expect(parseMpRect('0.25, 0.5, 1')).toBeUndefined();
    expect(toOrientation('6')).toBe(6);
    expect(toOrientation(undefined)).toBe(1);
    expect(toOrientation(9)).toBe(1);
  });
});
