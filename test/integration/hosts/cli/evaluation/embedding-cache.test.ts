import { appendFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddingCache } from '../../../../../src-main/app/evaluation/embedding-cache.js';
import { tempDir } from '../../../../helpers/tmp.js';

const tmp = tempDir('facenet-cache-');
afterAll(() => tmp.cleanup());

describe('EmbeddingCache', () => {
  const photo = join(tmp.dir, 'a.jpg');
  writeFileSync(photo, 'not really a jpeg');
  const face = { embedding: new Float32Array([0.6, 0.8]), score: 0.9, quality: 0.7, faces: 1, fallback: false };

  it('round-trips entries across instances and keys them by pipeline', () => {
    const cache = EmbeddingCache.open('model-a', join(tmp.dir, 'c'));
    expect(cache.get(photo)).toBeUndefined();
    cache.set(photo, face);
    cache.set(join(tmp.dir, 'a.jpg'), face); // same photo again: last line wins
    const reopened = EmbeddingCache.open('model-a', join(tmp.dir, 'c'));
    expect(reopened.get(photo)).toEqual(face);
    expect(EmbeddingCache.open('model-b', join(tmp.dir, 'c')).get(photo)).toBeUndefined();
  });

  it('stores "no face" and misses when the file changes', () => {
    const other = join(tmp.dir, 'b.jpg');
    writeFileSync(other, 'x');
    const cache = EmbeddingCache.open('model-a', join(tmp.dir, 'c'));
    cache.set(other, null);
    expect(EmbeddingCache.open('model-a', join(tmp.dir, 'c')).get(other)).toBeNull();
    utimesSync(other, new Date(), new Date(Date.now() + 5000));
    expect(EmbeddingCache.open('model-a', join(tmp.dir, 'c')).get(other)).toBeUndefined();
  });

  it('ignores a torn last line', () => {
    const cache = EmbeddingCache.open('model-a', join(tmp.dir, 'c'));
    appendFileSync(cache.file, '{"path":"/x","si');
    const reopened = EmbeddingCache.open('model-a', join(tmp.dir, 'c'));
    expect(reopened.get(photo)).toEqual(face);
    const third = join(tmp.dir, 'c.jpg');
    writeFileSync(third, 'y');
    reopened.set(third, face); // starts on a fresh line, not glued to the torn one
    expect(EmbeddingCache.open('model-a', join(tmp.dir, 'c')).get(third)).toEqual(face);
  });
});
