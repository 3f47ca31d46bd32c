/**
 * The user's clustering and model settings, persisted in the library (settings table, key 'people').
 * Defaults come from the people module (threshold, quality floor, minimum cluster size) and the vision
 * registry (detector, embedder, execution providers).
 */
import type { SettingsDto } from '../../../src-shared/api.js';
import { EngineError } from '../errors.js';
import type { SettingsRepository } from '../storage/settings-repository.js';
import { platformProviders, type ExecutionProviderName } from '../vision/onnx-session.js';
import { DEFAULT_CHOICE, parseDetector, parseEmbedders } from '../vision/registry.js';
import { DEFAULT_MIN_CLUSTER_SIZE, DEFAULT_MIN_QUALITY, DEFAULT_THRESHOLD } from './clusterer.js';

export const SETTINGS_KEY = 'people';

const PROVIDERS: readonly ExecutionProviderName[] = ['cuda', 'dml', 'coreml', 'cpu'];

export function defaultSettings(): SettingsDto {
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
export function checkSettings(s: Partial<SettingsDto>): void {
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

  get(): SettingsDto {
    const stored = this.repo.get<Partial<SettingsDto>>(SETTINGS_KEY) ?? {};
    return { ...defaultSettings(), ...stored };
  }

  /** Validates and stores the given fields (others unchanged); returns the full settings. */
  update(patch: Partial<SettingsDto>): SettingsDto {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<SettingsDto>;
    checkSettings(clean);
    const stored = this.repo.get<Partial<SettingsDto>>(SETTINGS_KEY) ?? {};
    this.repo.set(SETTINGS_KEY, { ...stored, ...clean });
    return this.get();
  }
}
