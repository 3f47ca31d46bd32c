/** electron-builder.yml is valid against electron-builder's own JSON schema and packages what the app needs. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/browser.js';

const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder (app-builder-lib's own YAML parser): resolve it from there.
const yaml = createRequire(require.resolve('app-builder-lib/package.json'))('js-yaml') as {
  load(text: string): unknown;
};

type Config = Record<string, unknown> & {
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  files: string[];
};

const config = yaml.load(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')) as Config;

describe('electron-builder.yml', () => {
  it('validates against app-builder-lib/scheme.json', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
    // The schema really bites: an unknown key is refused.
    expect(validate({ ...config, notAnOption: true })).toBe(false);
  });

  it('builds AppImage + deb, NSIS and dmg, ships the models and unpacks the native modules', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'models/onnx', to: 'models/onnx' }));
    for (const m of ['onnxruntime-node', 'better-sqlite3', 'sharp']) {
      expect(config.asarUnpack.some((p) => p.includes(`node_modules/${m}/`))).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/src-main/electron/main.js');
    expect(config.files).toContain('dist/renderer/**/*');
  });
});
