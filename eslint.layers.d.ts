// Types of eslint.layers.js (plain JavaScript, so that eslint.config.js loads it without a build step).
export declare const LAYERS: Record<string, string[]>;
export declare function layerOf(path: string): string | undefined;
export declare const layersPlugin: { rules: Record<string, unknown> };
