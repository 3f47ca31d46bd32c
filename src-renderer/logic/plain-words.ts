/**
 * Plain words for the settings and figures that have technical names (issue 13): what the user reads first.
 * The technical names and numbers stay available behind a "Details" disclosure; the stored settings are the
 * technical values, unchanged.
 */

/** Face finders (detectors), as the user chooses between them. */
const DETECTOR_WORDS: Record<string, string> = {
  'blazeface-full': 'Accurate (recommended)',
  'blazeface-short': 'Fast, for close-up faces',
  ssd: 'Thorough, slower',
};

/** Face recognition models (embedders). */
const EMBEDDER_WORDS: Record<string, string> = {
  dlib: 'Standard (recommended)',
  mobileface: 'Light',
  faceres: 'Alternative',
  'dlib+mobileface': 'Standard and light combined (slower)',
};

/** "Accurate (recommended)" for blazeface-full; an unknown value is shown as it is. */
export function detectorWords(detector: string): string {
  return DETECTOR_WORDS[detector] ?? detector;
}

export function embedderWords(embedder: string): string {
  return EMBEDDER_WORDS[embedder] ?? embedder;
}

/** Every execution provider the app knows, GPU ones first in order of preference; 'cpu' is always last. */
export const ALL_PROVIDERS = ['cuda', 'dml', 'coreml', 'cpu'] as const;

/** "Use the graphics card": 'off' when only the CPU is allowed, 'automatic' otherwise (any GPU that works). */
export type GpuMode = 'automatic' | 'off';

export function gpuMode(providers: readonly string[]): GpuMode {
  return providers.some((p) => p !== 'cpu') ? 'automatic' : 'off';
}

/**
 * The providers for a choice: 'off' is the CPU alone; 'automatic' keeps a list that already uses a graphics
 * card (the user may have picked some in Details), otherwise every one, each falling back when absent.
 */
export function providersFor(mode: GpuMode, current: readonly string[]): string[] {
  if (mode === 'off') return ['cpu'];
  return gpuMode(current) === 'automatic' ? [...current] : [...ALL_PROVIDERS];
}

/** "1 in 1,000" for 0.001; "1 in 50" for 0.02 (a rate of wrong matches, in words). */
export function oneIn(rate: number): string {
  if (!(rate > 0)) return 'none';
  return `1 in ${Math.round(1 / rate).toLocaleString('en-US')}`;
}

/**
 * The operating point of a threshold in words: "Finds 92.8% of matching pairs; 1 in 1,000 look-alike pairs
 * wrongly grouped" (VAL and FAR of the ROC, on the user's confirmed faces).
 */
export function operatingPointWords(op: { val: number; far: number }): string {
  const wrong = op.far > 0 ? `${oneIn(op.far)} pairs of different people wrongly grouped` : 'no wrong matches';
  return `Correct matches: ${(op.val * 100).toFixed(1)}% of same-person pairs · ${wrong}`;
}
