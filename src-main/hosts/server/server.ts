/**
 * `facenet serve`: the FaceNetApi over HTTP + WebSocket for the browser UI and the end-to-end tests.
 *
 * Security model (a local web server is reachable by every web page the user opens):
 * - binds 127.0.0.1 only (never 0.0.0.0);
 * - a per-run random secret token is required on every request: the `X-FaceNet-Token` header for the API
 *   (which also forces a CORS preflight that we never answer), and the header, the `token` query parameter
 *   or an HttpOnly SameSite=Strict cookie (set when the page is first loaded with `?token=`) for the page,
 *   its assets and images; the WebSocket takes it in the query on connect;
 * - the Host header must name this server (127.0.0.1 or localhost with our port): defeats DNS rebinding;
 * - an Origin header, when present, must be this server's own origin;
 * - images are served by id only (`/thumb/<faceId>`, `/photo/<photoId>?size=<px>`, the app's WebP preview, never
 *   the original file): no path ever comes from a client;
 * - static files come from the built renderer only, with a strict Content-Security-Policy.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, apiErrorBody, isApiError, validateRequest } from '../../../src-shared/api.js';
import { serverContentSecurityPolicy } from '../../app/content-security-policy.js';
import type { EngineLike } from '../../app/engine-like.js';
import { contentTypeFor, MIME, thumbPath } from '../../app/media-types.js';
import { NO_ACCESS_CSP, NO_ACCESS_PAGE, wantsPage } from './no-access-page.js';

// Re-exported: the server's users (and tests) have always imported them from here.
export { contentTypeFor, MIME, thumbPath, type EngineLike };

/** The `size` query of a photo URL: undefined when absent, null when it is not a whole number of pixels. */
export function previewSize(raw: string | null): number | undefined | null {
  if (raw === null) return undefined;
  return /^\d{1,5}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : null;
}

export interface ServerOptions {
  engine: EngineLike;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer); without it only the API and images are served. */
  staticDir?: string;
  /**
   * Fixed token (tests; `facenet serve --port`'s stored one); default: 32 random bytes, base64url. A given
   * token must be as strong: at least 43 URL-safe characters.
   */
  token?: string;
  /** Logs unexpected errors (default console.error). */
  log?: (message: string) => void;
}

