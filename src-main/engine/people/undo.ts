/**
 * Undo for the people service: before a destructive action, the rows it may touch are snapshotted exactly
 * (people rows with their ids, the faces' person and assignment, every decision about those faces or people
 * with its id and time, orphaned decisions' person, dismissed suggestions, separations of those faces, which
 * of those faces are ignored); `restore` puts them back in one
 * transaction, deletes the people and faces the action created, and leaves everything else alone.
 * Entries live for the lifetime of the process (the stack is in memory), newest last. UndoHistory is what the
 * people modules use: it records an action with its snapshot in one transaction, and undoes the latest one.
 */
import type { Dismissal } from '../storage/dismissal-repository.js';
import type { IgnoredFace } from '../storage/ignored-face-repository.js';
import type { Separation } from '../storage/separation-repository.js';
import type { Library } from '../storage/library.js';
import { SETTINGS_KEY } from './people-settings.js';
import type { UndoEntry } from './types.js';
import type {
  DecisionRowSnapshot,
  FaceAssignmentSnapshot,
  OrphanPersonSnapshot,
  PersonRowSnapshot,
} from '../storage/types.js';

export interface Scope {
  people: readonly number[];
  faces: readonly number[];
}

export interface Snapshot {
  personIds: number[];
  faceIds: number[];
  people: PersonRowSnapshot[];
  faces: FaceAssignmentSnapshot[];
  decisions: DecisionRowSnapshot[];
  orphans: OrphanPersonSnapshot[];
  dismissals: Dismissal[];
  separations: Separation[];
  /** Which of the faces were ignored, and why (ignored-face-repository.ts). */
  ignored: IgnoredFace[];
  /** Filled in after the action: what it created (removed again on undo). */
  createdPeople: number[];
  createdFaces: number[];
  /** The stored people settings before the action (only for actions that change them, e.g. a re-cluster). */
  settings?: { value: unknown };
}

/** An entry on the stack: what the user sees, and what undoing it restores. */
export interface UndoRecord extends UndoEntry {
  snapshot: Snapshot;
  /**
   * What the snapshot does not cover and the action changed (a recognition switch rewrites embeddings and the
   * active version): run after restoreSnapshot, inside the same transaction, so the undo is all or nothing.
   */
  restoreExtra?: () => void;
  /** What kind of action it was, for callers that must refuse some undos at times (e.g. 'recognition'). */
  kind?: string;
}

/** Snapshot of everything `scope` covers; the faces of the scoped people are included. */
export function takeSnapshot(lib: Library, scope: Scope): Snapshot {
  const personIds = [...new Set(scope.people)].sort((a, b) => a - b);
  const faceIds = [...new Set([...scope.faces, ...lib.faces.idsOfPeople(personIds)])].sort((a, b) => a - b);
  return {
    personIds,
    faceIds,
    people: lib.people.rows(personIds),
    faces: lib.faces.assignments(faceIds),
    decisions: lib.decisions.inScope(faceIds, personIds),
    orphans: lib.decisions.orphansOfPeople(personIds),
    dismissals: lib.dismissals.listInvolving(personIds),
    separations: lib.separations.involving(faceIds),
    ignored: lib.ignored.inScope(faceIds),
    createdPeople: [],
    createdFaces: [],
  };
}

