/**
 * The API boundary over a real server, a real EngineApi and a real SQLite library: fields that only exist on
 * Object.prototype are refused, names and lists are capped, empty and relative paths are refused, unexpected
 * errors reach the client as a generic message with an id (the detail is logged), an importXmp folder that
 * fails is a per-folder error, /photo/<id> serves only photos that indexed, and the review methods are served
 * and checked like the others.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EngineApi } from '../../../../src-main/app/engine-api.js';
import { ImportService } from '../../../../src-main/engine/interop/import-service.js';
import { startServer, TOKEN_HEADER, type RunningServer } from '../../../../src-main/hosts/server/server.js';
import { NoisyPipeline } from '../../../helpers/people-library.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir('facenet-api-boundary-');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of several shapes
type Reply = any;
let engine: EngineApi;
let server: RunningServer;
const logged: string[] = [];

async function api(method: string, args: unknown): Promise<{ status: number; body: Reply }> {
  const r = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: typeof args === 'string' ? args : JSON.stringify(args),
  });
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  engine = EngineApi.open(join(tmp.dir, 'lib.db'), { createPipeline: async () => new NoisyPipeline() });
  server = await startServer({ engine, log: (m) => logged.push(m) });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await server.close();
  await engine.close();
  tmp.cleanup();
});

describe('API boundary', () => {
  it('refuses fields inherited from Object.prototype; settings stay as they were', async () => {
    const before = (await api('getSettings', {})).body.result;
    for (const body of ['{"toString": 1}', '{"__proto__": {"threshold": 3}}', '{"constructor": "x"}']) {
      const r = await api('updateSettings', body);
      expect(r.status, body).toBe(400);
      expect(r.body.error.message).toMatch(/unexpected field/);
    }
    expect((await api('getSettings', {})).body.result).toEqual(before);
  });

  it('caps names at 200 characters wherever they enter, and strings inside lists', async () => {
    const long = 'x'.repeat(900_000);
    expect((await api('moveFaces', { faceIds: [1], to: { newPerson: true, name: long } })).status).toBe(400);
    expect((await api('moveFaces', { faceIds: [1], to: { newPerson: true, name: 'x'.repeat(201) } })).status).toBe(400);
    expect(
      (
        await api('addManualFace', {
          photoId: 1,
          box: { x: 0, y: 0, width: 5, height: 5 },
          to: { newPerson: true, name: 'x'.repeat(201) },
        })
      ).status,
    ).toBe(400);
    expect((await api('renamePerson', { personId: 1, name: 'x'.repeat(201) })).status).toBe(400);
    expect((await api('moveFaces', { faceIds: [1], to: { newPerson: true, junk: 1 } })).status).toBe(400);
    expect((await api('importXmp', { folders: ['/' + 'x'.repeat(5000)] })).status).toBe(400);
    expect(
      (await api('mergePeople', { targetId: 1, sourceIds: Array.from({ length: 100_001 }, (_, i) => i) })).status,
    ).toBe(400);
  });

  it('refuses empty and relative paths instead of using the working folder', async () => {
    for (const path of ['', '   ', '.', 'photos', '../x']) {
      const r = await api('addFolder', { path });
      expect(r.status, JSON.stringify(path)).toBe(400);
      expect(r.body.error.message).toMatch(/empty|not an absolute path/);
    }
    expect((await api('importXmp', { folders: ['relative'] })).status).toBe(400);
    expect((await api('exportPeople', { format: 'csv', out: 'relative' })).status).toBe(400);
    expect((await api('listFolders', {})).body.result).toEqual([]);
  });

  it('sends a generic message with an id for unexpected errors and logs the detail', async () => {
    const spy = vi.spyOn(engine.library, 'status').mockImplementation(() => {
      throw new Error('ENOENT: /home/someone/secret/library.db');
    });
    const errors: string[] = [];
    const console_ = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(String(m)));
    try {
      const r = await api('status', {});
      expect(r.status).toBe(500);
      expect(r.body.error.message).not.toMatch(/secret|\//);
      const id = /id ([0-9a-f]{8})/.exec(r.body.error.message)?.[1];
      expect(id).toBeDefined();
      expect(errors.some((e) => e.includes(id!) && e.includes('/home/someone/secret'))).toBe(true);
    } finally {
      spy.mockRestore();
      console_.mockRestore();
    }
  });

  it('a folder the importer cannot read is a per-folder error; the other folders are imported', async () => {
    const a = join(tmp.dir, 'a');
    const b = join(tmp.dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const real = ImportService.prototype.importXmp;
    const spy = vi.spyOn(ImportService.prototype, 'importXmp').mockImplementation(async function (
      this: ImportService,
      folders,
      options,
    ) {
      if (folders.includes(b))
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${b}/private'`), { code: 'EACCES' });
      return real.call(this, folders, options);
    });
    try {
      const r = await api('importXmp', { folders: [a, b] });
      expect(r.status).toBe(200);
      expect(r.body.result.errors).toEqual([{ path: b, error: expect.stringMatching(/permission denied/) }]);
    } finally {
      spy.mockRestore();
    }
  });

  it('serves the review queue and sub-groups, and checks their fields', async () => {
    expect(await api('reviewQueue', {})).toEqual({ status: 200, body: { result: { total: 0, items: [] } } });
    expect((await api('reviewQueue', { personId: 'x' })).status).toBe(400);
    expect((await api('reviewQueue', { limit: -1 })).status).toBe(400);
    expect((await api('reviewQueue', { personId: 424242 })).status).toBe(404);
    expect((await api('personSubgroups', {})).status).toBe(400);
    expect((await api('personSubgroups', { personId: 424242 })).status).toBe(404);
  });

  it('/photo/<id> serves only photos that indexed', async () => {
    const photos = join(tmp.dir, 'photos');
    mkdirSync(photos);
    writeFileSync(join(photos, 'broken.jpg'), '#!/bin/sh\necho not an image\n');
    await api('addFolder', { path: photos });
    await api('startIndexing', {});
    await engine.whenIdle();
    const failed = engine.library.errors();
    expect(failed.length).toBe(1);
    const r = await fetch(`${server.origin}/photo/${failed[0]!.photoId}`, {
      headers: { [TOKEN_HEADER]: server.token },
    });
    expect(r.status).toBe(404);
  });
});
