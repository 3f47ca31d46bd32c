import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { normaliseExifDate, parseExifDate } from '../../../../src-main/engine/indexing/exif-date.js';
import { makePhoto } from '../../../helpers/images.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('EXIF date taken', () => {
  it('reads DateTimeOriginal from a JPEG written with EXIF', async () => {
    const file = join(tmp.dir, 'a.jpg');
    await makePhoto(file, { takenAt: '2019:07:14 15:30:45' });
    expect(parseExifDate((await sharp(file).metadata()).exif)).toBe('2019-07-14T15:30:45');
  });

  it('prefers DateTimeOriginal over IFD0 DateTime, and falls back to it', async () => {
    const both = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .jpeg()
      .withExif({ IFD0: { DateTime: '2001:01:01 00:00:00' }, IFD2: { DateTimeOriginal: '1999:12:31 23:59:59' } })
      .toBuffer();
    expect(parseExifDate((await sharp(both).metadata()).exif)).toBe('1999-12-31T23:59:59');
    const only0 = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .jpeg()
      .withExif({ IFD0: { DateTime: '2001:02:03 04:05:06' } })
      .toBuffer();
    expect(parseExifDate((await sharp(only0).metadata()).exif)).toBe('2001-02-03T04:05:06');
  });

  it('returns null for no EXIF, junk and blank dates, never throws', async () => {
    const file = join(tmp.dir, 'b.png');
    await makePhoto(file);
    expect(parseExifDate((await sharp(file).metadata()).exif)).toBeNull();
    expect(parseExifDate(Buffer.from('Exif\0\0MM\0*\0\0\0\xff\xff\xff', 'latin1'))).toBeNull();
    expect(parseExifDate(Buffer.alloc(3))).toBeNull();
    expect(normaliseExifDate('0000:00:00 00:00:00')).toBeNull();
    expect(normaliseExifDate('    ')).toBeNull();
  });
});
