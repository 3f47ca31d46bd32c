/**
 * "Named people stay right": simulates a user who names people, on a folder-per-identity tree
 * (`<root>/<identity>/<photo>`), through the app's own library and people code, and measures the grouping
 * before and after.
 *
 * 1. A temporary library (a real SQLite file in a temp folder, deleted afterwards) indexes the tree with the
 *    real pipeline (indexed-tree.ts: exactly as `facenet index` does, the indexed library cached per root and
 *    pipeline settings, so a later run only indexes what changed).
 * 2. Group: `recluster` at the library's threshold (the people service, through the validated API).
 * 3. Label: for the m identities with most faces (ties by folder name), k of the identity's faces are chosen
 *    with a seeded RNG (src-shared/random.ts). Their person is the one holding most of them after step 2 (ties: the
 *    one holding more of the identity, then the lower id), unless an earlier identity already named it, in
 *    which case, or when none of them is in a person, they go to a new person (`moveFaces` new). Otherwise
 *    `confirmFaces` to that person. The person is then renamed after the folder (`renamePerson`).
 * 4. Re-group: `recluster` at the same threshold, honouring those decisions.
 *
 * Scoring: every photo is single-subject, so only its primary face (primary-face.ts: the large face nearest
 * the centre) is labelled with the folder and scored; the other faces of a photo are unlabelled strangers,
 * clustered like every face but left out of every metric (counted in `strangerFaces`, and per named person in
 * the report). A primary face in no person (Unsorted) is its own singleton cluster. `before` and `after`:
 * BCubed and pairwise P/R/F (src-shared/cluster-metrics.ts) and the people shown. `named`: over the people
 * named in step 3, precision = share of the (primary) faces they hold that belong to their identity, recall =
 * share of each named identity's faces held by its person, averaged over the named identities.
 */
import type { FaceNetApi } from '../../../src-shared/api.js';
import { clusterScores, type PRF } from '../../../src-shared/cluster-metrics.js';
import { squaredL2 } from '../../../src-shared/vectors.js';
import { Rng } from '../../../src-shared/random.js';
import { openIndexedTree, type IndexedTreeOptions, type LabelledFace } from './indexed-tree.js';

export type { LabelledFace } from './indexed-tree.js';

/** Where each face is: its person id, or null (Unsorted). */
export type Membership = ReadonlyMap<number, number | null>;

export interface LabelPlan {
  identity: string;
  /** The k chosen faces, in the order chosen. */
  faceIds: number[];
  /** The person they are confirmed for, or 'new' (moved to a new person named after the folder). */
  target: number | 'new';
}

/**
 * What the simulated user does: the `people` identities with most faces (ties by folder name), `faces` faces
 * of each chosen with a seeded RNG (from the faces sorted by photo path, so independent of face ids), and the
 * person each group of faces should join (see the module comment). Pure and deterministic.
 */
export function planLabels(
  faces: readonly LabelledFace[],
  membership: Membership,
  options: { people: number; faces: number; seed: number },
): LabelPlan[] {
  const byIdentity = new Map<string, LabelledFace[]>();
  for (const f of faces) {
    const list = byIdentity.get(f.identity) ?? [];
    list.push(f);
    byIdentity.set(f.identity, list);
  }
  const identities = [...byIdentity.entries()]
    .sort(([a, fa], [b, fb]) => fb.length - fa.length || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, Math.max(0, options.people));
  const rng = new Rng(options.seed);
  const claimed = new Set<number>();
  const plans: LabelPlan[] = [];
  for (const [identity, list] of identities) {
    const sorted = [...list].sort((a, b) => (a.photo < b.photo ? -1 : a.photo > b.photo ? 1 : a.faceId - b.faceId));
    const chosen = rng.shuffle(sorted).slice(0, Math.max(1, options.faces));
    const votes = new Map<number, number>();
    for (const f of chosen) {
      const p = membership.get(f.faceId) ?? null;
      if (p !== null && !claimed.has(p)) votes.set(p, (votes.get(p) ?? 0) + 1);
    }
    const held = new Map<number, number>();
    for (const f of list) {
      const p = membership.get(f.faceId) ?? null;
      if (p !== null) held.set(p, (held.get(p) ?? 0) + 1);
    }
    let target: number | 'new' = 'new';
    let best: [number, number] = [0, 0];
    for (const [p, v] of votes) {
      const h = held.get(p) ?? 0;
      if (
        target === 'new' ||
        v > best[0] ||
        (v === best[0] && h > best[1]) ||
        (v === best[0] && h === best[1] && p < target)
      ) {
        target = p;
        best = [v, h];
      }
    }
    if (target !== 'new') claimed.add(target);
    plans.push({ identity, faceIds: chosen.map((f) => f.faceId), target });
  }
  return plans;
}

