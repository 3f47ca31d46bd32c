import type { ModelRecipe } from '../onnx-graph.js';

/** Models built from `@vladmandic/face-api` weight manifests. */
export const faceApiRecipes: ModelRecipe[] = [];