export interface RunningServer {
  /** The page URL including the token: the only way in. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-facenet-token';
const COOKIE = 'facenet_token';
const MAX_BODY = 1 << 20;
const HOST = '127.0.0.1';

const STATUS: Record<ApiError['code'], number> = { 'bad-request': 400, 'not-found': 404, conflict: 409, internal: 500 };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { engine } = options;
  if (options.token !== undefined && !/^[A-Za-z0-9_-]{43,}$/.test(options.token)) {
    throw new Error('the server token must be at least 43 URL-safe characters (32 random bytes, base64url)');
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? ((m: string) => console.error(m));
  const staticRoot = options.staticDir ? resolve(options.staticDir) : null;
  let port = options.port ?? 0;

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  /** Host/Origin checks shared by HTTP and WebSocket. Returns a reason when refused. */
  function checkHostAndOrigin(req: IncomingMessage): string | null {
    const host = req.headers.host;
    if (!host || !allowedHosts().has(host.toLowerCase())) return 'bad host';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin.toLowerCase())) return 'bad origin';
    return null;
  }

  function tokenFrom(req: IncomingMessage, url: URL, allowLoose: boolean): boolean {
    const header = req.headers[TOKEN_HEADER];
    if (typeof header === 'string' && safeEqual(header, token)) return true;
    if (!allowLoose) return false;
    const q = url.searchParams.get('token');
    if (q !== null && safeEqual(q, token)) return true;
    const c = cookieToken(req);
    return c !== null && safeEqual(c, token);
  }

  function securityHeaders(res: ServerResponse): void {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, error: unknown): void {
    // Engines may throw ApiError-shaped errors from another module instance: isApiError knows them too.
    if (isApiError(error)) {
      sendJson(res, STATUS[error.code], { error: apiErrorBody(error) });
      return;
    }
    log(`facenet serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
  }

  function refuse(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(message);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > MAX_BODY) throw new ApiError('bad-request', 'request body too large');
      chunks.push(b);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function sendFile(res: ServerResponse, path: string, cache: string, extraHeaders = {}): Promise<void> {
    const stat = await fsp.stat(path).catch(() => null);
    if (!stat || !stat.isFile()) {
      refuse(res, 404, 'not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentTypeFor(path),
      'Content-Length': stat.size,
      'Cache-Control': cache,
      ...extraHeaders,
    });
    await new Promise<void>((done) => {
      const stream = createReadStream(path);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      refuse(res, 405, 'POST only');
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      sendJson(res, 415, { error: { code: 'bad-request', message: 'content-type must be application/json' } });
      return;
    }
    try {
      const text = await readBody(req);
      let args: unknown = undefined;
      if (text.trim() !== '') {
        try {
          args = JSON.parse(text);
        } catch {
          throw new ApiError('bad-request', 'body is not valid JSON');
        }
      }
      validateRequest(method, args);
      const result = await engine.call(method, args ?? {});
      sendJson(res, 200, { result: result === undefined ? null : result });
    } catch (e) {
      sendError(res, e);
    }
  }

  async function handleStatic(res: ServerResponse, pathname: string, setCookie: boolean): Promise<void> {
    if (!staticRoot) {
      refuse(res, 404, 'no renderer build (run npm run build:ui)');
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      refuse(res, 400, 'bad path');
      return;
    }
    if (rel.includes('\0')) {
      refuse(res, 400, 'bad path');
      return;
    }
    let file = resolve(join(staticRoot, rel));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      refuse(res, 403, 'forbidden');
      return;
    }
    const stat = await fsp.stat(file).catch(() => null);
    // Single-page app: unknown paths without an extension get index.html.
    if (!stat || stat.isDirectory()) {
      if (extname(rel) !== '' && !(stat && stat.isDirectory())) {
        refuse(res, 404, 'not found');
        return;
      }
      file = join(staticRoot, 'index.html');
    }
    const isHtml = extname(file) === '.html';
    const headers: Record<string, string> = isHtml
      ? { 'Content-Security-Policy': serverContentSecurityPolicy(port) }
      : {};
    if (setCookie) headers['Set-Cookie'] = `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
    await sendFile(res, file, isHtml ? 'no-store' : 'private, max-age=3600', headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    const bad = checkHostAndOrigin(req);
    if (bad) {
      refuse(res, 403, bad);
      return;
    }
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const path = url.pathname;
    const isApi = path.startsWith('/api/');
    if (!tokenFrom(req, url, !isApi)) {
      if (wantsPage(req.method, path)) {
        res.writeHead(401, {
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'Content-Security-Policy': NO_ACCESS_CSP,
        });
        res.end(NO_ACCESS_PAGE);
        return;
      }
      refuse(res, 401, 'missing or wrong token');
      return;
    }
    res.setHeader('Content-Security-Policy', serverContentSecurityPolicy(port));
    if (isApi) {
      await handleApi(req, res, path.slice('/api/'.length));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(res, 405, 'GET only');
      return;
    }
    const image = /^\/(thumb|photo)\/(\d{1,15})$/.exec(path);
    if (image) {
      const id = Number(image[2]);
      // `/photo/<id>?size=<px>`: a preview that long on its longest side (bucketed); without size, the large one.
      const size = image[1] === 'photo' ? previewSize(url.searchParams.get('size')) : undefined;
      if (size === null) {
        refuse(res, 400, 'size must be a whole number of pixels');
        return;
      }
      try {
        const file =
          image[1] === 'thumb' ? thumbPath(await engine.faceThumbnail(id)) : await engine.photoPreview(id, size);
        // Images only: never serve a library file as HTML, script or anything a browser would run.
        if (!contentTypeFor(file).startsWith('image/')) {
          refuse(res, 404, 'not found');
          return;
        }
        await sendFile(res, file, 'private, max-age=300');
      } catch (e) {
        sendError(res, e);
      }
      return;
    }
    if (path.startsWith('/thumb/') || path.startsWith('/photo/')) {
      refuse(res, 400, 'images are addressed by numeric id only');
      return;
    }
    await handleStatic(res, path, url.searchParams.get('token') !== null);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  wss.on('error', (error) => log(`facenet serve: WebSocket server error: ${error.message}`));
  server.on('upgrade', (req, socket, head) => {
    // A client that resets mid-handshake must not take the server down (ws adds its own listener once upgraded).
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const q = url.searchParams.get('token');
    const bad = checkHostAndOrigin(req) ?? (url.pathname !== '/events' ? 'bad path' : null);
    if (bad || q === null || !safeEqual(q, token)) {
      socket.write(`HTTP/1.1 ${bad ? 403 : 401} ${bad ?? 'missing or wrong token'}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A malformed frame (unmasked, over maxPayload, bad opcode…) or a reset is that client's problem only:
      // without this listener the 'error' event would be thrown and end `facenet serve`.
      ws.on('error', (error) => {
        sockets.delete(ws);
        log(`facenet serve: closed a WebSocket client: ${error.message}`);
        ws.terminate();
      });
      // Clients never send anything: any message closes the socket.
      ws.on('message', () => ws.close(1008, 'this socket is push-only'));
    });
  });

  const off = engine.on((event) => {
    const text = JSON.stringify(event);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, HOST, () => {
      server.off('error', fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${HOST}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    async close() {
      if (typeof off === 'function') off();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
