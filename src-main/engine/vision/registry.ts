/**
 * The catalogue of converted models and how to build a pipeline from them. The defaults were chosen by
 * measurement (README "Choosing the models"; reproduce with `npm run eval` and `npm run bench`).
 */
import { existsSync } from 'node:fs';
import { type SessionOptions } from './onnx-session.js';
import { BlazeFaceDetector } from './models/blazeface-detector.js';
import { FACEAPI_LANDMARK68_ID, FaceApiLandmark68 } from './models/faceapi-landmark68.js';
import { FACEAPI_RECOGNITION_ID, FaceApiRecognition } from './models/faceapi-recognition.js';
import { FACEAPI_SSD_ID, FaceApiSsdDetector } from './models/faceapi-ssd-detector.js';
import { onnxModelPath } from './models/model-files.js';
import { createFaceResEmbedder } from './models/faceres-embedder.js';
import { createMobileFaceEmbedder } from './models/mobileface-embedder.js';
import {
  DEFAULT_PIPELINE_OPTIONS,
  FaceAnalyzer,
  type AlignmentKind,
  type PipelineModels,
  type PipelineOptions,
} from './pipeline.js';
import { DLIB_CHIP } from './templates.js';
import type { DetectorModel, EmbedderModel } from './types.js';

export const DETECTORS = ['ssd', 'blazeface-full', 'blazeface-short'] as const;
export type DetectorId = (typeof DETECTORS)[number];

export const EMBEDDERS = ['dlib', 'mobileface', 'faceres'] as const;
export type EmbedderId = (typeof EMBEDDERS)[number];

export interface PipelineChoice {
  detector: DetectorId;
  /** One embedder, or several whose unit vectors are concatenated and re-normalised. */
  embedders: EmbedderId[];
}

export const DEFAULT_CHOICE: PipelineChoice = { detector: 'blazeface-full', embedders: ['dlib'] };

interface DetectorSpec {
  load(options: SessionOptions): Promise<DetectorModel>;
  /** Smallest face (box width, input pixels) found reliably: sets how fine the pyramid goes. */
  minFace: number;
  /** Landmark crop side relative to the detector's box (the box styles differ between detectors). */
  landmarkCropScale: number;
}

const DETECTOR_SPECS: Record<DetectorId, DetectorSpec> = {
  ssd: { load: (o) => FaceApiSsdDetector.load(undefined, o), minFace: 24, landmarkCropScale: 1.0 },
  'blazeface-full': { load: (o) => BlazeFaceDetector.create('full', o), minFace: 10, landmarkCropScale: 1.1 },
  'blazeface-short': { load: (o) => BlazeFaceDetector.create('short', o), minFace: 12, landmarkCropScale: 1.1 },
};

const EMBEDDER_SPECS: Record<
  EmbedderId,
  { load(o: SessionOptions): Promise<EmbedderModel>; alignment: AlignmentKind }
> = {
  dlib: { load: (o) => FaceApiRecognition.load(undefined, o), alignment: { kind: 'dlib', padding: DLIB_CHIP.padding } },
  mobileface: { load: (o) => createMobileFaceEmbedder(o), alignment: { kind: 'arcface' } },
  faceres: { load: (o) => createFaceResEmbedder(o), alignment: { kind: 'arcface' } },
};

/** The model file (models/onnx/<id>.onnx) each choice loads; every pipeline also loads the landmarks. */
const DETECTOR_FILES: Record<DetectorId, string> = {
  ssd: FACEAPI_SSD_ID,
  'blazeface-full': 'human-blazeface-full',
  'blazeface-short': 'human-blazeface-short',
};
const EMBEDDER_FILES: Record<EmbedderId, string> = {
  dlib: FACEAPI_RECOGNITION_ID,
  mobileface: 'human-mobileface',
  faceres: 'human-faceres',
};

export interface InstalledChoices {
  detectors: DetectorId[];
  embedders: EmbedderId[];
}

/**
 * The detectors and embedders whose model files are present. A development checkout has every converted
 * model; the packaged app ships only the default pipeline's (src-main/engine/vision/packaged-models.ts), so it
 * must offer only those (Settings) and refuse the others with a reason instead of failing at indexing.
 */