/** Puts the snapshot's rows back exactly. Faces deleted since (re-index) are skipped. Call inside a transaction. */
export function restoreSnapshot(lib: Library, s: Snapshot): void {
  const allFaces = [...s.faceIds, ...s.createdFaces];
  const allPeople = [...s.personIds, ...s.createdPeople];
  lib.decisions.deleteInScope(allFaces, allPeople);
  // People first (decisions and faces reference them); covers set at the end, once faces are back.
  for (const p of s.people) lib.people.putRow({ ...p, cover_face_id: null });
  const alive = lib.faces.existingIds([
    ...s.faceIds,
    ...s.decisions.map((d) => d.face_id),
    ...s.separations.flatMap((p) => [p.faceA, p.faceB]),
  ]);
  for (const f of s.faces) if (alive.has(f.id)) lib.faces.setPerson(f.id, f.person_id, f.assignment);
  for (const o of s.orphans) lib.decisions.setOrphanPerson(o.id, o.person_id);
  for (const d of s.decisions) if (alive.has(d.face_id)) lib.decisions.insertRow(d);
  lib.separations.deleteInvolving(allFaces);
  for (const p of s.separations) if (alive.has(p.faceA) && alive.has(p.faceB)) lib.separations.insert(p);
  lib.ignored.deleteInScope(allFaces);
  for (const row of s.ignored) if (alive.has(row.faceId)) lib.ignored.insert(row);
  for (const id of s.createdFaces) lib.faces.delete(id);
  restoreCovers(lib, s);
  lib.dismissals.deleteInvolving(allPeople);
  for (const d of s.dismissals) lib.dismissals.insert(d);
  for (const id of s.createdPeople) {
    if (s.personIds.includes(id)) continue;
    lib.faces.clearPerson(id);
    if (lib.people.get(id)) lib.people.delete(id);
  }
  if (s.settings) {
    if (s.settings.value === undefined) lib.settings.delete(SETTINGS_KEY);
    else lib.settings.set(SETTINGS_KEY, s.settings.value);
  }
}

/** Sets the snapshot's people covers again where the cover face exists (after faces came back). */
export function restoreCovers(lib: Library, s: Snapshot): void {
  const aliveAfter = lib.faces.existingIds(s.people.map((p) => p.cover_face_id).filter((x): x is number => x !== null));
  for (const p of s.people) {
    if (p.cover_face_id !== null && aliveAfter.has(p.cover_face_id)) lib.people.setCover(p.id, p.cover_face_id);
  }
}

export class UndoStack {
  private readonly entries: UndoRecord[] = [];
  private nextId = 1;

  constructor(private readonly limit = 200) {}

  push(
    label: string,
    snapshot: Snapshot,
    at = Date.now(),
    extra: { restoreExtra?: () => void; kind?: string } = {},
  ): UndoEntry {
    const entry: UndoRecord = { id: this.nextId++, label, at, snapshot, ...extra };
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    return { id: entry.id, label: entry.label, at: entry.at };
  }

  pop(): UndoRecord | undefined {
    return this.entries.pop();
  }

  /** The entry undo would take next, left in place. */
  peek(): UndoRecord | undefined {
    return this.entries.at(-1);
  }

  /** Newest first. */
  list(): UndoEntry[] {
    return this.entries
      .slice()
      .reverse()
      .map((e) => ({ id: e.id, label: e.label, at: e.at }));
  }
}

/** The people's undo history over one library: actions recorded with their snapshot, undone newest first. */
export class UndoHistory {
  private readonly stack = new UndoStack();

  constructor(
    private readonly lib: Library,
    private readonly now: () => number,
  ) {}

  /**
   * One action: everything `scope` covers is snapshotted, `fn` runs in the same transaction and says what it
   * created (removed again on undo), and the entry is pushed.
   */
  record(
    label: string,
    scope: Scope,
    fn: () => { createdPeople?: number[]; createdFaces?: number[] } | void,
  ): UndoEntry {
    const snapshot = this.lib.transaction(() => {
      const snap = takeSnapshot(this.lib, scope);
      const created = fn() ?? {};
      snap.createdPeople = created.createdPeople ?? [];
      snap.createdFaces = created.createdFaces ?? [];
      return snap;
    });
    return this.push(label, snapshot);
  }

  /** Pushes an entry for a snapshot the caller took (and filled in) itself. */
  push(label: string, snapshot: Snapshot, extra: { restoreExtra?: () => void; kind?: string } = {}): UndoEntry {
    return this.stack.push(label, snapshot, this.now(), extra);
  }

  /** Newest first. */
  list(): UndoEntry[] {
    return this.stack.list();
  }

  /** The kind of action the next undo would revert, if any. */
  nextKind(): string | undefined {
    return this.stack.peek()?.kind;
  }

  /** Restores the state before the most recent action; null when there is nothing to undo. */
  undo(): UndoEntry | null {
    const entry = this.stack.pop();
    if (!entry) return null;
    this.lib.transaction(() => {
      restoreSnapshot(this.lib, entry.snapshot);
      if (entry.restoreExtra) {
        entry.restoreExtra();
        restoreCovers(this.lib, entry.snapshot); // covers on faces the extra step brought back
      }
    });
    return { id: entry.id, label: entry.label, at: entry.at };
  }
}
