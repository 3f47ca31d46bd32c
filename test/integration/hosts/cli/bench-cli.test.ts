/**
 * `facenet bench` on real photos every clone has (the face-api demo JPEGs): the figures a user compares between
 * execution providers are measured on the provider named, find the same faces at any concurrency, and a
 * provider that cannot load is reported with its reason, never measured on the CPU in its place.
 */
import { describe, expect, it } from 'vitest';
import { AnalyzerPool } from '../../../../src-main/engine/vision/analyzer-pool.js';
import { demoPhotos, hasDemoPhotos } from '../../../helpers/demo-photos.js';
import { facenet } from '../../../helpers/facenet-cli.js';

const photos = demoPhotos().slice(0, 3);

describe.skipIf(!hasDemoPhotos(3))('facenet bench', () => {
  it('measures on the provider asked for, the same faces at 1 and 2 in flight; an unusable provider is an error with its reason', async () => {
    const pool = await AnalyzerPool.create(undefined, {}, { intraOpThreads: 1 }, { workers: 1 });
    let expectedFaces = 0;
    try {
      for (const p of photos) expectedFaces += (await pool.analyzePhoto(p)).faces.length;
    } finally {
      await pool.dispose();
    }
    expect(expectedFaces).toBeGreaterThan(5);

    // DirectML exists only on Windows: elsewhere it is the unusable provider (CUDA may be installed here).
    const unusable = process.platform === 'win32' ? 'coreml' : 'dml';
    const r = facenet([
      'bench',
      ...photos,
      '--provider',
      `cpu,${unusable}`,
      '--concurrency',
      '1,2',
      '--rounds',
      '1',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^facenet bench: execution provider ${unusable} is not usable here: only available on`),
    );
    const out = JSON.parse(r.stdout) as {
      photos: number;
      megapixels: number;
      results: Array<{ provider: string; error?: string; runs?: Array<Record<string, unknown>> }>;
    };
    expect(out.photos).toBe(3);
    expect(out.megapixels).toBeGreaterThan(0.1);
    const [cpu, other] = out.results;
    expect(cpu!.provider).toBe('cpu');
    expect(cpu!.runs!.map((run) => [run.photosInFlight, run.faces])).toEqual([
      [1, expectedFaces],
      [2, expectedFaces],
    ]);
    for (const run of cpu!.runs!) {
      expect((run.providers as Array<{ provider: string }>).map((p) => p.provider)).toEqual(['cpu', 'cpu', 'cpu']);
      expect(run.photosPerSecond as number).toBeGreaterThan(0);
      expect(run.facesPerSecond as number).toBeCloseTo((expectedFaces / 3) * (run.photosPerSecond as number), 6);
    }
    expect(other).toMatchObject({ provider: unusable });
    expect(other!.runs).toBeUndefined();
  }, 120_000);

  it('says what is wrong with its arguments', () => {
    expect(facenet(['bench']).stderr).toMatch(/^facenet bench: expected photos or a folder of photos\nusage:/);
    expect(facenet(['bench', photos[0]!, '--provider', 'gpu']).stderr).toMatch(/unknown execution provider "gpu"/);
    expect(facenet(['bench', '/no/such/folder']).stderr).toBe(
      'facenet bench: no such file or folder: /no/such/folder\n',
    );
  });
});
