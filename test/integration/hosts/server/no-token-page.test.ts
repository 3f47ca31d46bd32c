/**
 * The address without its token: still refused (401), but a page that a browser shows says what to do; every
 * other request (assets, images, the API) gets the plain refusal, and the page carries nothing of the library.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineApi } from '../../../../src-main/app/engine-api.js';
import { startServer, type RunningServer } from '../../../../src-main/hosts/server/server.js';
import { tempDir } from '../../../helpers/tmp.js';

function get(
  server: RunningServer,
  path: string,
): Promise<{ status: number; type: string; csp: string; body: string }> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type']),
            csp: String(res.headers['content-security-policy']),
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', fail);
    req.end();
  });
}

describe('facenet serve without the token', () => {
  const tmp = tempDir('facenet-no-token-');
  let engine: EngineApi;
  let server: RunningServer;

  beforeAll(async () => {
    engine = EngineApi.open(join(tmp.dir, 'library.db'));
    server = await startServer({ engine });
  });

  afterAll(async () => {
    await server.close();
    await engine.close();
    tmp.cleanup();
  });

  it('answers a page with what to do, still a 401, with a CSP that runs nothing', async () => {
    for (const path of ['/', '/index.html', '/#/people', `/?token=wrong`]) {
      const reply = await get(server, path);
      expect(reply.status, path).toBe(401);
      expect(reply.type).toMatch(/^text\/html/);
      expect(reply.body).toContain('facenet serve');
      expect(reply.body).toContain('?token=');
      expect(reply.body).not.toContain('<script');
      expect(reply.csp).toContain("default-src 'none'");
      expect(reply.csp).not.toContain('script-src');
    }
  });

  it('refuses assets and images plainly', async () => {
    for (const path of ['/assets/app.js', '/thumb/1', '/photo/1', '/styles.css']) {
      const reply = await get(server, path);
      expect(reply.status, path).toBe(401);
      expect(reply.type, path).toMatch(/^text\/plain/);
    }
  });
});
