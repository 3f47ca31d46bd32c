/**
 * Electron main process: a thin, hardened adapter over the same FaceNetApi the server exposes.
 * - one window: contextIsolation, sandbox, no nodeIntegration, no webview, strict CSP on every response,
 *   navigation and new windows blocked, every permission request denied;
 * - the renderer is served from `facenet://app/` (dist/renderer), images by id only from
 *   `facenet://thumb/<faceId>` and `facenet://photo/<photoId>?size=<px>` (the app's WebP preview, never the
 *   original file): the renderer can never name a path;
 * - every IPC payload is validated here (validateInvoke) and only the app frame may call;
 * - the engine (indexer, ONNX, SQLite) runs in a worker thread (worker-engine.ts), never in this thread;
 * - single instance; native folder picker; indexing progress in the task bar / dock.
 * `FACENET_SMOKE=1` prints FACENET_SMOKE_OK once the window has shown the app, then quits (smoke test).
 */
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, session, type IpcMainInvokeEvent } from 'electron';
import { createReadStream, existsSync, promises as fsp } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ApiEvent } from '../../../src-shared/api.js';
import { defaultLibraryPath } from '../../app/library-location.js';
import { contentTypeFor, thumbPath } from '../../app/media-types.js';
import type { EngineLike } from '../../app/engine-like.js';
import { openAppLog } from './app-log.js';
import { installAppMenu } from './app-menu.js';
import { workerScript } from './app-paths.js';
import {
  CHANNEL_EVENT,
  CHANNEL_INVOKE,
  CHANNEL_PICK_FOLDER,
  RENDERER_CSP,
  isTrustedSender,
  parseImageUrl,
  toReply,
  validateInvoke,
  type InvokeReply,
} from './ipc.js';
import { catchUnhandled, reportFatal } from './startup-failure.js';
import { WorkerEngine } from './worker-engine.js';

/** The folder holding package.json: the repository (`npm start`) or resources/app.asar (packaged). */
const appRoot = app.getAppPath();
const rendererDir = join(appRoot, 'dist', 'renderer');
const preloadPath = join(appRoot, 'dist', 'electron', 'preload.cjs');
const modelsDir = app.isPackaged ? join(process.resourcesPath, 'models', 'onnx') : join(appRoot, 'models', 'onnx');
const smoke = process.env.FACENET_SMOKE === '1';
const log = openAppLog();
catchUnhandled(log);

protocol.registerSchemesAsPrivileged([
  {
    scheme: 'facenet',
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
  },
]);

const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();

let win: BrowserWindow | null = null;
let engine: (EngineLike & { close?: () => Promise<void> }) | null = null;

function secureHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  };
}

/** Streams a file we chose (never a path from the renderer) with the security headers. */
async function serveFile(path: string, cache = 'no-store'): Promise<Response> {
  const stat = await fsp.stat(path).catch(() => null);
  if (!stat || !stat.isFile()) return new Response('not found', { status: 404 });
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: secureHeaders({
      'Content-Type': contentTypeFor(path),
      'Content-Length': String(stat.size),
      'Cache-Control': cache,
    }),
  });
}

function registerProtocol(): void {
  protocol.handle('facenet', async (request) => {
    const url = new URL(request.url);
    if (url.host === 'app') {
      // The renderer build, and nothing outside it.
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '') || 'index.html';
      const file = resolve(rendererDir, rel);
      if (file !== rendererDir && !file.startsWith(rendererDir + sep))
        return new Response('forbidden', { status: 403 });
      return serveFile(existsSync(file) ? file : join(rendererDir, 'index.html'));
    }
    const image = parseImageUrl(request.url);
    if (!image || !engine) return new Response('not found', { status: 404 });
    try {
      const path =
        image.kind === 'thumb'
          ? thumbPath(await engine.faceThumbnail(image.id))
          : await engine.photoPreview(image.id, image.size);
      return await serveFile(path, 'private, max-age=300');
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // No remote content: anything that is not our own scheme (or devtools) is cancelled.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok = /^(facenet|devtools|data|blob):/.test(details.url);
    callback({ cancel: !ok });
  });
}

/**
 * The page background before the renderer paints, in the scheme the OS asks for (styles.css --bg of each), so
 * a dark desktop gets no white flash.
 */
const windowBackground = (): string => (nativeTheme.shouldUseDarkColors ? '#16181c' : '#f7f7f5');

