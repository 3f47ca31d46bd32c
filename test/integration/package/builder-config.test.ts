/** electron-builder.yml is valid against electron-builder's own JSON schema and packages what the app needs. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PACKAGED_MODELS } from '../../../src-main/engine/vision/packaged-models.js';
import { REPO } from '../../helpers/browser.js';

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
  extraResources: Array<{ from: string; to: string; filter?: string[] }>;
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

  it('builds AppImage + deb, NSIS and dmg, ships the packed models and unpacks workers and native modules', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    const models = config.extraResources.find((r) => r.from === 'models/onnx');
    expect(models?.to).toBe('models/onnx');
    expect((models?.filter ?? []).map((f) => f.replace(/\.onnx$/, '')).sort()).toEqual([...PACKAGED_MODELS].sort());
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['dist/app/workers/**', '**/node_modules/**/*']));
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      main: string;
      homepage?: string;
      author?: { email?: string };
    };
    expect(pkg.main).toBe('dist/app/main.js');
    // electron-builder's deb target refuses to build without them.
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author?.email).toMatch(/@/);
    expect(config.files).toEqual(expect.arrayContaining(['dist/renderer/**/*', 'dist/app/**/*.js']));
  });

  it("keeps electron-builder's own deb dependencies and sets the release fuses", () => {
    // Listing deb.depends would replace the defaults (libgtk-3-0, libnotify4, libnss3, libxss1, …).
    expect((config.deb as Record<string, unknown> | undefined)?.depends).toBeUndefined();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });
});