export interface GroupingScore {
  bcubed: PRF;
  pairwise: PRF;
  /** People the app shows (listPeople: with faces, or named; hidden ones excluded). */
  people: number;
}

/** BCubed and pairwise scores of the labelled faces; a face in no person is a singleton. */
export function scoreGrouping(faces: readonly LabelledFace[], membership: Membership): Omit<GroupingScore, 'people'> {
  const predicted = faces.map((f) => {
    const p = membership.get(f.faceId) ?? null;
    return p === null ? `unsorted:${f.faceId}` : `person:${p}`;
  });
  const s = clusterScores(
    predicted,
    faces.map((f) => f.identity),
  );
  return { bcubed: s.bcubed, pairwise: s.pairwise };
}

export interface NamedScore {
  /** People named after an identity. */
  people: number;
  /** Labelled faces those people hold. */
  faces: number;
  /** Share of those faces that belong to the person's identity (1 when they hold none). */
  precision: number;
  /** Share of each named identity's faces its person holds, averaged over the named identities. */
  recall: number;
}

/** `named` from the people named after identities (identity to person id). */
export function scoreNamed(
  faces: readonly LabelledFace[],
  membership: Membership,
  namedPeople: ReadonlyMap<string, number>,
): NamedScore {
  const identityOf = new Map<number, string>();
  for (const [identity, personId] of namedPeople) identityOf.set(personId, identity);
  let held = 0;
  let right = 0;
  const total = new Map<string, number>();
  const kept = new Map<string, number>();
  for (const f of faces) {
    total.set(f.identity, (total.get(f.identity) ?? 0) + 1);
    const p = membership.get(f.faceId) ?? null;
    const named = p === null ? undefined : identityOf.get(p);
    if (named === undefined) continue;
    held++;
    if (named === f.identity) {
      right++;
      kept.set(f.identity, (kept.get(f.identity) ?? 0) + 1);
    }
  }
  const recalls = [...namedPeople.keys()].map((identity) => (kept.get(identity) ?? 0) / (total.get(identity) || 1));
  return {
    people: namedPeople.size,
    faces: held,
    precision: held > 0 ? right / held : 1,
    recall: recalls.length > 0 ? recalls.reduce((a, b) => a + b, 0) / recalls.length : 1,
  };
}

/** A face of another identity inside a named person, and how close it is to what the user confirmed. */
export interface Intruder {
  faceId: number;
  identity: string;
  photo: string;
  /** Squared L2 to the nearest confirmed face of the person (single linkage) and to their mean vector. */
  nearestConfirmed: number;
  meanConfirmed: number;
  /** Where it was before the labels: 'same' person, 'other' person, or 'unsorted'. */
  before: 'same' | 'other' | 'unsorted';
}

export interface NamedPersonReport {
  name: string;
  personId: number;
  /** 'confirm' into the person found by the first grouping, or 'new'. */
  action: 'confirm' | 'new';
  confirmed: number;
  /**
   * The confirmed faces (face ids of this run's library), their photos, and the person each was in after the
   * first grouping (null: Unsorted); one taken from another person also records "not that person" for it.
   */
  confirmedFaces: Array<{ faceId: number; photo: string; from: number | null }>;
  /** Labelled faces held after re-grouping; those of the identity; the identity's faces in the tree. */
  faces: number;
  own: number;
  identityFaces: number;
  /** Unlabelled (non-primary) faces it holds. */
  strangerFaces: number;
  /** Faces of other identities it holds (empty when pure). */
  intruders: Intruder[];
  /** Faces of its identity it held after the first grouping and lost in the second (empty when none). */
  lost: LostFace[];
  /**
   * The other people now holding lost faces, with the linkages (squared L2) between the confirmed faces and
   * all that person's faces: the figure the clustering compared with the threshold when it kept them apart.
   */
  lostTo: Array<{ personId: number; faces: number; lost: number; single: number; average: number; complete: number }>;
}

