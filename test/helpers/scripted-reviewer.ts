/**
 * A scripted user who names everybody in a folder-per-identity library through the FaceNetApi, with the calls
 * the UI makes, and counts what it did (issue 13: "a scripted user reaches all 91 people correctly named … the
 * test counts the actions it needed"). The user knows who each labelled face is (as a person looking at the
 * faces would) and treats every other face of a photo as a stranger. Reading a screen is free; each of these
 * is one action (one click or keystroke-level step, as the issue counts them):
 *
 * 1. Suggestions, best first (the Suggestions view, `A` / `D` on the first pair): the user looks at the faces
 *    shown for each side and accepts when most of them on both sides are the same identity (the view merges
 *    into the named, else the bigger, person: src-renderer/logic/merge-target.ts), else dismisses. Until none is left.
 * 2. Then identity by identity (name order):
 *    - its person ("home") is the person where it is the majority holding most of its faces, not yet named
 *      for another identity; with none, its faces are named as a new person from wherever they are (Unsorted's
 *      "Name as…", or "Move to…" a new person: a move plus typing the name);
 *    - an unnamed home is named (`R`, type, Enter: one action, as the issue counts naming);
 *    - every other person holding its faces: merged into the home when that person holds nothing else
 *      ("Merge into…"), else those faces are selected and moved ("Move to…"): one action each;
 *    - its faces in Unsorted: selected and named ("Name as…"): one action;
 *    - strangers in the home: selected and ignored (`I`): one action.
 *    The same pass runs again while the check below fails (at most `maxRounds`).
 * Check: every identity is exactly one person with its name holding all its labelled (detected) faces and
 * nothing else.
 */
import type { FaceNetApi } from '../../src-shared/api.js';
import { mergeTarget } from '../../src-renderer/logic/merge-target.js';

