/**
 * Converts the pinned npm-package weights into ONNX files under `models/onnx/`.
 *
 * - `npm run models` (also run by `npm ci` through `prepare`): builds every model and checks each file's
 *   sha256 against the committed `models/manifest.json`; a mismatch (changed weights, changed converter)
 *   fails, so what users run is exactly what was tested.
 * - `npm run models:update` (`tsx models/build.ts`): builds and rewrites the manifest; commit it.
 * - `tsx models/build.ts <id>...`: builds only those models (manifest untouched).
 * Deterministic: building twice gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelManifestEntry } from './convert/onnx-graph.js';
import { allRecipes } from './recipes.js';

const modelsDir = dirname(fileURLToPath(import.meta.url));
const onnxDir = join(modelsDir, 'onnx');
const manifestPath = join(modelsDir, 'manifest.json');

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const only = args.filter((a) => !a.startsWith('--'));
  const committed: Record<string, ModelManifestEntry> = existsSync(manifestPath)
    ? JSON.parse(readFileSync(manifestPath, 'utf8'))
    : {};
  mkdirSync(onnxDir, { recursive: true });
  const manifest: Record<string, ModelManifestEntry> = {};
  const mismatches: string[] = [];
  for (const recipe of allRecipes) {
    if (only.length > 0 && !only.includes(recipe.id)) continue;
    const started = performance.now();
    const { bytes, manifest: entry } = await recipe.build();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(onnxDir, `${recipe.id}.onnx`), bytes);
    manifest[recipe.id] = { ...entry, sha256 };
    if (committed[recipe.id]?.sha256 !== sha256)
      mismatches.push(`${recipe.id} (built ${sha256}, manifest ${committed[recipe.id]?.sha256 ?? 'none'})`);
    const ms = Math.round(performance.now() - started);
    console.log(
      `models: ${recipe.id}.onnx ${(bytes.length / 1e6).toFixed(2)} MB sha256 ${sha256.slice(0, 12)} (${ms} ms)`,
    );
  }
  if (check) {
    if (mismatches.length > 0) {
      console.error(`models: built files differ from models/manifest.json:\n  ${mismatches.join('\n  ')}`);
      console.error('models: if the change is intended, run `npm run models:update` and commit the manifest');
      return 1;
    }
    return 0;
  }
  if (only.length === 0) writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return 0;
}

process.exitCode = await main();
