/**
 * `facenet serve` survives what a client holding the token can do wrong: malformed WebSocket frames close that
 * client only (the server stays up and other clients keep their events), and `/photo/<id>` serves only photos
 * that indexed (status done) with an image content type.
 */
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { startServer, TOKEN_HEADER, type RunningServer } from '../../../../src-main/hosts/server/server.js';
import { syntheticLibrary } from '../../../helpers/synthetic-library.js';
import { tempDir } from '../../../helpers/tmp.js';

/** A raw TCP client that speaks the WebSocket upgrade itself (so it can then send frames no library would). */
async function rawUpgrade(server: RunningServer): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((ok, fail) => {
    socket.once('connect', ok);
    socket.once('error', fail);
  });
  socket.on('error', () => {}); // the server may reset us: that is the point
  socket.write(
    `GET /events?token=${encodeURIComponent(server.token)} HTTP/1.1\r\n` +
      `Host: 127.0.0.1:${server.port}\r\n` +
      'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const head = await new Promise<string>((ok) => socket.once('data', (d: Buffer) => ok(d.toString('latin1'))));
  expect(head).toMatch(/^HTTP\/1\.1 101 /);
  return socket;
}

function closed(socket: Socket, ms = 5000): Promise<boolean> {
  return new Promise((ok) => {
    if (socket.destroyed) return ok(true);
    const timer = setTimeout(() => ok(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      ok(true);
    });
  });
}

/** A well-behaved client receives the next event pushed by the engine (here: the one a settings save sends). */
async function clientGetsEvents(server: RunningServer, engine: EngineApi): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${encodeURIComponent(server.token)}`);
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  const got = new Promise<string>((ok) => ws.once('message', (d) => ok(String(d))));
  await engine.updateSettings({});
  expect(JSON.parse(await got)).toMatchObject({ type: 'library-changed' });
  ws.close();
}

describe('facenet serve: misbehaving WebSocket clients', () => {
  const tmp = tempDir('facenet-server-robust-');
  let engine: EngineApi;
  let server: RunningServer;
  let photo: number;
  const logged: string[] = [];

  beforeAll(async () => {
    const library = await syntheticLibrary(join(tmp.dir, 'engine'), { people: [{ name: 'Anna', faces: 2 }] });
    engine = library.api;
    photo = (await engine.getPerson({ personId: library.personIds[0]! })).faces[0]!.photoId;
    server = await startServer({ engine, log: (m) => logged.push(m) });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('an unmasked frame closes that client only', async () => {
    const socket = await rawUpgrade(server);
    // FIN + text, no mask bit, 5 bytes: clients must mask every frame (RFC 6455 5.1).
    socket.write(Buffer.concat([Buffer.from([0x81, 0x05]), Buffer.from('hello')]));
    expect(await closed(socket)).toBe(true);
    await clientGetsEvents(server, engine);
    expect(logged.some((m) => /closed a WebSocket client: .*MASK/.test(m))).toBe(true);
  }, 15_000);

  it('a frame over 64 KiB closes that client only', async () => {
    const socket = await rawUpgrade(server);
    // FIN + binary, masked, 64-bit length 1 MiB (only the header is needed for the server to refuse it).
    const header = Buffer.alloc(14);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(1n << 20n, 2);
    header.writeUInt32BE(0x01020304, 10);
    socket.write(Buffer.concat([header, Buffer.alloc(70 * 1024, 1)]));
    expect(await closed(socket)).toBe(true);
    await clientGetsEvents(server, engine);
  }, 15_000);

  it('garbage after the upgrade, and a client that vanishes, leave the server up', async () => {
    const a = await rawUpgrade(server);
    a.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const b = await rawUpgrade(server);
    b.resetAndDestroy();
    expect(await closed(a)).toBe(true);
    await clientGetsEvents(server, engine);
    const r = await fetch(`${server.origin}/api/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
      body: '{}',
    });
    expect(r.status).toBe(200);
  }, 15_000);

  it('/photo/<id> never serves a file without an image content type', async () => {
    const page = join(tmp.dir, 'page.html');
    writeFileSync(page, '<script>alert(1)</script>');
    // The real engine answers only photos that indexed, and it indexes only photo file names, so this guard is
    // the server's own second line: reaching it needs an engine that answers a page, for this one request.
    const original = engine.photoPreview.bind(engine);
    engine.photoPreview = () => Promise.resolve(page);
    try {
      const r = await fetch(`${server.origin}/photo/${photo}`, { headers: { [TOKEN_HEADER]: server.token } });
      expect(r.status).toBe(404);
    } finally {
      engine.photoPreview = original;
    }
    const ok = await fetch(`${server.origin}/photo/${photo}`, { headers: { [TOKEN_HEADER]: server.token } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^image\//);
  });
});
