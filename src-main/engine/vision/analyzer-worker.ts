/**
 * The face pipeline's worker thread (started by analyzer-pool.ts): loads its own FaceAnalyzer (own ONNX
 * sessions) and analyses the photos it is sent, one reply per request.
 *
 * Why a thread: onnxruntime-node's `session.run` is synchronous on the thread that calls it (its promise only
 * defers the call with setImmediate), so every inference of a process runs on its main thread, one at a
 * time, however many photos are in flight. A worker per core gives each its own thread to run on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PhotoAnalysis } from '../../../src-shared/analysis.js';
import { PhotoError } from './analysis.js';
import { activeProviders, type ActiveProvider, type SessionOptions } from './onnx-session.js';
import type { PipelineOptions } from './pipeline.js';
import { createFaceAnalyzer, type PipelineChoice } from './registry.js';

/** What the pool gives each worker (plain data: it crosses the thread boundary). */
export interface AnalyzerWorkerData {
  facenetAnalyzer: true;
  choice: PipelineChoice;
  options: Partial<PipelineOptions>;
  session: Pick<SessionOptions, 'providers' | 'intraOpThreads'>;
}

export interface AnalyzeRequest {
  id: number;
  path: string;
}

export type AnalyzerReply =
  | { kind: 'ready'; modelVersion: string; providers: ActiveProvider[] }
  | { kind: 'load-failed'; message: string }
  | { kind: 'result'; id: number; analysis: PhotoAnalysis }
  | { kind: 'photo-error'; id: number; path: string; reason: PhotoError['reason']; detail: string }
  | { kind: 'error'; id: number; name: string; message: string };

async function serve(data: AnalyzerWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const reply = (r: AnalyzerReply): void => port.postMessage(r);
  let analyzer: Awaited<ReturnType<typeof createFaceAnalyzer>>;
  try {
    analyzer = await createFaceAnalyzer(data.choice, data.options, data.session);
  } catch (e) {
    reply({ kind: 'load-failed', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  port.on('message', (request: AnalyzeRequest) => {
    void analyzer.analyzePhoto(request.path).then(
      (analysis) => reply({ kind: 'result', id: request.id, analysis }),
      (e: unknown) => {
        if (e instanceof PhotoError)
          reply({ kind: 'photo-error', id: request.id, path: e.path, reason: e.reason, detail: e.detail });
        else if (e instanceof Error) reply({ kind: 'error', id: request.id, name: e.name, message: e.message });
        else reply({ kind: 'error', id: request.id, name: 'Error', message: String(e) });
      },
    );
  });
  reply({ kind: 'ready', modelVersion: analyzer.modelVersion, providers: activeProviders() });
}

const data = workerData as Partial<AnalyzerWorkerData> | null;
if (data?.facenetAnalyzer === true) void serve(data as AnalyzerWorkerData);
