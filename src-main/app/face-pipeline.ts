/**
 * The face pipeline's lifetime: built lazily from the settings' detector, embedder and providers when a job
 * first needs it (indexing, a watched change, a drawn face, an import region), shared while it lives, and
 * disposed when those settings change or the engine closes, so that the next use builds it again.
 */
import type { SettingsDto } from '../../src-shared/api.js';
import type { FacePipeline } from '../engine/vision/analysis.js';
import type { ExecutionProviderName } from '../engine/vision/onnx-session.js';
import { AnalyzerPool } from '../engine/vision/analyzer-pool.js';
import { parseDetector, parseEmbedders } from '../engine/vision/registry.js';

/** The settings the pipeline is built from: changing one of them means a new pipeline. */
export const MODEL_FIELDS = ['detector', 'embedder', 'providers'] as const;

export type PipelineFactory = (settings: SettingsDto) => Promise<FacePipeline>;

/**
 * The ONNX models the settings name, one worker thread per CPU up to 4 (AnalyzerPool: onnxruntime runs inference on
 * the calling thread, so only separate threads let photos in flight use separate cores).
 */
export function defaultPipelineFactory(settings: SettingsDto): Promise<FacePipeline> {
  return AnalyzerPool.create(
    { detector: parseDetector(settings.detector), embedders: parseEmbedders(settings.embedder) },
    {},
    { providers: settings.providers as ExecutionProviderName[] },
  );
}

export class LazyPipeline {
  private pending: Promise<FacePipeline> | null = null;

  constructor(
    private readonly create: PipelineFactory,
    /** The current settings, read at each (re)build. */
    private readonly settings: () => SettingsDto,
    /** Called once a build has loaded (the people service records the pipeline's model version). */
    private readonly loaded: (pipeline: FacePipeline) => void,
  ) {}

  /** The pipeline, building it on first use; a build that fails is forgotten, so the next call tries again. */
  get(): Promise<FacePipeline> {
    if (!this.pending) {
      const pending = this.create(this.settings());
      this.pending = pending;
      pending.then(
        (p) => this.loaded(p),
        () => {
          if (this.pending === pending) this.pending = null;
        },
      );
    }
    return this.pending;
  }

  /** Disposes the pipeline (waiting for a build in progress); the next get() builds a new one. */
  async dispose(): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    try {
      await (await pending).dispose();
    } catch {
      // a pipeline that failed to load has nothing to dispose
    }
  }
}
