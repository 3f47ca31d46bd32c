/**
 * Debian's Chromium through playwright-core, and the renderer build, for the end-to-end test and the
 * benchmark. Both skip (with the reason) when Chromium is absent.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RunningServer, type ServerOptions } from '../../src-main/hosts/server/server.js';

/** The first Chromium on PATH (Debian's `chromium`, Ubuntu's `chromium-browser`); '' when there is none. */
function chromiumOnPath(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return '';
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? chromiumOnPath();
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIR = join(REPO, 'dist', 'renderer');

export function hasChromium(): boolean {
  const ok = CHROMIUM !== '' && existsSync(CHROMIUM);
  if (!ok) {
    const where = CHROMIUM ? `at ${CHROMIUM}` : 'on PATH';
    console.warn(`skipping: no Chromium ${where} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`);
  }
  return ok;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function rendererFresh(): boolean {
  const index = join(RENDERER_DIR, 'index.html');
  const sources = Math.max(newestMtime(join(REPO, 'src-renderer')), newestMtime(join(REPO, 'src-shared')));
  return existsSync(index) && statSync(index).mtimeMs > sources;
}

/**
 * Builds the renderer with Vite unless dist/renderer is newer than every source file. Test files run in
 * parallel workers: a lock folder makes one build while the others wait for it.
 */
export async function ensureRendererBuilt(): Promise<string> {
  if (rendererFresh()) return RENDERER_DIR;
  const lock = join(REPO, 'dist', '.renderer-build.lock');
  mkdirSync(join(REPO, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 300_000) {
        rmSync(lock, { recursive: true, force: true }); // stale: a crashed build
      }
      await new Promise((r) => setTimeout(r, 500));
      if (!existsSync(lock) && rendererFresh()) return RENDERER_DIR;
    }
  }
  try {
    if (rendererFresh()) return RENDERER_DIR;
    const { build } = await import('vite');
    // Vitest sets NODE_ENV=test, which would give React's development build (StrictMode double renders).
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(REPO, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    return RENDERER_DIR;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface OpenedApp {
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Closes the browser, then the server (not the engine: the test owns it). */
  close(): Promise<void>;
}

/**
 * Serves `engine` with the built renderer on a free port and opens one Chromium page (not yet navigated);
 * uncaught page errors are pushed to `pageErrors` so a test can assert there were none.
 */
export async function openApp(
  engine: ServerOptions['engine'],
  viewport: { width: number; height: number },
  pageErrors: string[],
): Promise<OpenedApp> {
  const server = await startServer({ engine, staticDir: await ensureRendererBuilt() });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    server,
    browser,
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
