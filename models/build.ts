/**
 * `npm run models`: converts the pinned npm-package weights into ONNX files under `models/onnx/` and
 * writes `models/manifest.json` (source package@version and files, input geometry, normalisation,
 * outputs, sha256). Deterministic: running it twice gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { faceApiRecipes } from './convert/faceapi/index.js';
import type { ModelManifestEntry, ModelRecipe } from './convert/onnx-graph.js';
import { tfjsGraphRecipes } from './convert/tfjs-graph/index.js';

const modelsDir = dirname(fileURLToPath(import.meta.url));
export const onnxDir = join(modelsDir, 'onnx');

export const allRecipes: ModelRecipe[] = [...faceApiRecipes, ...tfjsGraphRecipes];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  mkdirSync(onnxDir, { recursive: true });
  const manifest: Record<string, ModelManifestEntry> = {};
  for (const recipe of allRecipes) {
    if (only.length > 0 && !only.includes(recipe.id)) continue;
    const started = performance.now();
    const { bytes, manifest: entry } = await recipe.build();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(onnxDir, `${recipe.id}.onnx`), bytes);
    manifest[recipe.id] = { ...entry, sha256 };
    const ms = Math.round(performance.now() - started);
    console.log(`models: ${recipe.id}.onnx ${(bytes.length / 1e6).toFixed(2)} MB sha256 ${sha256.slice(0, 12)} (${ms} ms)`);
  }
  if (only.length === 0) {
    writeFileSync(join(modelsDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

await main();
