/**
 * `npx tsx test/bench/mixed-groups.bench.ts [set] [reference threshold]`: where the shipped grouping and the
 * issue-15 reference (exact average-linkage HAC at its best threshold for the set) disagree, on one development
 * set (default `lfw-view1-train`, reference threshold 0.115, its best). Counts the face pairs that only one of
 * the two puts together, same person or not, and lists the shipped grouping's groups that hold more than one
 * identity, largest first, with how many groups the reference makes of their faces. A diagnosis, not a choice.
 * Prints one JSON object.
 */
import { DEFAULT_CLUSTER_SETTINGS } from '../../src-main/app/evaluation/cluster.js';
import { exactAverageCuts } from '../../src-main/app/evaluation/references.js';
import { FaceClusterer } from '../../src-main/engine/people/clusterer.js';
import { clusterScores } from '../../src-shared/cluster-metrics.js';
import { developmentFaces } from '../helpers/development-faces.js';

const setName = process.argv[2] ?? 'lfw-view1-train';
const referenceThreshold = Number(process.argv[3] ?? 0.115);

const { faces } = (await developmentFaces([setName]))[0]!;
const { threshold, minClusterSize, minQuality } = DEFAULT_CLUSTER_SETTINGS;
const shipped = new FaceClusterer({ threshold, minClusterSize, minQuality }).fit(
  faces.map((f) => ({ id: f.id, embedding: f.embedding, photoId: f.id, quality: f.quality })),
).labels;
const reference = exactAverageCuts(faces, referenceThreshold)(referenceThreshold);
const truth = faces.map((f) => f.identity);

const together = { sameShippedOnly: 0, sameReferenceOnly: 0, differentShippedOnly: 0, differentReferenceOnly: 0 };
for (let i = 0; i < faces.length; i++) {
  for (let j = i + 1; j < faces.length; j++) {
    const s = shipped[i] === shipped[j];
    if (s === (reference[i] === reference[j])) continue;
    const same = truth[i] === truth[j];
    if (same) together[s ? 'sameShippedOnly' : 'sameReferenceOnly']++;
    else together[s ? 'differentShippedOnly' : 'differentReferenceOnly']++;
  }
}

const members = new Map<string | number, number[]>();
shipped.forEach((label, i) => members.set(label, [...(members.get(label) ?? []), i]));
const mixed = [...members.values()]
  .filter((m) => m.length > 1 && new Set(m.map((i) => truth[i])).size > 1)
  .map((m) => {
    const identities: Record<string, number> = {};
    for (const i of m) identities[truth[i]!] = (identities[truth[i]!] ?? 0) + 1;
    return { faces: m.length, identities, referenceGroups: new Set(m.map((i) => reference[i])).size };
  })
  .sort((a, b) => b.faces - a.faces);

console.log(
  JSON.stringify({
    set: setName,
    shipped: { threshold, bcubed: clusterScores(shipped, truth).bcubed },
    reference: { threshold: referenceThreshold, bcubed: clusterScores(reference, truth).bcubed },
    facePairsTogetherInOnlyOne: together,
    mixedGroups: mixed,
  }),
);
