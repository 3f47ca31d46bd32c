/**
 * Stable person ids across re-clustering: each new cluster takes the id of the old person it overlaps most,
 * so that the UI does not jump. Pure and deterministic.
 *
 * - A cluster that carries a person's seed (confirmed faces) is that person, always.
 * - Other clusters are matched to the remaining old people greedily, largest overlap first (ties: named
 *   people first, then smaller person id, then smaller cluster id); each old person and each cluster is used
 *   once. A cluster is never given the id of a person one of its faces was rejected for.
 * - Clusters left over become new people.
 */
export interface MappableCluster {
  id: number;
  faces: readonly number[];
  personId?: number;
}

export interface MappingInput {
  clusters: readonly MappableCluster[];
  /** The person each face belonged to before (faces in no person are absent). */
  previousPerson: ReadonlyMap<number, number>;
  /** Named people (preferred on equal overlap). */
  named: ReadonlySet<number>;
  /** Faces rejected per person. */
  rejected: ReadonlyMap<number, ReadonlySet<number>>;
}

/** Cluster id -> person id; clusters absent from the map need a new person. */
export function mapClustersToPeople(input: MappingInput): Map<number, number> {
  const out = new Map<number, number>();
  const used = new Set<number>();
  for (const c of input.clusters) {
    if (c.personId !== undefined) {
      out.set(c.id, c.personId);
      used.add(c.personId);
    }
  }
  const pairs: Array<{ cluster: number; person: number; overlap: number }> = [];
  for (const c of input.clusters) {
    if (c.personId !== undefined) continue;
    const counts = new Map<number, number>();
    for (const f of c.faces) {
      const p = input.previousPerson.get(f);
      if (p !== undefined && !used.has(p)) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (const [person, overlap] of counts) {
      const rejected = input.rejected.get(person);
      if (rejected && c.faces.some((f) => rejected.has(f))) continue;
      pairs.push({ cluster: c.id, person, overlap });
    }
  }
  const namedRank = (p: number): number => (input.named.has(p) ? 0 : 1);
  pairs.sort(
    (a, b) =>
      b.overlap - a.overlap ||
      namedRank(a.person) - namedRank(b.person) ||
      a.person - b.person ||
      a.cluster - b.cluster,
  );
  for (const p of pairs) {
    if (out.has(p.cluster) || used.has(p.person)) continue;
    out.set(p.cluster, p.person);
    used.add(p.person);
  }
  return out;
}
