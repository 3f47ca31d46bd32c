import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRecipes } from '../../../models/recipes.js';

const manifest = JSON.parse(readFileSync(new URL('../../../models/manifest.json', import.meta.url), 'utf8')) as Record<
  string,
  { sha256: string; source: { package: string; version: string } }
>;

describe('npm run models', () => {
  it('has a manifest entry for every recipe, pinned to an exact package version', () => {
    expect(Object.keys(manifest).sort()).toEqual(allRecipes.map((r) => r.id).sort());
    const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8'));
    for (const entry of Object.values(manifest)) {
      expect(lock.packages[`node_modules/${entry.source.package}`]?.version).toBe(entry.source.version);
    }
  });

  it.each(allRecipes.map((r) => r.id))(
    'rebuilds %s byte for byte (sha256 equals the committed manifest and the file)',
    async (id) => {
      const recipe = allRecipes.find((r) => r.id === id)!;
      const first = await recipe.build();
      const second = await recipe.build();
      const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
      expect(sha(second.bytes)).toBe(sha(first.bytes));
      expect(sha(first.bytes)).toBe(manifest[id]!.sha256);
      const onDisk = readFileSync(new URL(`../../../models/onnx/${id}.onnx`, import.meta.url));
      expect(sha(onDisk)).toBe(manifest[id]!.sha256);
    },
  );
});