function createWindow(): BrowserWindow {
  // Follow the OS light/dark setting (Electron's default, said explicitly): the renderer's
  // prefers-color-scheme media query then matches the system, and changes live when the user switches.
  nativeTheme.themeSource = 'system';
  const w = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'FaceNet Photos',
    backgroundColor: windowBackground(),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      // Packaged builds: no developer tools at all (the menu has none either, app-menu.ts).
      devTools: !app.isPackaged,
    },
  });
  const onTheme = (): void => w.setBackgroundColor(windowBackground());
  nativeTheme.on('updated', onTheme);
  w.on('closed', () => nativeTheme.off('updated', onTheme));
  w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  w.webContents.on('will-navigate', (e, url) => {
    if (!isTrustedSender(url)) e.preventDefault();
  });
  w.webContents.on('will-redirect', (e, url) => {
    if (!isTrustedSender(url)) e.preventDefault();
  });
  w.webContents.on('will-attach-webview', (e) => e.preventDefault());
  w.once('ready-to-show', () => {
    w.show();
    if (smoke) {
      w.webContents.executeJavaScript('document.title + "|" + Boolean(window.facenet) + "|" + typeof require').then(
        (probe: string) => {
          console.log(`FACENET_SMOKE_OK ${probe}`);
          app.quit();
        },
        // Without this a failed probe left the app open, and the smoke test timed out without the reason.
        (e: unknown) => {
          log.write('error', 'FACENET_SMOKE_FAILED: the probe could not run in the window', e);
          app.exit(1);
        },
      );
    }
  });
  // Not awaited: the window shows when ready-to-show fires. A failed load goes to the log (the window stays).
  w.loadURL('facenet://app/index.html#/people').catch((e: unknown) =>
    log.write('error', 'the window could not load the app', e),
  );
  return w;
}

function broadcast(event: ApiEvent): void {
  for (const w of BrowserWindow.getAllWindows()) w.webContents.send(CHANNEL_EVENT, event);
  if (!win) return;
  if (event.type === 'indexing-progress' && event.progress.total > 0) {
    win.setProgressBar(event.progress.done / event.progress.total);
  } else if (event.type === 'indexing-finished' || event.type === 'indexing-failed') {
    win.setProgressBar(-1);
  }
}

function registerIpc(): void {
  ipcMain.handle(
    CHANNEL_INVOKE,
    async (event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<InvokeReply> => {
      if (!isTrustedSender(event.senderFrame?.url))
        return { error: { code: 'bad-request', message: 'untrusted sender' } };
      try {
        const request = validateInvoke(method, args);
        if (!engine) throw new Error('engine not started');
        return { result: (await engine.call(request.method, request.args)) ?? null };
      } catch (e) {
        if (!(e instanceof Error && e.name === 'ApiError')) log.write('error', `IPC ${String(method)} failed`, e);
        return toReply(e);
      }
    },
  );
  ipcMain.handle(CHANNEL_PICK_FOLDER, async (event: IpcMainInvokeEvent): Promise<string | null> => {
    if (!isTrustedSender(event.senderFrame?.url) || !win) return null;
    const r = await dialog.showOpenDialog(win, { title: 'Add a photo folder', properties: ['openDirectory'] });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
}

app.on('second-instance', () => {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});

app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin' || smoke) app.quit();
});

app.on('will-quit', () => {
  // Quitting does not wait for the engine worker; a close that fails is only worth a log line.
  engine?.close?.().catch((e: unknown) => log.write('error', 'the engine did not close cleanly', e));
});

const startup = app.whenReady().then(() => {
  if (!primaryInstance) return;
  log.write('info', `FaceNet Photos ${app.getVersion()} starting (Electron ${process.versions.electron})`);
  installAppMenu();
  hardenSession();
  registerProtocol();
  registerIpc();
  // The same library as the CLI (src-main/app/library-location.ts; FACENET_LIBRARY overrides it there).
  const dbPath = defaultLibraryPath();
  // The packaged app ships the ONNX models as extra resources (electron-builder.yml); the worker inherits env.
  if (app.isPackaged) process.env.FACENET_MODELS_DIR ??= modelsDir;
  const workerEngine = WorkerEngine.start(workerScript('engine-worker.js', import.meta.url), dbPath, modelsDir);
  engine = workerEngine;
  workerEngine.on(broadcast);
  workerEngine.ready.then(
    () => log.write('info', `engine ready (library ${dbPath})`),
    (e: unknown) => reportFatal(log, `The photo engine could not start (library ${dbPath})`, e),
  );
  win = createWindow();
  win.on('closed', () => (win = null));
  app.on('activate', () => {
    if (!win) win = createWindow();
  });
});
// A throw while starting (menu, protocol, IPC, window) used to leave the app running without a window and
// only a log line (unhandledRejection): it is fatal, like an engine that cannot start.
startup.catch((e: unknown) => reportFatal(log, 'FaceNet Photos could not start', e));
