import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import WebSocket from 'ws';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { startServer, TOKEN_HEADER, type RunningServer } from '../../../../src-main/hosts/server/server.js';
import { syntheticLibrary } from '../../../helpers/synthetic-library.js';
import { tempDir } from '../../../helpers/tmp.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP (fetch would not let us forge Host). */
function send(
  server: RunningServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', fail);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

function api(
  server: RunningServer,
  method: string,
  args: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return send(server, `/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token, ...headers },
    body: JSON.stringify(args),
  });
}

describe('facenet serve', () => {
  const tmp = tempDir('facenet-server-');
  let engine: EngineApi;
  /** Every request that reached the engine (the spy calls through to the real EngineApi). */
  let engineCalls: MockInstance<EngineApi['call']>;
  let server: RunningServer;
  let anna: number;
  let unnamed: number;
  let face: number;
  let photo: number;

  beforeAll(async () => {
    const staticDir = join(tmp.dir, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>FaceNet Photos</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(tmp.dir, 'secret.txt'), 'secret');
    const library = await syntheticLibrary(join(tmp.dir, 'engine'), {
      people: [
        { name: 'Anna', faces: 3 },
        { name: null, faces: 2 },
      ],
    });
    engine = library.api;
    [anna, unnamed] = library.personIds as [number, number];
    face = library.faceIds[0]![0]!;
    photo = (await engine.getPerson({ personId: anna })).faces[0]!.photoId;
    engineCalls = vi.spyOn(engine, 'call');
    server = await startServer({ engine, staticDir, log: () => {} });
  });

  afterAll(async () => {
    await server?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('binds loopback only and puts a long random token in the URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{40,}$/);
    const other = await startServer({ engine, log: () => {} });
    expect(other.token).not.toBe(server.token);
    await other.close();
    // Not reachable on another interface address of this machine (if it has one).
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const err = await new Promise<string>((ok) => {
        const req = request({ host: external.address, port: server.port, path: '/', timeout: 2000 }, () =>
          ok('connected'),
        );
        req.on('error', (e: NodeJS.ErrnoException) => ok(e.code ?? 'error'));
        req.on('timeout', () => {
          req.destroy();
          ok('timeout');
        });
        req.end();
      });
      expect(err).not.toBe('connected');
    }
  });

  it('refuses every kind of request without the token', async () => {
    expect((await send(server, '/')).status).toBe(401);
    expect((await send(server, '/assets/app.js')).status).toBe(401);
    expect((await send(server, '/thumb/1')).status).toBe(401);
    expect((await send(server, '/photo/1')).status).toBe(401);
    expect((await api(server, 'status', {}, { [TOKEN_HEADER]: 'wrong' })).status).toBe(401);
    // The API takes the header only: a query token (as a link or form on another page would carry) is refused.
    const viaQuery = await send(server, `/api/status?token=${server.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(viaQuery.status).toBe(401);
    expect(engineCalls).not.toHaveBeenCalled();
  });

  it('serves the page with the token, sets a strict cookie and a strict CSP', async () => {
    const page = await send(server, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('FaceNet Photos');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const cookie = `facenet_token=${server.token}`;
    const asset = await send(server, '/assets/app.js', { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    // Path traversal stays inside the renderer folder.
    const up = await send(server, '/..%2Fsecret.txt', { headers: { cookie } });
    expect(up.status).not.toBe(200);
    expect(up.body).not.toContain('secret');
  });

  it('refuses a wrong Host (DNS rebinding) and a foreign Origin even with the token', async () => {
    const rebind = await api(server, 'status', {}, { host: `evil.example:${server.port}` });
    expect(rebind.status).toBe(403);
    const otherPort = await api(server, 'status', {}, { host: `127.0.0.1:${server.port + 1}` });
    expect(otherPort.status).toBe(403);
    const foreign = await api(server, 'status', {}, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const own = await api(server, 'status', {}, { origin: server.origin, host: `localhost:${server.port}` });
    expect(own.status).toBe(200);
  });

  it('answers API calls and validates payloads before the engine sees them', async () => {
    const before = engineCalls.mock.calls.length;
    const people = await api(server, 'listPeople', {});
    expect(people.status).toBe(200);
    expect(JSON.parse(people.body).result.map((p: { name: string | null }) => p.name)).toEqual(['Anna', null]);

    const cases: Array<[string, unknown]> = [
      ['noSuchMethod', {}],
      ['getPerson', { personId: 'one' }],
      ['getPerson', {}],
      ['getPerson', { personId: anna, extra: true }],
      ['moveFaces', { faceIds: [1.5], to: { personId: anna } }],
      ['addManualFace', { photoId: photo, box: { x: 0, y: 0, width: -1, height: 5 }, to: { personId: anna } }],
      ['renamePerson', []],
    ];
    for (const [method, args] of cases) {
      const r = await api(server, method, args);
      expect(r.status, `${method} ${JSON.stringify(args)}`).toBe(400);
      expect(JSON.parse(r.body).error.code).toBe('bad-request');
    }
    const notJson = await send(server, '/api/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    const form = await send(server, '/api/status', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', [TOKEN_HEADER]: server.token },
      body: '{}',
    });
    expect(form.status).toBe(415);
    expect(engineCalls.mock.calls.map(([method]) => method).slice(before)).toEqual(['listPeople']);

    const missing = await api(server, 'getPerson', { personId: 999 });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toEqual({ code: 'not-found', message: 'no person 999' });
  });

  it('serves thumbnails and photos by numeric id only', async () => {
    const headers = { [TOKEN_HEADER]: server.token };
    const thumb = await send(server, `/thumb/${face}`, { headers });
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect((await send(server, `/thumb/${face}?token=${server.token}`)).status).toBe(200);
    expect((await send(server, '/thumb/999', { headers })).status).toBe(404);
    expect((await send(server, '/photo/..%2F..%2Fetc%2Fpasswd', { headers })).status).toBe(400);
    // Photos are served as the app's WebP previews, never the original file; `size` picks the bucket.
    const image = await send(server, `/photo/${photo}`, { headers });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/webp');
    const small = await fetch(`${server.origin}/photo/${photo}?size=100`, { headers });
    expect(small.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await small.arrayBuffer())).metadata();
    expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(320);
    expect((await send(server, `/photo/${photo}?size=big`, { headers })).status).toBe(400);
    expect((await send(server, `/photo/${photo}?size=0`, { headers })).status).toBe(400);
    // The Photos grid's URL carries the token in the query too: the route still matches.
    const sized = await send(server, `/photo/${photo}?size=320&token=${server.token}`);
    expect(sized.status).toBe(200);
    expect(sized.headers['content-type']).toBe('image/webp');
    expect((await send(server, '/photo/999', { headers })).status).toBe(404);
  });

  it('pushes engine events over an authenticated WebSocket and refuses others', async () => {
    const wsUrl = `ws://127.0.0.1:${server.port}/events`;
    const refused = await new Promise<string>((ok) => {
      const ws = new WebSocket(`${wsUrl}?token=wrong`);
      ws.on('open', () => ok('open'));
      ws.on('error', () => ok('refused'));
    });
    expect(refused).toBe('refused');
    const foreign = await new Promise<string>((ok) => {
      const ws = new WebSocket(`${wsUrl}?token=${server.token}`, { origin: 'http://evil.example' });
      ws.on('open', () => ok('open'));
      ws.on('error', () => ok('refused'));
    });
    expect(foreign).toBe('refused');

    const ws = new WebSocket(`${wsUrl}?token=${server.token}`, { origin: server.origin });
    await new Promise((ok) => ws.on('open', ok));
    const got = new Promise<unknown>((ok) => ws.on('message', (m) => ok(JSON.parse(String(m)))));
    const renamed = await api(server, 'renamePerson', { personId: unnamed, name: 'Ben' });
    expect(renamed.status).toBe(200);
    expect(await got).toMatchObject({ type: 'library-changed' });
    expect((await engine.getPerson({ personId: unnamed })).person.name).toBe('Ben');
    ws.close();
  });
});
