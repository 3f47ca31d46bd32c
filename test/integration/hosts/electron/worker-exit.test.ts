/**
 * A worker that exits or fails leaves no caller waiting: calls in flight and calls made afterwards are rejected.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WorkerEngine } from '../../../../src-main/hosts/electron/worker-engine.js';

const within = <T>(p: Promise<T>, ms = 3000): Promise<T> =>
  Promise.race([p, new Promise<T>((_, fail) => setTimeout(() => fail(new Error('still pending')), ms))]);

describe('WorkerEngine when the worker goes away', () => {
  it('rejects pending calls when the worker exits, and later calls at once', async () => {
    // A worker that answers nothing and exits when asked anything.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage({ ready: true });
       parentPort.on('message', () => setTimeout(() => process.exit(3), 50));`,
      { eval: true },
    );
    const engine = new WorkerEngine(worker);
    await engine.ready;
    await expect(within(engine.call('status', {}))).rejects.toMatchObject({ code: 'internal' });
    await expect(within(engine.call('status', {}))).rejects.toMatchObject({ code: 'internal', message: /exited/ });
    await expect(within(engine.photoPreview(1))).rejects.toMatchObject({ code: 'internal' });
  });

  it('rejects pending and later calls when the worker throws', async () => {
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage({ ready: true });
       parentPort.on('message', () => { throw new Error('boom'); });`,
      { eval: true },
    );
    const engine = new WorkerEngine(worker);
    await engine.ready;
    await expect(within(engine.call('status', {}))).rejects.toMatchObject({ code: 'internal', message: /boom/ });
    await expect(within(engine.call('listFolders', {}))).rejects.toMatchObject({ code: 'internal' });
  });
});