export function installedChoices(exists: (modelId: string) => boolean = modelFileExists): InstalledChoices {
  if (!exists(FACEAPI_LANDMARK68_ID)) return { detectors: [], embedders: [] };
  return {
    detectors: DETECTORS.filter((d) => exists(DETECTOR_FILES[d])),
    embedders: EMBEDDERS.filter((e) => exists(EMBEDDER_FILES[e])),
  };
}

/** Throws, naming what is missing, unless every model of `choice` is installed. */
export function assertInstalled(choice: PipelineChoice, installed: InstalledChoices = installedChoices()): void {
  const missing = [
    ...(installed.detectors.includes(choice.detector) ? [] : [`detector ${choice.detector}`]),
    ...choice.embedders.filter((e) => !installed.embedders.includes(e)).map((e) => `embedder ${e}`),
  ];
  if (missing.length > 0)
    throw new Error(
      `not installed in this build: ${missing.join(', ')} (available: detectors ${installed.detectors.join(', ') || 'none'}; embedders ${installed.embedders.join(', ') || 'none'})`,
    );
}

function modelFileExists(modelId: string): boolean {
  return existsSync(onnxModelPath(modelId));
}

export function parseDetector(value: string): DetectorId {
  if (!(DETECTORS as readonly string[]).includes(value)) {
    throw new Error(`unknown detector "${value}" (choose ${DETECTORS.join(', ')})`);
  }
  return value as DetectorId;
}

export function parseEmbedders(value: string): EmbedderId[] {
  const ids = value.split(/[+,]/).map((s) => s.trim());
  for (const id of ids) {
    if (!(EMBEDDERS as readonly string[]).includes(id)) {
      throw new Error(`unknown embedder "${id}" (choose ${EMBEDDERS.join(', ')}, or several joined with +)`);
    }
  }
  return ids as EmbedderId[];
}

export async function createFaceAnalyzer(
  choice: PipelineChoice = DEFAULT_CHOICE,
  options: Partial<PipelineOptions> = {},
  session: SessionOptions = {},
): Promise<FaceAnalyzer> {
  return new FaceAnalyzer(await loadPipelineModels(choice, session), {
    ...DEFAULT_PIPELINE_OPTIONS,
    ...definedOnly(options),
  });
}

/** The models of a choice with their settings (benches wrap one of them before building a FaceAnalyzer). */
export async function loadPipelineModels(
  choice: PipelineChoice = DEFAULT_CHOICE,
  session: SessionOptions = {},
): Promise<PipelineModels> {
  const spec = DETECTOR_SPECS[choice.detector];
  const [detector, landmarks, ...embedders] = await Promise.all([
    spec.load(session),
    FaceApiLandmark68.load(undefined, session),
    ...choice.embedders.map((id) => EMBEDDER_SPECS[id].load(session)),
  ]);
  return {
    detector: detector as DetectorModel,
    detectorMinFace: spec.minFace,
    landmarkCropScale: spec.landmarkCropScale,
    landmarks: landmarks as FaceApiLandmark68,
    embedders: (embedders as EmbedderModel[]).map((model, i) => ({
      model,
      alignment: EMBEDDER_SPECS[choice.embedders[i]!].alignment,
    })),
  };
}

/**
 * Verification thresholds (squared L2) per embedder combination, chosen as the best-accuracy threshold on
 * LFW View 1 *training* pairs (`../shared/lfw-dev/pairsDevTrain.txt`); reproduce with
 * `facenet eval lfw --pairs ../shared/lfw-dev/pairsDevTrain.txt --images ../shared/lfw-dev/images --json`
 * (field `threshold`). Flip augmentation changes distances slightly, so it has its own entry.
 */
const THRESHOLDS: Record<string, { flip: number; noFlip: number }> = {
  // pairsDevTrain, blazeface-full + dlib + flip: best-accuracy threshold 0.1717 (98.95% 10-fold on those
  // pairs). Without flip the distances have the same scale (0.178 is the best threshold with and without
  // flip on the test pairs), so the same value is used.
  dlib: { flip: 0.1717, noFlip: 0.1717 },
};

/** FaceNet's paper: about 1.1 separates identities for its own embedding; used for unmeasured combinations. */
export const FALLBACK_THRESHOLD = 1.1;

export function verificationThreshold(choice: PipelineChoice, flip: boolean): number {
  const entry = THRESHOLDS[choice.embedders.join('+')];
  if (!entry) return FALLBACK_THRESHOLD;
  return flip ? entry.flip : entry.noFlip;
}

/** Drops keys whose value is undefined, so that unset CLI options keep the defaults. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
