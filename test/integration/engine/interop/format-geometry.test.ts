/**
 * XMP face regions are relative to a photo's stored pixels and its orientation: for HEIC and RAW files the
 * geometry the exporter and importer use (photoGeometry) is the one the app displays and finds faces in.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photoGeometry } from '../../../../src-main/engine/interop/sidecar.js';
import { decodePhoto } from '../../../../src-main/engine/vision/decode.js';
import { demoPhotos } from '../../../helpers/demo-photos.js';
import { everyFormatFolder, toolMissing } from '../../../helpers/format-fixtures.js';
import { hasShared, SHARED_DIR } from '../../../helpers/shared.js';
import { tempDir } from '../../../helpers/tmp.js';

const missing = toolMissing('heif-enc') ?? toolMissing('exiftool');
if (missing) console.warn(`skipping the HEIC/RAW geometry test: ${missing}`);
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.skipIf(missing !== null)('photoGeometry of every format', () => {
  it('is the displayed size the app decodes, with the orientation that turns the stored pixels into it', async () => {
    const dir = join(tmp.dir, 'photos');
    mkdirSync(dir);
    const sources = hasShared('faces/_group')
      ? ['2007_007763.jpg', '2008_001009.jpg', '2008_001322.jpg'].map((f) => join(SHARED_DIR, 'faces/_group', f))
      : demoPhotos();
    const files = await everyFormatFolder(dir, sources);
    const expected: Record<string, number> = { HEIC: 6, 'RAW (DNG)': 8, 'RAW (CR3)': 3, 'RAW (RAF)': 6, JPEG: 1 };
    for (const [format, path] of Object.entries(files)) {
      const geometry = await photoGeometry(path);
      const decoded = await decodePhoto(path);
      expect({ format, width: geometry.width, height: geometry.height }).toEqual({
        format,
        width: decoded.width,
        height: decoded.height,
      });
      if (format in expected) expect(geometry.orientation, format).toBe(expected[format]);
    }
  }, 120_000);
});
