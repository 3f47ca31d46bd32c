/**
 * Which face pipeline a host asks for: the detector and embedder ids it parses from its options (the CLI's
 * --detector and --embedder), and the analyzer options it may set. The catalogue itself is the engine's
 * (src-main/engine/vision/registry.ts); hosts name it through here, so they import only the app.
 */
import type { PipelineOptions } from '../engine/vision/pipeline.js';

export { DEFAULT_CHOICE, parseDetector, parseEmbedders, type PipelineChoice } from '../engine/vision/registry.js';

/** Detector score, smallest face, flip augmentation, landmark refinement; unset fields keep the defaults. */
export type AnalyzerOptions = Partial<PipelineOptions>;
