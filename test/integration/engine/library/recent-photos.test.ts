/** recentPhotos: one decode for the many thumbnails of one HEIC or RAW photo; nothing held for sharp's files. */
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { recentPhotos } from '../../../../src-main/engine/library/recent-photos.js';
import type { OpenedPhoto } from '../../../../src-main/engine/vision/formats/open.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function counting(fromFile: boolean): { open: (path: string) => Promise<OpenedPhoto>; calls: string[] } {
  const calls: string[] = [];
  const open = async (path: string): Promise<OpenedPhoto> => {
    calls.push(path);
    await new Promise((r) => setTimeout(r, 5));
    const pixels = () => sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } });
    return { pixels, width: 4, height: 4, format: fromFile ? 'jpeg' : 'heic', fromFile };
  };
  return { open, calls };
}

describe('recentPhotos', () => {
  const files = ['a', 'b', 'c'].map((n) => {
    const p = join(tmp.dir, `${n}.heic`);
    writeFileSync(p, n);
    return p;
  });

  it('decodes a photo once for concurrent and quick repeated requests, again once it changed', async () => {
    const { open, calls } = counting(false);
    const cached = recentPhotos(open);
    await Promise.all([cached(files[0]!), cached(files[0]!), cached(files[0]!)]);
    await cached(files[0]!);
    expect(calls).toEqual([files[0]]);
    utimesSync(files[0]!, new Date(), new Date(Date.now() + 5000));
    await cached(files[0]!);
    expect(calls).toEqual([files[0], files[0]]);
  });

  it('holds at most `entries` photos, and none that sharp reads from the file', async () => {
    const decoded = counting(false);
    const two = recentPhotos(decoded.open, { entries: 2 });
    for (const f of [...files, files[0]!]) await two(f);
    expect(decoded.calls).toEqual([...files, files[0]]); // a was pushed out by c
    const fromFile = counting(true);
    const direct = recentPhotos(fromFile.open);
    await direct(files[1]!);
    await direct(files[1]!);
    expect(fromFile.calls).toEqual([files[1], files[1]]);
  });

  it('forgets a photo after its time', async () => {
    const { open, calls } = counting(false);
    const brief = recentPhotos(open, { ttlMs: 20 });
    await brief(files[2]!);
    await new Promise((r) => setTimeout(r, 60));
    await brief(files[2]!);
    expect(calls).toEqual([files[2], files[2]]);
  });
});
