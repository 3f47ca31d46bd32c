/**
 * Type-aware lint (eslint.config.js) is wired up and bites: an unawaited promise in the desktop app's main
 * process and an async handler passed to a React prop fail `npm run lint`, and the accepted forms pass.
 * The snippets are linted as the contents of real files, which the TypeScript project service resolves with
 * their types (a made-up path outside tsconfig.json would only give a parse error).
 */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/facenet-cli.js';

const eslint = new ESLint({ cwd: REPO });

async function promiseRuleErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO, file) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId?.includes('promises')).map((m) => m.ruleId!);
}

describe('type-aware lint', () => {
  it('reports a floating promise, and accepts one that is handled or explicitly voided', async () => {
    const file = 'src-main/hosts/electron/main.ts';
    const start = 'const start = async (): Promise<void> => {};\n';
    expect(await promiseRuleErrors(file, `${start}start();\n`)).toEqual(['@typescript-eslint/no-floating-promises']);
    expect(await promiseRuleErrors(file, `${start}start().catch(console.error);\n`)).toEqual([]);
    expect(await promiseRuleErrors(file, `${start}void start();\n`)).toEqual([]);
  });

  it('reports an async handler passed to a React prop, and accepts it wrapped in reportErrors', async () => {
    const file = 'src-renderer/views/LibraryView.tsx';
    const save = 'const save = async (): Promise<void> => {};\n';
    expect(await promiseRuleErrors(file, `${save}export const B = () => <button onClick={save} />;\n`)).toEqual([
      '@typescript-eslint/no-misused-promises',
    ]);
    const wrapped =
      "import { reportErrors } from '../report-errors.js';\n" +
      save +
      'export const B = () => <button onClick={reportErrors(console.error, save)} />;\n';
    expect(await promiseRuleErrors(file, wrapped)).toEqual([]);
  });
});
