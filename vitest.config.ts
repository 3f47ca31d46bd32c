import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * One Vitest project per kind of test (test/README.md), each with the timeouts its tests need. `npm test` runs
 * them all; one alone: `npm run test:unit`, `npm run test:integration`, `npm run e2e`.
 * - unit: pure code, most tests in milliseconds. The slowest are whole training runs on synthetic features
 *   (training/harmonic, calibration, trainer): up to 12 s each on the 2-core machine at load 10; 30 s leaves
 *   room for that and still stops a hung unit test four times sooner than before.
 * - integration: real SQLite files, ONNX sessions, images, CLI child processes, worker threads, the server,
 *   the packaged app. The 120 s (and 300 s for a beforeAll that indexes or packages) they always had.
 * - e2e: Chromium on `facenet serve`. A short interaction takes seconds, but the page waits (polls up to 60 s)
 *   and beforeAll builds the renderer with Vite: 120 s and 300 s; the long flows (index, train, re-group in the
 *   UI) set their own, up to 15 minutes.
 */
const PROJECTS = [
  { name: 'unit', dir: 'test/unit', testTimeout: 30_000, hookTimeout: 30_000 },
  { name: 'integration', dir: 'test/integration', testTimeout: 120_000, hookTimeout: 300_000 },
  { name: 'e2e', dir: 'test/e2e', testTimeout: 120_000, hookTimeout: 300_000 },
];

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const isTestFile = (name: string): boolean => /\.test\.tsx?$/.test(name);

/** Test files under `dir` (relative to the repository, '/'-separated). */
function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    return e.isDirectory() ? testFiles(path) : isTestFile(e.name) ? [path] : [];
  });
}

// A test file outside the projects' folders would never run: refuse to start instead.
const outside = testFiles('test').filter((f) => !PROJECTS.some((p) => f.startsWith(`${p.dir}/`)));
if (outside.length > 0) {
  throw new Error(
    `test files outside ${PROJECTS.map((p) => p.dir).join(', ')} would never run (test/README.md): ${outside.join(', ')}`,
  );
}

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: PROJECTS.map((p) => ({
      extends: true,
      test: {
        name: p.name,
        include: [`${p.dir}/**/*.test.ts`, `${p.dir}/**/*.test.tsx`],
        testTimeout: p.testTimeout,
        hookTimeout: p.hookTimeout,
      },
    })),
  },
});