/** A face of a named person's identity that was in the person before the labels and is not after. */
export interface LostFace {
  faceId: number;
  photo: string;
  nearestConfirmed: number;
  meanConfirmed: number;
  /** Where it is now: another person's id, or null (Unsorted). */
  now: number | null;
}

/** Where an identity's labelled faces are: person id (or 'unsorted') to the number of its faces there. */
export interface IdentityChange {
  identity: string;
  before: Record<string, number>;
  after: Record<string, number>;
}

/** The identities whose faces sit in different people (or Unsorted) in `after` than in `before`. */
export function changedIdentities(
  faces: readonly LabelledFace[],
  before: Membership,
  after: Membership,
): IdentityChange[] {
  const where = (m: Membership, f: LabelledFace) => {
    const p = m.get(f.faceId) ?? null;
    return p === null ? 'unsorted' : String(p);
  };
  const out = new Map<string, { before: Record<string, number>; after: Record<string, number>; moved: boolean }>();
  for (const f of faces) {
    const entry = out.get(f.identity) ?? { before: {}, after: {}, moved: false };
    const [b, a] = [where(before, f), where(after, f)];
    entry.before[b] = (entry.before[b] ?? 0) + 1;
    entry.after[a] = (entry.after[a] ?? 0) + 1;
    entry.moved ||= a !== b;
    out.set(f.identity, entry);
  }
  return [...out]
    .filter(([, e]) => e.moved)
    .map(([identity, e]) => ({ identity, before: e.before, after: e.after }))
    .sort((x, y) => (x.identity < y.identity ? -1 : x.identity > y.identity ? 1 : 0));
}

export interface SimulationResult {
  root: string;
  seed: number;
  labelPeople: number;
  labelFaces: number;
  threshold: number;
  modelVersion: string | null;
  photos: number;
  /** Labelled (primary) faces: the scored ones. */
  faces: number;
  identities: number;
  /** Non-primary faces: clustered, not scored. */
  strangerFaces: number;
  /** Photos indexed without any face, and photos that failed. */
  noFace: number;
  failed: number;
  before: GroupingScore;
  after: GroupingScore;
  named: NamedScore;
  /** One entry per named person, in labelling order. */
  namedPeople: NamedPersonReport[];
  /** Identities whose faces the re-grouping placed differently: where they were before and after. */
  changed: IdentityChange[];
  seconds: { index: number; simulate: number; total: number };
  /** 'hit': the indexed library came from the cache (only changes indexed); 'miss': indexed and stored; 'off'. */
  indexCache: 'hit' | 'miss' | 'off';
}

export interface SimulationOptions extends IndexedTreeOptions {
  labelPeople: number;
  labelFaces: number;
  seed?: number;
  /** Clustering threshold (squared L2) for both groupings; default: the library's. */
  threshold?: number;
}

/** Where every face of the library is now (people through the API; the rest is Unsorted). */
async function memberships(api: FaceNetApi, faceIds: readonly number[]): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>(faceIds.map((id) => [id, null]));
  for (const person of await api.listPeople({ includeHidden: true })) {
    const detail = await api.getPerson({ personId: person.id });
    for (const f of detail.faces) out.set(f.id, person.id);
  }
  return out;
}

