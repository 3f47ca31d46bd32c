/**
 * The tuning methods and events over `facenet serve`, as the browser UI uses them: POST /api/<method> with the
 * token header, events on the authenticated WebSocket. The engine is the real EngineApi over a real SQLite
 * library, training in a real worker thread (test/helpers/tuning-library.ts); HTTP status codes carry the
 * ApiError codes (400 too few labels / bad payload, 409 second run / active version).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ApiEvent, ModelVersionDto, TuningStatusDto } from '../../../../src-shared/api.js';
import type { EngineApi } from '../../../../src-main/app/engine-api.js';
import { startServer, TOKEN_HEADER, type RunningServer } from '../../../../src-main/hosts/server/server.js';
import { confirmEveryone, indexedEngine, userWork } from '../../../helpers/tuning-library.js';
import { tempDir } from '../../../helpers/tmp.js';

interface Reply<T = unknown> {
  status: number;
  result?: T;
  error?: { code: string; message: string };
}

async function call<T = unknown>(server: RunningServer, method: string, args: unknown = {}): Promise<Reply<T>> {
  const res = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify(args),
  });
  return { status: res.status, ...((await res.json()) as { result?: T; error?: { code: string; message: string } }) };
}

describe('tuning over facenet serve (real engine)', () => {
  const tmp = tempDir('tuning-server-');
  let engine: EngineApi;
  let server: RunningServer;
  let ws: WebSocket;
  const pushed: ApiEvent[] = [];

  /** Resolves with the first pushed event (already received or to come) that matches. */
  const pushedEvent = async (match: (e: ApiEvent) => boolean): Promise<ApiEvent> => {
    for (;;) {
      const found = pushed.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    engine = await indexedEngine(tmp.dir);
    server = await startServer({ engine, log: () => {} });
    ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`, { origin: server.origin });
    ws.on('message', (m) => pushed.push(JSON.parse(String(m)) as ApiEvent));
    await new Promise((ok) => ws.on('open', ok));
  });

  afterAll(async () => {
    ws?.close();
    await server?.close();
    await engine?.close();
    tmp.cleanup();
  });

  it('answers the status and refuses a run without labels (400) or with a bad payload (400)', async () => {
    const status = await call<TuningStatusDto>(server, 'tuneStatus');
    expect(status.status).toBe(200);
    expect(status.result).toMatchObject({ running: false, activeVersion: 0, labels: { faces: 0, ready: false } });
    const refused = await call(server, 'tuneStart', { harmonic: false });
    expect(refused.status).toBe(400);
    expect(refused.error).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/not enough confirmed/),
    });
    expect((await call(server, 'tuneStart', { harmonic: 1 })).status).toBe(400);
    expect((await call(server, 'useModelVersion', { version: 'latest' })).status).toBe(400);
    const versions = await call<ModelVersionDto[]>(server, 'modelVersions');
    expect(versions.result?.map((v) => [v.version, v.active])).toEqual([[0, true]]);
  });

  it('starts a run, pushes its progress and end over the WebSocket, then applies and rolls back', async () => {
    await confirmEveryone(engine);
    const work = await userWork(engine);
    const started = await call<TuningStatusDto>(server, 'tuneStart', { harmonic: true });
    expect(started.status).toBe(200);
    expect(started.result).toMatchObject({ running: true, harmonic: true });
    const runId = started.result!.runId;
    const second = await call(server, 'tuneStart', {});
    expect(second).toMatchObject({ status: 409, error: { code: 'conflict' } });

    const end = await pushedEvent((e) => e.type === 'tuning-finished');
    expect(end).toMatchObject({
      type: 'tuning-finished',
      runId,
      outcome: 'done',
      report: { version: 1, harmonic: true },
    });
    const progress = pushed.filter((e) => e.type === 'tuning-progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatchObject({
      runId,
      progress: { epoch: expect.any(Number), totalSteps: expect.any(Number) },
    });
    // Events are JSON: a rate that could not be measured travels as null, never as a missing field.
    expect(Object.keys((end as Extract<ApiEvent, { type: 'tuning-finished' }>).report!.heldOut.valAtFar1e3)).toEqual([
      'before',
      'after',
      'crossVersion',
    ]);

    const status = await call<TuningStatusDto>(server, 'tuneStatus');
    expect(status.result).toMatchObject({ running: false, outcome: 'done', report: { version: 1 } });

    const applied = await call(server, 'useModelVersion', { version: 1 });
    expect(applied).toMatchObject({ status: 200, result: { version: 1, previous: 0, reembedded: 16 } });
    await pushedEvent((e) => e.type === 'library-changed' && e.reason === 'model-version');
    const discardActive = await call(server, 'discardModelVersion', { version: 1 });
    expect(discardActive).toMatchObject({ status: 409, error: { code: 'conflict' } });
    expect(await userWork(engine)).toEqual(work);

    const back = await call(server, 'useModelVersion', { version: 0 });
    expect(back).toMatchObject({ status: 200, result: { version: 0, previous: 1 } });
    const versions = await call<ModelVersionDto[]>(server, 'modelVersions');
    expect(versions.result?.map((v) => [v.version, v.active])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(await userWork(engine)).toEqual(work);
    const discarded = await call<ModelVersionDto[]>(server, 'discardModelVersion', { version: 1 });
    expect(discarded.result?.map((v) => v.version)).toEqual([0]);
  });

  it('cancels a run over HTTP and pushes the cancellation', async () => {
    const started = await call<TuningStatusDto>(server, 'tuneStart', {});
    expect(await call(server, 'tuneCancel')).toMatchObject({ status: 200, result: { cancelled: true } });
    const end = await pushedEvent((e) => e.type === 'tuning-finished' && e.runId === started.result!.runId);
    expect(end).toMatchObject({ outcome: 'cancelled', report: null });
  });
});
