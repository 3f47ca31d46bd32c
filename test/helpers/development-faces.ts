/**
 * Every development set's faces (src-main/app/evaluation/dev-sets.ts) with the default pipeline, from the eval
 * cache as `facenet eval cluster --suite` fills it (a photo not cached yet is embedded and stored): what the
 * grouping benchmarks measure on.
 */
import { embedPhotos, type EmbeddedFace } from '../../src-main/app/evaluation/cluster.js';
import { developmentSets } from '../../src-main/app/evaluation/dev-sets.js';
import { withPrimaryFaceAnalyzer } from '../../src-main/app/evaluation/primary-embedding.js';
import { DEFAULT_CHOICE } from '../../src-main/app/pipeline-choice.js';
import { SHARED_DIR } from './shared.js';

/** The sets in their usual order, or only those named in `only`. */
export function developmentFaces(only?: readonly string[]): Promise<Array<{ name: string; faces: EmbeddedFace[] }>> {
  return withPrimaryFaceAnalyzer(DEFAULT_CHOICE, {}, undefined, async (analyzer, cache) => {
    const sets = developmentSets(SHARED_DIR).filter((s) => !only || only.includes(s.name));
    const missing = (only ?? []).filter((name) => !sets.some((s) => s.name === name));
    if (missing.length > 0) throw new Error(`no development set named ${missing.join(', ')}`);
    const out: Array<{ name: string; faces: EmbeddedFace[] }> = [];
    for (const set of sets)
      out.push({ name: set.name, faces: (await embedPhotos(analyzer, set.photos, SHARED_DIR, { cache })).faces });
    return out;
  });
}
