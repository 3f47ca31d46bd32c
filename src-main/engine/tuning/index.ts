/** Fine-tuning the embedding layer from the user's labels, as a product feature (see tuning-service.ts). */
export { TuningService, type TuneReport, type TuneRequest, type UseResult } from './tuning-service.js';
export { EmbeddingVersionRepository, type EmbeddingVersion } from '../storage/embedding-version-repository.js';
