import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './eslint.layers.js';

export default tseslint.config(
  // scratch/ (gitignored) holds throwaway scripts outside tsconfig.json, which type-aware lint cannot load.
  { ignores: ['node_modules/**', 'dist/**', 'models/onnx/**', 'test-results/**', '.cache/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', performance: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // src-shared must run anywhere: no Node or DOM-only imports.
    },
  },
  {
    // Type-aware rules (issue 17): mistakes with promises that only the types show. Every .ts/.tsx file is in
    // tsconfig.json, and the project service builds one program for them all (about twice the lint time).
    // Picked from recommendedTypeChecked: the promise rules, and those that found nothing here (no edits, and
    // they guard against bugs later); plus return-await in strictTypeChecked's correctness-only mode (found
    // nothing either). Left out of recommendedTypeChecked, by findings when this was measured:
    // - no-unsafe-{assignment,member-access,call,return,argument} (~170): JSON.parse, tfjs and test doubles
    //   typed `any`; typing them is its own job, and they say nothing about promises;
    // - require-await (90): the FaceNetApi implementations (engine-api, the tests' fake engine) are `async`
    //   on purpose, so that a synchronous throw reaches the caller as a rejection like every other error;
    // - unbound-method (27): mostly destructured useApp() members, useCallback closures the context
    //   interface declares with method syntax; the rest call with .call(this), or are Node's path.join;
    // - no-unnecessary-type-assertion (23), restrict-template-expressions (3), no-base-to-string (3, tests),
    //   no-redundant-type-constituents (2): style, or findings in tests and documentation-only unions.
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: dirname(fileURLToPath(import.meta.url)) },
    },
    rules: {
      // A promise nobody awaits loses its rejection; `void p` is allowed where fire-and-forget is meant,
      // with a comment saying where its errors go.
      '@typescript-eslint/no-floating-promises': 'error',
      // checksVoidReturn covers JSX attributes: React ignores what onClick returns, so an async handler's
      // rejection would go unreported (src-renderer/report-errors.ts is the wrapper to use).
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `return p` inside try/catch or try/finally: the catch never sees p's rejection.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-duplicate-type-constituents': 'error',
      '@typescript-eslint/no-unsafe-enum-comparison': 'error',
      '@typescript-eslint/no-unsafe-unary-minus': 'error',
      '@typescript-eslint/restrict-plus-operands': 'error',
    },
  },
  {
    // One dependency direction (eslint.layers.js).
    files: [
      'src-main/**/*.{ts,tsx}',
      'src-shared/**/*.ts',
      'src-renderer/**/*.{ts,tsx}',
      'training/**/*.ts',
      'models/**/*.ts',
    ],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': 'error' },
  },
  {
    // The engine speaks its own errors and types; the app maps them to ApiError and to DTOs at the edge.
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-shared/api.js', '**/src-shared/api'],
              importNames: ['ApiError'],
              message:
                'the engine throws EngineError (src-main/engine/errors.ts); toApiError in src-main/app/api-errors.ts maps it to ApiError',
            },
            {
              // The wire shapes are the app's business: the engine returns its own types, and src-main/app's
              // *-dto.ts modules map them (Immich's entity -> DTO mappers).
              group: ['**/src-shared/api.js', '**/src-shared/api'],
              importNamePattern: 'Dto$',
              message:
                'the engine returns domain types; map them to DTOs in src-main/app (people-dto.ts, tuning-dto.ts …)',
            },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in the storage layer's repositories only.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/engine/storage/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='prepare']",
          message: 'SQL belongs in a repository of src-main/engine/storage',
        },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'electron', 'react', 'sharp'] }],
    },
  },
);
