import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './eslint.layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'models/onnx/**', 'test-results/**', '.cache/**'] },
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
    // The engine speaks its own errors (src-main/engine/errors.ts); the app maps them to ApiError at the edge.
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
