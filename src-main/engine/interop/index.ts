/** Export and XMP interchange: the public surface the CLI, server and app wire in. */
export * from './orientation.js';
export * from './regions.js';
export { XmpParseError } from './rdf.js';
export { readFaceRegions, faceRegionsFromDocument } from './xmp-read.js';
export { mergeFaceRegions, type MergeOptions } from './xmp-write.js';
export * from './sidecar.js';
export * from './safe-names.js';
export * from './folder-export.js';
export * from './manifest.js';
export * from './match.js';
