/**
 * Issue 12 items 3 and 5: face ids are never reused after a photo is deleted, and indexing many files with
 * identical content does work linear in their number (counted in stat calls, which is deterministic).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LibraryService } from '../../../../src-main/engine/library/library-service.js';
import { makePhoto } from '../../../helpers/images.js';
import { TestPipeline } from '../../../helpers/test-pipeline.js';
import { newLibraryCase } from '../../../helpers/library-case.js';
import { tempDir } from '../../../helpers/tmp.js';

// Counts every fs/promises stat the indexer (and the walker, and the test pipeline) makes.
const counter = vi.hoisted(() => ({ stats: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const stat = ((...args: Parameters<typeof fs.stat>) => {
    counter.stats++;
    return fs.stat(...args);
  }) as typeof fs.stat;
  return { ...fs, stat, default: { ...fs, stat } };
});

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const setup = (): ReturnType<typeof newLibraryCase> => newLibraryCase(tmp.dir);

describe('face ids', () => {
  it('a face of a new photo never gets the id of a deleted photo’s face', async () => {
    const { svc, root } = setup();
    await makePhoto(join(root, 'a.jpg'), { seed: 1, faces: [{ cell: 0, identity: 1 }] });
    await makePhoto(join(root, 'b.jpg'), { seed: 2, faces: [{ cell: 5, identity: 2 }] });
    svc.addFolder(root);
    await svc.index(new TestPipeline());
    const highest = svc.facesOfPhoto(svc.photoByPath(join(root, 'b.jpg'))!.id)[0]!.id;
    rmSync(join(root, 'b.jpg'));
    expect(await svc.index(new TestPipeline())).toMatchObject({ removed: 1 });
    await makePhoto(join(root, 'c.jpg'), { seed: 3, faces: [{ cell: 10, identity: 3 }] });
    expect(await svc.index(new TestPipeline())).toMatchObject({ analysed: 1 });
    const fresh = svc.facesOfPhoto(svc.photoByPath(join(root, 'c.jpg'))!.id)[0]!.id;
    expect(fresh).toBeGreaterThan(highest);
    // Still true after reopening the library (the high-water mark is stored, not held in memory).
    const dbPath = svc.library.db.name;
    await svc.close();
    const again = LibraryService.open(dbPath);
    rmSync(join(root, 'c.jpg'));
    await again.index(new TestPipeline());
    await makePhoto(join(root, 'd.jpg'), { seed: 4, faces: [{ cell: 15, identity: 4 }] });
    await again.index(new TestPipeline());
    expect(again.facesOfPhoto(again.photoByPath(join(root, 'd.jpg'))!.id)[0]!.id).toBeGreaterThan(fresh);
    await again.close();
  });
});

describe('identical content', () => {
  async function statsToIndex(count: number): Promise<number> {
    const { svc, root } = setup();
    for (let i = 0; i < count; i++) writeFileSync(join(root, `empty-${String(i).padStart(5, '0')}.jpg`), '');
    svc.addFolder(root);
    counter.stats = 0;
    const s = await svc.index(new TestPipeline());
    expect(s).toMatchObject({ scanned: count, failed: count });
    const stats = counter.stats;
    await svc.close();
    return stats;
  }

  it('indexing N files with the same content makes O(N) stat calls, not O(N²)', async () => {
    const small = await statsToIndex(250);
    const large = await statsToIndex(500);
    // Linear: about twice as many; quadratic (every file stats every stored twin): about four times.
    expect(large).toBeLessThan(2.5 * small);
    expect(large).toBeLessThan(10 * 500);
  });
});
