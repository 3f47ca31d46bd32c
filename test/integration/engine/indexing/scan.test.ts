import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPhotoFile } from '../../../../src-main/engine/indexing/files.js';
import { walkPhotos } from '../../../../src-main/engine/indexing/scan.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function collect(root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of walkPhotos(root)) out.push(relative(root, f.path));
  return out.sort();
}

describe('walkPhotos', () => {
  it('finds photos recursively, skipping hidden and system folders and non-photos', async () => {
    const root = join(tmp.dir, 'lib');
    const files = [
      'a.jpg',
      'B.JPEG',
      'sub/c.png',
      'sub/deeper/d.webp',
      'e.tif',
      'f.tiff',
      'g.avif',
      'h.gif',
      'i.heic',
      'notes.txt',
      'raw.cr2',
      'clip.MOV',
      'j.jxl',
      '.hidden.jpg',
      '.git/x.jpg',
      '@eaDir/thumb.jpg',
      '$RECYCLE.BIN/y.jpg',
      'node_modules/z.png',
      'sub/.cache/w.jpg',
      'System Volume Information/v.jpg',
    ];
    for (const f of files) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), 'x');
    }
    expect(await collect(root)).toEqual(
      [
        'B.JPEG',
        'a.jpg',
        'e.tif',
        'f.tiff',
        'g.avif',
        'h.gif',
        'i.heic',
        'raw.cr2',
        'sub/c.png',
        'sub/deeper/d.webp',
      ].sort(),
    );
    // Videos and JPEG XL photos: reported with the reason (for the status's "skipped"), never yielded.
    const skipped: string[] = [];
    const onSkipped = (p: string, why: string): void => void skipped.push(`${relative(root, p)} ${why}`);
    for await (const f of walkPhotos(root, { onSkipped })) void f;
    expect(skipped.sort()).toEqual(['clip.MOV video', 'j.jxl jpeg-xl']);
  });

  it('survives symlink loops and does not yield a linked file twice', async () => {
    const root = join(tmp.dir, 'loop');
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    writeFileSync(join(root, 'a', 'b', 'p.jpg'), 'x');
    symlinkSync(join(root, 'a'), join(root, 'a', 'b', 'back-to-a'));
    symlinkSync(root, join(root, 'a', 'root-link'));
    symlinkSync(join(root, 'a', 'b', 'p.jpg'), join(root, 'link.jpg'));
    symlinkSync(join(root, 'missing.jpg'), join(root, 'dangling.jpg'));
    const found = await collect(root);
    expect(found).toHaveLength(1);
    expect(['a/b/p.jpg', 'link.jpg']).toContain(found[0]);
  });

  it('reports size and mtime', async () => {
    const root = join(tmp.dir, 'facts');
    mkdirSync(root);
    writeFileSync(join(root, 'x.jpg'), 'hello');
    const [f] = await (async () => {
      const out = [];
      for await (const x of walkPhotos(root)) out.push(x);
      return out;
    })();
    expect(f).toMatchObject({ size: 5 });
    expect(f!.mtimeMs).toBeGreaterThan(0);
  });

  it('isPhotoFile is case-insensitive and rejects hidden files', () => {
    expect(isPhotoFile('/x/IMG.JPG')).toBe(true);
    expect(isPhotoFile('/x/.IMG.JPG')).toBe(false);
    expect(isPhotoFile('/x/doc.pdf')).toBe(false);
  });
});
