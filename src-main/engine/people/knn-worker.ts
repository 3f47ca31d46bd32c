/**
 * The kNN worker's entry point (started by knn-threads.ts): waits for a task on the shared control words,
 * takes it from its port, runs its share (knn-tasks.ts), replies, and counts itself done. Synchronous on
 * purpose: the thread that started it is blocked in Atomics.wait, so neither side runs an event loop.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { runKnnTask, type KnnTask } from './knn-tasks.js';
import { CTRL } from './knn-threads.js';

const { ctrl, port } = workerData as { ctrl: Int32Array; port: MessagePort };

let generation = Atomics.load(ctrl, CTRL.generation);
Atomics.add(ctrl, CTRL.ready, 1);
Atomics.notify(ctrl, CTRL.ready);
for (;;) {
  Atomics.wait(ctrl, CTRL.generation, generation);
  generation = Atomics.load(ctrl, CTRL.generation);
  const task = receiveMessageOnPort(port)?.message as KnnTask | null | undefined;
  if (!task) break;
  try {
    port.postMessage({ ok: true, reply: runKnnTask(task) });
  } catch (error) {
    port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
  Atomics.add(ctrl, CTRL.done, 1);
  Atomics.notify(ctrl, CTRL.done);
}
port.close();