export const ACTION_KINDS = [
  'accept-suggestion',
  'dismiss-suggestion',
  'name',
  'merge',
  'move',
  'name-new',
  'ignore',
  'unignore',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface ReviewResult {
  /** Actions by kind ('name-new' = moving a selection to a new person and typing its name: counted as 2). */
  actions: Record<ActionKind, number>;
  total: number;
  /** Faces the user selected one by one for moves and ignores (not counted as actions; how much clicking). */
  facesSelected: number;
  /** Passes of step 2 it took. */
  rounds: number;
  /** Identities that end as exactly one named person holding exactly their faces, of all identities. */
  correct: number;
  identities: number;
  /** What is still wrong (empty when every identity is right). */
  problems: string[];
}

/** Where every face is now, as the screens show it: people (with their faces), Unsorted, and the rest. */
interface Screen {
  members: Map<number, number[]>;
  names: Map<number, string | null>;
  faceCount: Map<number, number>;
  personOf: Map<number, number | null>;
  unsorted: Set<number>;
}

async function look(api: FaceNetApi): Promise<Screen> {
  const screen: Screen = {
    members: new Map(),
    names: new Map(),
    faceCount: new Map(),
    personOf: new Map(),
    unsorted: new Set(),
  };
  await lookAgain(api, screen, null);
  return screen;
}

/**
 * Brings `screen` up to date after an action that touched `people` (null: everybody) and maybe Unsorted: the
 * people list again, and the faces of the touched people (edits never re-group, so nobody else changed).
 */
async function lookAgain(api: FaceNetApi, screen: Screen, people: readonly number[] | null): Promise<void> {
  const list = await api.listPeople({ includeHidden: true });
  const present = new Set(list.map((p) => p.id));
  for (const id of [...screen.members.keys()]) {
    if (present.has(id)) continue;
    for (const f of screen.members.get(id) ?? []) if (screen.personOf.get(f) === id) screen.personOf.delete(f);
    screen.members.delete(id);
    screen.names.delete(id);
    screen.faceCount.delete(id);
  }
  for (const p of list) {
    screen.names.set(p.id, p.name);
    if (people !== null && !people.includes(p.id) && screen.faceCount.get(p.id) === p.faceCount) continue;
    for (const f of screen.members.get(p.id) ?? []) if (screen.personOf.get(f) === p.id) screen.personOf.delete(f);
    const detail = await api.getPerson({ personId: p.id });
    screen.members.set(
      p.id,
      detail.faces.map((f) => f.id),
    );
    screen.faceCount.set(p.id, p.faceCount);
    for (const f of detail.faces) screen.personOf.set(f.id, p.id);
  }
  for (const f of screen.unsorted) if (screen.personOf.get(f) === null) screen.personOf.delete(f);
  screen.unsorted = new Set((await api.unsortedFaces({ limit: 1_000_000 })).map((f) => f.id));
  for (const id of screen.unsorted) screen.personOf.set(id, null);
}

/** The identity most of `faces` belong to (ties: the smaller name); null when none is labelled. */
function majority(faces: readonly number[], identityOf: ReadonlyMap<number, string>): string | null {
  const votes = new Map<string, number>();
  for (const f of faces) {
    const id = identityOf.get(f);
    if (id !== undefined) votes.set(id, (votes.get(id) ?? 0) + 1);
  }
  const [best] = [...votes].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return best?.[0] ?? null;
}

/** The problems left: identities that are not exactly one person of that name holding exactly their faces. */
function check(screen: Screen, facesOf: ReadonlyMap<string, number[]>): string[] {
  const problems: string[] = [];
  for (const [identity, faces] of facesOf) {
    const named = [...screen.names].filter(([, n]) => n === identity).map(([p]) => p);
    if (named.length !== 1) {
      problems.push(`${identity}: ${named.length} people with that name`);
      continue;
    }
    const held = new Set(screen.members.get(named[0] as number) ?? []);
    const missing = faces.filter((f) => !held.has(f)).length;
    const extra = held.size - (faces.length - missing);
    if (missing > 0 || extra > 0)
      problems.push(`${identity}: ${missing} of its faces elsewhere, ${extra} others in it`);
  }
  return problems;
}

export async function scriptedReview(
  api: FaceNetApi,
  identityOf: ReadonlyMap<number, string>,
  options: { maxRounds?: number; maxSuggestions?: number } = {},
): Promise<ReviewResult> {
  const actions = Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as Record<ActionKind, number>;
  let facesSelected = 0;
  const facesOf = new Map<string, number[]>();
  for (const [face, identity] of [...identityOf].sort((x, y) => x[0] - y[0])) {
    facesOf.set(identity, [...(facesOf.get(identity) ?? []), face]);
  }
  const identities = [...facesOf.keys()].sort();

  // 1. The Suggestions view, first pair each time, until it is empty.
  for (let shown = 0; shown < (options.maxSuggestions ?? 1000); shown++) {
    const [s] = await api.mergeSuggestions({ limit: 1 });
    if (!s) break;
    const a = majority(s.aFaceIds, identityOf);
    if (a !== null && a === majority(s.bFaceIds, identityOf)) {
      const { targetId, sourceId } = mergeTarget(s);
      await api.mergePeople({ targetId, sourceIds: [sourceId] });
      actions['accept-suggestion']++;
    } else {
      await api.dismissSuggestion({ a: s.a.id, b: s.b.id });
      actions['dismiss-suggestion']++;
    }
  }

  // 2. Identity by identity, again while something is wrong.
  let rounds = 0;
  let screen = await look(api);
  while (check(screen, facesOf).length > 0 && rounds < (options.maxRounds ?? 3)) {
    rounds++;
    for (const identity of identities) {
      const touched = new Set<number>();
      const own = facesOf.get(identity) ?? [];
      const ignored = own.filter((f) => !screen.personOf.has(f));
      if (ignored.length > 0) {
        await api.unignoreFaces({ faceIds: ignored });
        actions.unignore++;
        facesSelected += ignored.length;
        await lookAgain(api, screen, null);
      }
      const byPerson = new Map<number | null, number[]>();
      for (const f of own) {
        const p = screen.personOf.get(f) ?? null;
        byPerson.set(p, [...(byPerson.get(p) ?? []), f]);
      }
      const candidates = [...byPerson]
        .filter((e): e is [number, number[]] => e[0] !== null)
        .filter(([p]) => {
          const name = screen.names.get(p) ?? null;
          return (name === null || name === identity) && majority(screen.members.get(p) ?? [], identityOf) === identity;
        })
        .sort((x, y) => y[1].length - x[1].length || x[0] - y[0]);
      let home = candidates[0]?.[0];
      if (home === undefined) {
        // Nobody to build on: name its faces as a new person from where they are (one place first).
        const [from, faces] = [...byPerson].sort((x, y) => y[1].length - x[1].length)[0] as [number | null, number[]];
        home = (await api.moveFaces({ faceIds: faces, to: { newPerson: true, name: identity } })).personId;
        if (from !== null) touched.add(from);
        actions['name-new'] += 2;
        facesSelected += faces.length;
        byPerson.delete(from);
      } else if (screen.names.get(home) !== identity) {
        await api.renamePerson({ personId: home, name: identity });
        actions.name++;
      }
      touched.add(home);
      for (const [p, faces] of byPerson) {
        if (p === home) continue;
        if (p !== null) touched.add(p);
        if (p !== null && (screen.members.get(p) ?? []).every((f) => identityOf.get(f) === identity)) {
          await api.mergePeople({ targetId: home, sourceIds: [p] });
          actions.merge++;
          continue;
        }
        await api.moveFaces({ faceIds: faces, to: { personId: home } });
        actions.move++;
        facesSelected += faces.length;
      }
      await lookAgain(api, screen, [...touched]);
      const strangers = (screen.members.get(home) ?? []).filter((f) => !identityOf.has(f));
      if (strangers.length > 0) {
        await api.ignoreFaces({ faceIds: strangers, reason: 'stranger' });
        actions.ignore++;
        facesSelected += strangers.length;
        await lookAgain(api, screen, [home]);
      }
    }
    screen = await look(api);
  }
  const problems = check(screen, facesOf);
  return {
    actions,
    total: Object.values(actions).reduce((s, n) => s + n, 0),
    facesSelected,
    rounds,
    correct: identities.length - problems.length,
    identities: identities.length,
    problems,
  };
}
