/** Every model `npm run models` builds, in build order. */
import { faceApiRecipes } from './convert/faceapi/index.js';
import type { ModelRecipe } from './convert/onnx-graph.js';
import { tfjsGraphRecipes } from './convert/tfjs-graph/index.js';

export const allRecipes: ModelRecipe[] = [...faceApiRecipes, ...tfjsGraphRecipes];
