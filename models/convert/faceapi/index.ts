import type { ModelRecipe } from '../onnx-graph.js';
import { landmark68Recipe } from './landmark68.js';
import { recognitionRecipe } from './recognition.js';
import { recognitionLayerRecipe } from './recognition-layer.js';
import { ssdMobilenetv1Recipe } from './ssd-mobilenetv1.js';

/** Models built from `@vladmandic/face-api` weight manifests. */
export const faceApiRecipes: ModelRecipe[] = [
  recognitionRecipe,
  recognitionLayerRecipe,
  landmark68Recipe,
  ssdMobilenetv1Recipe,
];
