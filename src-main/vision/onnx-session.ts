/**
 * Creating onnxruntime sessions with the best execution provider the platform offers.
 *
 * Order: CUDA (Linux/Windows with an NVIDIA GPU and the CUDA libraries installed), DirectML (Windows),
 * CoreML (macOS), then CPU. A GPU provider that fails to load is logged with its reason and the next one
 * is tried, so a missing driver never stops the app: it only makes it slower.
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import * as ort from 'onnxruntime-node';

export type ExecutionProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';

export interface SessionInfo {
  session: ort.InferenceSession;
  /** The provider that actually loaded. */
  provider: ExecutionProviderName;
  /** Why each better provider was not used (empty when the first choice loaded). */
  fallbacks: Array<{ provider: ExecutionProviderName; reason: string }>;
}

export interface SessionOptions {
  /** Providers to try in order; default: what the platform offers, then CPU. */
  providers?: ExecutionProviderName[];
  /** CPU threads per session; default: all cores (the indexer runs one session per model). */
  intraOpThreads?: number;
  log?: (message: string) => void;
}

/** The providers worth trying on this platform, best first. `FACENET_EP` (comma list) overrides. */
export function platformProviders(env: NodeJS.ProcessEnv = process.env): ExecutionProviderName[] {
  const forced = env.FACENET_EP?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (forced && forced.length > 0) {
    const known: ExecutionProviderName[] = ['cuda', 'dml', 'coreml', 'cpu'];
    const bad = forced.filter((p) => !known.includes(p as ExecutionProviderName));
    if (bad.length > 0) throw new Error(`FACENET_EP: unknown execution provider(s) ${bad.join(', ')}`);
    return forced as ExecutionProviderName[];
  }
  switch (process.platform) {
    case 'win32':
      return ['cuda', 'dml', 'cpu'];
    case 'darwin':
      return ['coreml', 'cpu'];
    default:
      return ['cuda', 'cpu'];
  }
}

/** Whether onnxruntime-node in this install was built with a given provider. */
export function providerBundled(provider: ExecutionProviderName): boolean {
  if (provider === 'cpu') return true;
  const name = provider === 'dml' ? 'dml' : provider;
  const backends = ort.listSupportedBackends?.() ?? [];
  const entry = backends.find((b) => b.name === name);
  if (!entry) return false;
  // CUDA is listed but "not bundled" until the user installs the CUDA provider (see README).
  return entry.bundled || provider === 'cuda';
}

const sessionCache = new Map<string, Promise<SessionInfo>>();

/** Opens (once per path and options) an inference session with provider fallback. */
export function openSession(modelPath: string, options: SessionOptions = {}): Promise<SessionInfo> {
  const providers = options.providers ?? platformProviders();
  const key = `${modelPath}|${providers.join(',')}|${options.intraOpThreads ?? ''}`;
  let pending = sessionCache.get(key);
  if (!pending) {
    pending = createSession(modelPath, providers, options);
    sessionCache.set(key, pending);
    pending.catch(() => sessionCache.delete(key));
  }
  return pending;
}

async function createSession(
  modelPath: string,
  providers: ExecutionProviderName[],
  options: SessionOptions,
): Promise<SessionInfo> {
  if (!existsSync(modelPath)) {
    throw new Error(`model file not found: ${modelPath} (run \`npm run models\` to build the ONNX models)`);
  }
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const fallbacks: SessionInfo['fallbacks'] = [];
  const order = providers.includes('cpu') ? providers : [...providers, 'cpu' as const];
  for (const provider of order) {
    if (!providerBundled(provider)) {
      fallbacks.push({ provider, reason: 'not available in this onnxruntime-node build' });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: options.intraOpThreads ?? Math.max(1, cpus().length),
        interOpNumThreads: 1,
      });
      if (provider !== order[0] && fallbacks.length > 0 && !fallbacks.every((f) => f.reason.startsWith('not available'))) {
        log(`onnx: using ${provider} for ${modelPath}; ${fallbacks.map((f) => `${f.provider}: ${f.reason}`).join('; ')}`);
      }
      return { session, provider, fallbacks };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      fallbacks.push({ provider, reason });
      if (provider !== 'cpu') log(`onnx: ${provider} failed to load for ${modelPath} (${reason}); falling back`);
      else throw new Error(`onnx: cannot open ${modelPath}: ${reason}`);
    }
  }
  throw new Error(`onnx: no execution provider could open ${modelPath}`);
}

export { ort };