/** Runs the whole simulation (see the module comment) and deletes its temporary library. */
export async function simulateLabelling(options: SimulationOptions): Promise<SimulationResult> {
  const started = performance.now();
  const seed = options.seed ?? 1;
  const tree = await openIndexedTree(options);
  const { engine, api, root, labelled, allFaceIds, strangerFaces, noFace, failed, photos, indexSeconds } = tree;
  try {
    const labelledIds = new Set(labelled.map((f) => f.faceId));

    await api.recluster(options.threshold === undefined ? {} : { threshold: options.threshold });
    const threshold = (await api.getSettings()).threshold;
    const first = await memberships(api, allFaceIds);
    const before: GroupingScore = {
      ...scoreGrouping(labelled, first),
      people: (await api.listPeople({})).length,
    };

    const plans = planLabels(labelled, first, { people: options.labelPeople, faces: options.labelFaces, seed });
    const namedIds = new Map<string, number>();
    for (const plan of plans) {
      let personId: number;
      if (plan.target === 'new') {
        personId = (await api.moveFaces({ faceIds: plan.faceIds, to: { newPerson: true, name: plan.identity } }))
          .personId;
      } else {
        personId = plan.target;
        await api.confirmFaces({ faceIds: plan.faceIds, personId });
      }
      await api.renamePerson({ personId, name: plan.identity });
      namedIds.set(plan.identity, personId);
    }

    await api.recluster({});
    const second = await memberships(api, allFaceIds);
    const after: GroupingScore = {
      ...scoreGrouping(labelled, second),
      people: (await api.listPeople({})).length,
    };
    const named = scoreNamed(labelled, second, namedIds);

    // Per named person: who is in it, and how close each intruder is to the faces the user confirmed.
    const byFace = new Map(labelled.map((f) => [f.faceId, f]));
    const identityFaces = new Map<string, number>();
    for (const f of labelled) identityFaces.set(f.identity, (identityFaces.get(f.identity) ?? 0) + 1);
    const embedding = (id: number) => engine.library.face(id)!.embedding;
    const namedPeople: NamedPersonReport[] = plans.map((plan) => {
      const personId = namedIds.get(plan.identity)!;
      const confirmed = plan.faceIds.map(embedding);
      const mean = new Float32Array(confirmed[0]!.length);
      for (const e of confirmed) for (let i = 0; i < mean.length; i++) mean[i]! += e[i]! / confirmed.length;
      const members = [...second].filter(([, p]) => p === personId).map(([id]) => id);
      const intruders: Intruder[] = [];
      const distances = (id: number) => {
        const e = embedding(id);
        return {
          nearestConfirmed: round(Math.min(...confirmed.map((c) => squaredL2(c, e)))),
          meanConfirmed: round(squaredL2(mean, e)),
        };
      };
      const lost: LostFace[] = labelled
        .filter((f) => f.identity === plan.identity && first.get(f.faceId) === personId)
        .filter((f) => second.get(f.faceId) !== personId)
        .map((f) => ({ faceId: f.faceId, photo: f.photo, ...distances(f.faceId), now: second.get(f.faceId) ?? null }))
        .sort((a, b) => a.nearestConfirmed - b.nearestConfirmed || a.faceId - b.faceId);
      const lostTo = [...new Set(lost.map((l) => l.now).filter((p): p is number => p !== null))].map((other) => {
        const all = [...second].filter(([, p]) => p === other).map(([id]) => embedding(id));
        const d = confirmed.flatMap((c) => all.map((e) => squaredL2(c, e)));
        return {
          personId: other,
          faces: all.length,
          lost: lost.filter((l) => l.now === other).length,
          single: round(Math.min(...d)),
          average: round(d.reduce((x, y) => x + y, 0) / d.length),
          complete: round(Math.max(...d)),
        };
      });
      let own = 0;
      for (const id of members) {
        const f = byFace.get(id);
        if (!f) continue;
        if (f.identity === plan.identity) {
          own++;
          continue;
        }
        const was = first.get(id) ?? null;
        intruders.push({
          faceId: id,
          identity: f.identity,
          photo: f.photo,
          ...distances(id),
          before: was === null ? 'unsorted' : was === personId ? 'same' : 'other',
        });
      }
      intruders.sort((a, b) => a.nearestConfirmed - b.nearestConfirmed || a.faceId - b.faceId);
      return {
        name: plan.identity,
        personId,
        action: plan.target === 'new' ? 'new' : 'confirm',
        confirmed: plan.faceIds.length,
        confirmedFaces: plan.faceIds.map((id) => ({
          faceId: id,
          photo: byFace.get(id)!.photo,
          from: first.get(id) ?? null,
        })),
        faces: members.filter((id) => labelledIds.has(id)).length,
        own,
        identityFaces: identityFaces.get(plan.identity) ?? 0,
        strangerFaces: members.filter((id) => !labelledIds.has(id)).length,
        intruders,
        lost,
        lostTo,
      };
    });

    return {
      root,
      seed,
      labelPeople: options.labelPeople,
      labelFaces: options.labelFaces,
      threshold,
      modelVersion: engine.people.modelVersion(),
      photos,
      faces: labelled.length,
      identities: identityFaces.size,
      strangerFaces,
      noFace,
      failed,
      before,
      after,
      named,
      namedPeople,
      changed: changedIdentities(labelled, first, second),
      seconds: {
        index: indexSeconds,
        simulate: (performance.now() - started) / 1000 - indexSeconds,
        total: (performance.now() - started) / 1000,
      },
      indexCache: tree.indexCache,
    };
  } finally {
    await tree.close();
  }
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
