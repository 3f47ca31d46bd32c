/**
 * The layers of the code base, as data, and the ESLint rule that enforces them (`layers/imports`).
 *
 * Dependencies run one way, from the hosts down to the shared contract:
 *
 *   hosts (cli, server, electron)  ->  app (the FaceNetApi)  ->  engine  ->  training, src-shared
 *   engine: interop -> tuning -> people -> library -> indexing -> vision, storage
 *   src-renderer -> src-shared (the contract only);  models (build time) -> training; nothing imports models
 *
 * Each entry names a folder and the folders its files may import from besides their own. A file belongs
 * to the longest folder that contains it; files in no folder (tests, configs, scripts) are not checked.
 * Only relative imports are checked: packages are not layers.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));

const ENGINE = [
  'src-main/engine', // what all of the engine shares (errors.ts)
  'src-main/engine/storage',
  'src-main/engine/vision',
  'src-main/engine/indexing',
  'src-main/engine/library',
  'src-main/engine/people',
  'src-main/engine/tuning',
  'src-main/engine/interop',
];

/** @type {Record<string, string[]>} folder -> the folders it may import from */
export const LAYERS = {
  'src-shared': [],
  training: ['src-shared'],
  models: ['training', 'src-shared'],
  'src-main/engine': ['src-shared'],
  'src-main/engine/storage': ['src-main/engine', 'src-shared'],
  'src-main/engine/vision': ['src-main/engine', 'training', 'src-shared'],
  'src-main/engine/indexing': ['src-main/engine', 'src-main/engine/storage', 'src-main/engine/vision', 'src-shared'],
  'src-main/engine/library': [
    'src-main/engine',
    'src-main/engine/storage',
    'src-main/engine/vision',
    'src-main/engine/indexing',
    'src-shared',
  ],
  'src-main/engine/people': [
    'src-main/engine',
    'src-main/engine/storage',
    'src-main/engine/vision',
    'src-main/engine/library',
    'src-shared',
  ],
  'src-main/engine/tuning': [
    'src-main/engine',
    'src-main/engine/storage',
    'src-main/engine/vision',
    'src-main/engine/people',
    'training',
    'src-shared',
  ],
  'src-main/engine/interop': [
    'src-main/engine',
    'src-main/engine/storage',
    'src-main/engine/vision',
    'src-main/engine/indexing',
    'src-main/engine/library',
    'src-main/engine/people',
    'src-shared',
  ],
  'src-main/app': [...ENGINE, 'training', 'src-shared'],
  'src-main/hosts/server': ['src-main/app', 'src-shared'],
  'src-main/hosts/electron': ['src-main/app', 'src-shared'],
  // The CLI's `serve` command starts the HTTP server.
  'src-main/hosts/cli': ['src-main/app', 'src-main/hosts/server', 'src-shared'],
  'src-renderer': ['src-shared'],
};

const FOLDERS = Object.keys(LAYERS).sort((a, b) => b.length - a.length);

/** The layer folder holding a repository-relative path (forward slashes), or undefined. */
export function layerOf(path) {
  return FOLDERS.find((f) => path === f || path.startsWith(`${f}/`));
}

const toRepoPath = (absolute) => relative(ROOT, absolute).split(sep).join('/');

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer rules in eslint.layers.js' },
    schema: [],
    messages: {
      backwards: '{{from}} may not import {{to}} (layer rules: eslint.layers.js)',
    },
  },
  create(context) {
    const file = context.filename;
    if (!isAbsolute(file)) return {};
    const from = layerOf(toRepoPath(file));
    if (!from) return {};
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = layerOf(toRepoPath(resolve(dirname(file), source.value)));
      if (!to || to === from || LAYERS[from].includes(to)) return;
      context.report({ node, messageId: 'backwards', data: { from, to } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
    };
  },
};

export const layersPlugin = { rules: { imports: importsRule } };
