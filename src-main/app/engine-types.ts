/**
 * What hosts name from the engine, re-exported so that they import only the app (eslint.layers.js): the
 * errors a use case run in process can throw (the CLI reports them as the API would), and the watcher's
 * options and the summary of each of its runs (`facenet index --watch` prints them).
 */
export { EngineError } from '../engine/errors.js';
export { PhotoError } from '../engine/vision/analysis.js';
export type { IndexSummary } from '../engine/indexing/indexer.js';
export type { WatchOptions } from '../engine/indexing/watcher.js';
