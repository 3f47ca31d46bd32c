/**
 * A face the detector missed, drawn by the user as a box: the 68 landmarks are predicted inside the box, the
 * face is aligned from them onto the embedder's template and embedded like any detected face (same model
 * version, so it clusters with the rest). Pipelines other than FaceAnalyzer can offer `embedBox` themselves.
 */
import type { Box } from '../../../src-shared/geometry.js';
import type { AnalyzedFace } from '../../../src-shared/analysis.js';
import type { FacePipeline } from './analysis.js';
import { openPixels } from './decode.js';
import { FaceAnalyzer } from './pipeline.js';
import { fivePointsFrom68 } from './templates.js';

/** A pipeline that can embed a face in a given box (oriented full-resolution pixels). */
export interface BoxEmbedder {
  embedBox(path: string, box: Box): Promise<AnalyzedFace>;
}

export function canEmbedBox(pipeline: FacePipeline): boolean {
  return pipeline instanceof FaceAnalyzer || typeof (pipeline as Partial<BoxEmbedder>).embedBox === 'function';
}

/** Clamps a box to the image; throws RangeError when nothing of it is inside. */
export function clampBox(box: Box, width: number, height: number): Box {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(width, box.x + box.width);
  const y1 = Math.min(height, box.y + box.height);
  if (!(x1 - x0 >= 4 && y1 - y0 >= 4)) throw new RangeError('the box is (almost) entirely outside the photo');
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Embeds the face in `box` of the photo at `path` with the real pipeline (or the pipeline's own embedBox). */
export async function embedManualFace(pipeline: FacePipeline, path: string, box: Box): Promise<AnalyzedFace> {
  if (!(pipeline instanceof FaceAnalyzer)) {
    const custom = pipeline as Partial<BoxEmbedder>;
    if (typeof custom.embedBox !== 'function') throw new Error('this pipeline cannot embed a drawn box');
    return custom.embedBox(path, box);
  }
  // Read like the indexer reads its photos (pipeline.ts analyzePhoto): each stage at the resolution it needs.
  const photo = await openPixels(path);
  const full = clampBox(box, photo.width, photo.height);
  const [landmarks68] = await pipeline.landmarks(photo.pixels, [full]);
  if (!landmarks68) throw new Error('no landmarks predicted');
  const [face] = await pipeline.embedIn(photo.pixels, [
    { box: full, score: 1, landmarks68, landmarks: fivePointsFrom68(landmarks68) },
  ]);
  if (!face) throw new Error('the face could not be embedded');
  return { ...face, score: 1 };
}
