/**
 * The user's clustering and model settings, persisted in the library (settings table, key 'people').
 * Defaults come from the people module (threshold, quality floor, minimum cluster size) and the vision
 * registry (detector, embedder, execution providers).
 */
import { EngineError } from '../errors.js';
import type { SettingsRepository } from '../storage/settings-repository.js';
import { platformProviders, type ExecutionProviderName } from '../vision/onnx-session.js';
import { DEFAULT_CHOICE, parseDetector, parseEmbedders } from '../vision/registry.js';
import { DEFAULT_MIN_CLUSTER_SIZE, DEFAULT_MIN_QUALITY, DEFAULT_THRESHOLD } from './clusterer.js';

export const SETTINGS_KEY = 'people';

/** The clustering settings and the face pipeline's models, as stored per library. */
export interface Settings {
  /** Clustering distance threshold (squared L2, average linkage). */
  threshold: number;
  /** Faces below this quality (0..1) go to Unsorted. */
  minQuality: number;
  /** Clusters smaller than this go to Unsorted. */
  minClusterSize: number;
  detector: string;
  embedder: string;
  /** Preferred execution providers in order, e.g. ['cuda', 'cpu']. */
  providers: string[];
}

const PROVIDERS: readonly ExecutionProviderName[] = ['cuda', 'dml', 'coreml', 'cpu'];

export function defaultSettings(): Settings {
  return {
    threshold: DEFAULT_THRESHOLD,
    minQuality: DEFAULT_MIN_QUALITY,
    minClusterSize: DEFAULT_MIN_CLUSTER_SIZE,
    detector: DEFAULT_CHOICE.detector,
    embedder: DEFAULT_CHOICE.embedders.join('+'),
    providers: platformProviders(),
  };
}

/** Checks a (partial) settings update; throws EngineError('invalid') naming the bad field. */
export function checkSettings(s: Partial<Settings>): void {
  const bad = (msg: string): never => {
    throw new EngineError('invalid', msg);
  };
  if (s.threshold !== undefined && !(s.threshold > 0 && s.threshold <= 4)) bad('threshold must be in (0, 4]');
  if (s.minQuality !== undefined && !(s.minQuality >= 0 && s.minQuality <= 1)) bad('minQuality must be in [0, 1]');
  if (s.minClusterSize !== undefined && !(Number.isInteger(s.minClusterSize) && s.minClusterSize >= 1)) {
    bad('minClusterSize must be a positive integer');
  }
  try {
    if (s.detector !== undefined) parseDetector(s.detector);
    if (s.embedder !== undefined) parseEmbedders(s.embedder);
  } catch (e) {
    bad((e as Error).message);
  }
  if (s.providers !== undefined) {
    if (s.providers.length === 0) bad('providers must not be empty');
    const unknown = s.providers.filter((p) => !(PROVIDERS as readonly string[]).includes(p));
    if (unknown.length > 0) bad(`unknown execution provider(s) ${unknown.join(', ')} (choose ${PROVIDERS.join(', ')})`);
  }
}

export class PeopleSettingsStore {
  constructor(private readonly repo: SettingsRepository) {}

  get(): Settings {
    const stored = this.repo.get<Partial<Settings>>(SETTINGS_KEY) ?? {};
    return { ...defaultSettings(), ...stored };
  }

  /** Validates and stores the given fields (others unchanged); returns the full settings. */
  update(patch: Partial<Settings>): Settings {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<Settings>;
    checkSettings(clean);
    const stored = this.repo.get<Partial<Settings>>(SETTINGS_KEY) ?? {};
    this.repo.set(SETTINGS_KEY, { ...stored, ...clean });
    return this.get();
  }
}
