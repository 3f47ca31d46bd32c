/**
 * Creating onnxruntime sessions with the best execution provider the platform offers.
 *
 * Order: CUDA (Linux/Windows with an NVIDIA GPU and the CUDA libraries installed), DirectML (Windows),
 * CoreML (macOS), then CPU. A GPU provider that fails to load is logged with its reason and the next one
 * is tried, so a missing driver never stops the app: it only makes it slower.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
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
  /** CPU threads per inference call; default 1 (see defaultThreads). */
  intraOpThreads?: number;
  log?: (message: string) => void;
}

export const EXECUTION_PROVIDERS: readonly ExecutionProviderName[] = ['cuda', 'dml', 'coreml', 'cpu'];

/** A provider name as a user types it ("CUDA", " dml"); throws naming the known ones. */
export function parseProvider(name: string): ExecutionProviderName {
  const p = name.trim().toLowerCase();
  if (!(EXECUTION_PROVIDERS as readonly string[]).includes(p))
    throw new RangeError(`unknown execution provider "${name}" (known: ${EXECUTION_PROVIDERS.join(', ')})`);
  return p as ExecutionProviderName;
}

/** The providers worth trying on this platform, best first. `FACENET_EP` (comma list) overrides. */
export function platformProviders(env: NodeJS.ProcessEnv = process.env): ExecutionProviderName[] {
  const forced = env.FACENET_EP?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (forced && forced.length > 0) {
    const bad = forced.filter((p) => !(EXECUTION_PROVIDERS as readonly string[]).includes(p));
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

/** Where onnxruntime-node keeps its native libraries for this platform. */
function ortBinaryDir(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('onnxruntime-node/package.json'));
  return join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
}

/**
 * Whether this onnxruntime-node install can offer a provider. CUDA needs the provider libraries that
 * onnxruntime-node's install script downloads (not run: package.json allowScripts; see README "GPU (CUDA)"), so it
 * is only attempted when they are present; DirectML and CoreML ship inside the Windows/macOS builds.
 */
export function providerAvailable(provider: ExecutionProviderName): { ok: boolean; reason?: string } {
  if (provider === 'cpu') return { ok: true };
  if (provider === 'cuda') {
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return existsSync(join(ortBinaryDir(), lib))
      ? { ok: true }
      : { ok: false, reason: `CUDA provider not installed (${lib} missing; see README "GPU (CUDA)")` };
  }
  const platform = provider === 'dml' ? 'win32' : 'darwin';
  return process.platform === platform ? { ok: true } : { ok: false, reason: `only available on ${platform}` };
}

/**
 * CPU threads per inference call. `FACENET_THREADS` overrides; default 1: batch work (indexing,
 * evaluation, benchmarks) keeps one photo in flight per core instead (indexing: one worker thread per core,
 * analyzer-pool.ts), which measured 1.4x faster than one photo at a time with two threads per call on
 * 2 cores (`npm run bench`: 5.25 vs 3.78 photos/s; our models' layers are too small to split well), and
 * two photos with two threads each oversubscribes the cores (2.2x slower).
 */
function defaultThreads(): number {
  const forced = Number(process.env.FACENET_THREADS);
  return Number.isInteger(forced) && forced > 0 ? forced : 1;
}

const sessionCache = new Map<string, Promise<SessionInfo>>();
const loaded = new Map<string, Pick<SessionInfo, 'provider' | 'fallbacks'>>();

export interface ActiveProvider {
  model: string;
  provider: ExecutionProviderName;
  fallbacks: SessionInfo['fallbacks'];
}

/** Which provider each opened model runs on, and why better ones were skipped (for status displays). */
export function activeProviders(): ActiveProvider[] {
  return [...loaded.entries()].map(([model, info]) => ({ model, provider: info.provider, fallbacks: info.fallbacks }));
}

/**
 * Records models opened in another thread (the analyzer pool's workers), so that this thread's
 * activeProviders() tells the truth about where the pipeline runs.
 */
export function recordActiveProviders(entries: readonly ActiveProvider[]): void {
  for (const { model, provider, fallbacks } of entries) loaded.set(model, { provider, fallbacks });
}

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
    const availability = providerAvailable(provider);
    if (!availability.ok) {
      fallbacks.push({ provider, reason: availability.reason! });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: options.intraOpThreads ?? defaultThreads(),
        interOpNumThreads: 1,
      });
      const info: SessionInfo = { session, provider, fallbacks };
      loaded.set(basename(modelPath), { provider, fallbacks });
      return info;
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
