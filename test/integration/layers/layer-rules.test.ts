/**
 * The layer rules (eslint.layers.js) bite: a backwards import fails `npm run lint`, an allowed one passes,
 * and the whole tree follows them today.
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { layerOf, LAYERS } from '../../../eslint.layers.js';
import { REPO } from '../../helpers/facenet-cli.js';

// The rules here read imports, not types; and type-aware lint (test/lint/) cannot load the snippets below,
// virtual files that are not in the TypeScript project on disk. So these lint without type information.
const eslint = new ESLint({ cwd: REPO, overrideConfig: tseslint.configs.disableTypeChecked });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO, file) });
  // A snippet that does not parse has no rule messages: "may" cases would pass without being checked.
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    [
      'src-main/engine/storage/x.ts',
      "import type { FacePipeline } from '../vision/analysis.js';",
      'src-main/engine/vision',
    ],
    ['src-main/engine/storage/x.ts', "import { Indexer } from '../indexing/indexer.js';", 'src-main/engine/indexing'],
    ['src-main/engine/people/x.ts', "import { EngineApi } from '../../app/engine-api.js';", 'src-main/app'],
    ['src-main/hosts/electron/x.ts', "export { startServer } from '../server/server.js';", 'src-main/hosts/server'],
    [
      'src-main/hosts/electron/x.ts',
      "import { loadState } from '../../engine/people/people-state.js';",
      'src-main/engine/people',
    ],
    ['src-shared/x.ts', "import { cleanName } from '../src-main/app/plain-errors.js';", 'src-main/app'],
    ['training/x.ts', "import { recognitionFc } from '../models/convert/faceapi/recognition.js';", 'models'],
    ['src-renderer/x.tsx', "const m = await import('../src-main/app/engine-api.js');", 'src-main/app'],
    ['src-main/hosts/server/x.ts', "import { EngineError } from '../../engine/errors.js';", 'src-main/engine'],
    [
      'src-main/hosts/cli/commands/x.ts',
      "import { createFaceAnalyzer } from '../../../engine/vision/registry.js';",
      'src-main/engine/vision',
    ],
    ['src-main/hosts/cli/x.ts', "import { EmbeddingTuner } from '../../../training/trainer.js';", 'training'],
  ])('%s may not: %s', async (file, code, to) => {
    const errors = await layerErrors(file, code);
    expect(errors).toEqual([`${layerOf(file)} may not import ${to} (layer rules: eslint.layers.js)`]);
  });

  it.each([
    ['src-main/engine/people/x.ts', "import type { Library } from '../storage/library.js';"],
    ['src-main/app/x.ts', "import { PeopleService } from '../engine/people/people-service.js';"],
    ['src-main/engine/people/x.ts', "import { EngineError } from '../errors.js';"],
    ['src-main/hosts/cli/x.ts', "import { startServer } from '../server/server.js';"],
    ['src-main/hosts/cli/x.ts', "import { evaluateLfw } from '../../app/evaluation/lfw.js';"],
    ['src-renderer/x.tsx', "import type { FaceNetApi } from '../src-shared/api.js';"],
    ['test/x.test.ts', "import { Indexer } from '../src-main/engine/indexing/indexer.js';"],
  ])('%s may: %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });

  it('SQL outside the storage layer fails lint', async () => {
    const code = "export const n = (db: { prepare(s: string): unknown }) => db.prepare('SELECT 1');\n";
    const [outside] = await eslint.lintText(code, { filePath: join(REPO, 'src-main/engine/tuning/x.ts') });
    expect(outside!.messages.map((m) => m.message)).toContain('SQL belongs in a repository of src-main/engine/storage');
    const [inside] = await eslint.lintText(code, { filePath: join(REPO, 'src-main/engine/storage/x.ts') });
    expect(inside!.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toEqual([]);
  });

  it('every layer allows only layers that exist, and no two layers allow each other', () => {
    for (const [layer, allowed] of Object.entries(LAYERS)) {
      for (const to of allowed) {
        expect(Object.keys(LAYERS), `${layer} -> ${to}`).toContain(to);
        expect(LAYERS[to], `${layer} <-> ${to}`).not.toContain(layer);
      }
    }
  });

  it('the engine may not use the wire error ApiError (it throws EngineError; the app maps it)', async () => {
    const restricted = async (file: string, code: string): Promise<string[]> => {
      const [result] = await eslint.lintText(code, { filePath: join(REPO, file) });
      return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    };
    const apiError =
      "import { ApiError } from '../../../src-shared/api.js';\nexport const e = new ApiError('conflict', 'x');";
    for (const file of ['src-main/engine/people/x.ts', 'src-main/engine/tuning/x.ts', 'src-main/engine/interop/x.ts']) {
      const errors = await restricted(file, apiError);
      expect(errors, file).toHaveLength(1);
      expect(errors[0]).toContain("'ApiError' import from '../../../src-shared/api.js' is restricted");
      expect(errors[0]).toContain('EngineError');
    }
    expect(
      await restricted('src-main/engine/x.ts', "export { ApiError } from '../../src-shared/api.js';"),
    ).toHaveLength(1);
    // The contract's constants stay usable in the engine, and ApiError stays usable in the app.
    expect(
      await restricted(
        'src-main/engine/people/x.ts',
        "import { MAX_NAME_LENGTH, EXPORT_FORMATS } from '../../../src-shared/api.js';\nexport const n = [MAX_NAME_LENGTH, EXPORT_FORMATS];",
      ),
    ).toEqual([]);
    expect(
      await restricted(
        'src-main/app/x.ts',
        "import { ApiError } from '../../src-shared/api.js';\nexport const e = new ApiError('conflict', 'x');",
      ),
    ).toEqual([]);
  });

  it('the engine may not build wire DTOs (it returns domain types; the app maps them)', async () => {
    const code =
      "import type { PersonSummaryDto } from '../../../src-shared/api.js';\nexport type P = PersonSummaryDto;";
    const [inEngine] = await eslint.lintText(code, { filePath: join(REPO, 'src-main/engine/people/x.ts') });
    const messages = inEngine!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('map them to DTOs in src-main/app');
    const [inApp] = await eslint.lintText(code.replaceAll('../../../', '../../'), {
      filePath: join(REPO, 'src-main/app/x.ts'),
    });
    expect(inApp!.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  it('the source tree follows the rules', async () => {
    const results = await eslint.lintFiles(['src-main', 'src-shared', 'src-renderer', 'training', 'models']);
    const broken = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(broken).toEqual([]);
  }, 120_000);
});
