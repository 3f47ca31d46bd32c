/**
 * The truth of a folder-per-identity library (src-main/app/evaluation/indexed-tree.ts labels every photo's
 * primary face with its folder) against the people the app shows: who each person is (the majority identity
 * of the labelled faces it holds), which identities the grouping split, and how well a list of merge
 * suggestions covers those splits. Pure, so the measures are the same in the benchmark and the tests.
 */

/** Where each face is: its person id, or null (Unsorted or ignored). */
export type Membership = ReadonlyMap<number, number | null>;

/** Person id to its identity: the majority of its labelled faces (ties: the smaller name); absent: none. */
export function personIdentities(identityOf: ReadonlyMap<number, string>, membership: Membership): Map<number, string> {
  const votes = new Map<number, Map<string, number>>();
  for (const [faceId, personId] of membership) {
    const identity = identityOf.get(faceId);
    if (personId === null || identity === undefined) continue;
    const v = votes.get(personId) ?? new Map<string, number>();
    v.set(identity, (v.get(identity) ?? 0) + 1);
    votes.set(personId, v);
  }
  const out = new Map<number, string>();
  for (const [personId, v] of votes) {
    const [best] = [...v].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    if (best) out.set(personId, best[0]);
  }
  return out;
}

/** Identities that are the majority of two or more people, with those people (ascending). */
export function splitIdentities(identities: ReadonlyMap<number, string>): Map<string, number[]> {
  const people = new Map<string, number[]>();
  for (const [personId, identity] of [...identities].sort((x, y) => x[0] - y[0])) {
    people.set(identity, [...(people.get(identity) ?? []), personId]);
  }
  return new Map([...people].filter(([, p]) => p.length > 1));
}

export interface SuggestedPair {
  a: number;
  b: number;
}

export interface CoverageScore {
  /** Pairs listed; of them right (both people of one identity). */
  listed: number;
  right: number;
  /** right / listed (1 for an empty list). */
  precision: number;
  /** Identities split by the grouping; of them, those the list's right pairs join into one person. */
  splitIdentities: number;
  covered: number;
  coverage: number;
  /** Pairs of people of one split identity; of them listed. */
  splitPairs: number;
  splitPairsListed: number;
}

/** How a list of pairs covers the split identities (docs/merge-suggestions.md: the measures). */
export function coverage(pairs: readonly SuggestedPair[], identities: ReadonlyMap<number, string>): CoverageScore {
  const splits = splitIdentities(identities);
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as number;
    return r;
  };
  let right = 0;
  for (const p of pairs) {
    const ia = identities.get(p.a);
    if (ia === undefined || ia !== identities.get(p.b)) continue;
    right++;
    const [ra, rb] = [find(p.a), find(p.b)];
    if (ra !== rb) parent.set(ra, rb);
  }
  let covered = 0;
  let splitPairs = 0;
  for (const people of splits.values()) {
    splitPairs += (people.length * (people.length - 1)) / 2;
    if (new Set(people.map(find)).size === 1) covered++;
  }
  return {
    listed: pairs.length,
    right,
    precision: pairs.length === 0 ? 1 : right / pairs.length,
    splitIdentities: splits.size,
    covered,
    coverage: splits.size === 0 ? 1 : covered / splits.size,
    splitPairs,
    splitPairsListed: right,
  };
}
