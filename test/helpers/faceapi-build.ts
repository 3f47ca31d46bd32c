/** Test helper: builds a face-api ONNX model only when models/onnx/<id>.onnx is missing. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { faceApiRecipes } from '../../models/convert/faceapi/index.js';
import { onnxModelPath } from '../../src-main/engine/vision/models/model-files.js';

export async function ensureFaceApiModel(id: string): Promise<string> {
  const path = onnxModelPath(id);
  if (existsSync(path)) return path;
  const recipe = faceApiRecipes.find((r) => r.id === id);
  if (!recipe) throw new Error(`no face-api recipe ${id}`);
  const { bytes } = await recipe.build();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}
