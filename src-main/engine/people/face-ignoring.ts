/**
 * Ignored faces: "not a face" (a false detection) and "ignore this stranger" take faces out of the people
 * altogether. An ignored face is in no person and not in Unsorted, and re-grouping never reads it (the storage
 * leaves it out of the clustering vectors), so it is neither assigned nor a neighbour that links others. Each
 * action is one transaction and one undo entry (undo.ts snapshots which faces are ignored).
 *
 * The face's decisions are kept, untouched: they no longer count while it is ignored (re-grouping reads only
 * the faces it clusters, tuning skips ignored faces), and un-ignoring puts the face back with its person when
 * the user had confirmed it for one, else where the k-NN vote puts it.
 */
import { EngineError } from '../errors.js';
import type { IgnoreReason } from '../storage/ignored-face-repository.js';
import type { PeopleContext } from './people-context.js';
import { displayName, placeByVote } from './people-edits.js';
import { plural } from '../../../src-shared/words.js';
import { requireFaces, requirePerson } from './people-queries.js';
import type { UndoEntry } from './types.js';

export class FaceIgnoring {
  constructor(private readonly ctx: PeopleContext) {}

  /** The faces leave their people and are ignored, for `reason`. */
  ignoreFaces(faceIds: readonly number[], reason: IgnoreReason): UndoEntry {
    const ids = this.requireFaces(faceIds);
    const label = `${reason === 'not-a-face' ? 'Not a face' : 'Ignored as strangers'}: ${plural(ids.length, 'face')}`;
    return this.ignore(label, ids, [], reason);
  }

  /** Every face of these people is ignored, in one action (bulk: "ignore all unnamed people with 1 face"). */
  ignorePeople(personIds: readonly number[], reason: IgnoreReason): UndoEntry {
    const people = [...new Set(personIds)].map((id) => requirePerson(this.ctx.lib, id));
    if (people.length === 0) throw new EngineError('invalid', 'no people given');
    const ids = this.ctx.lib.faces.idsOfPeople(people.map((p) => p.id));
    if (ids.length === 0) throw new EngineError('invalid', 'these people have no faces to ignore');
    const who = people.length === 1 ? displayName(people[0]!) : plural(people.length, 'person', 'people');
    const label = `Ignored ${plural(ids.length, 'face')} of ${who}${reason === 'not-a-face' ? ' (not faces)' : ''}`;
    return this.ignore(
      label,
      ids,
      people.map((p) => p.id),
      reason,
    );
  }

  /** The faces are no longer ignored: back to the person they were confirmed for, else by k-NN vote. */
  unignoreFaces(faceIds: readonly number[]): UndoEntry {
    const { lib } = this.ctx;
    const ids = this.requireFaces(faceIds);
    const ignored = lib.ignored.inScope(ids).map((i) => i.faceId);
    if (ignored.length === 0) throw new EngineError('invalid', 'none of these faces is ignored');
    const confirmedFor = new Map<number, number>();
    for (const faceId of ignored) {
      const personId = this.confirmedPerson(faceId);
      if (personId !== undefined) confirmedFor.set(faceId, personId);
    }
    const label = `Stopped ignoring ${plural(ignored.length, 'face')}`;
    return this.ctx.history.record(label, { people: [...new Set(confirmedFor.values())], faces: ignored }, () => {
      lib.ignored.deleteInScope(ignored);
      for (const [faceId, personId] of confirmedFor) lib.faces.setPerson(faceId, personId, 'confirmed');
      placeByVote(
        this.ctx,
        ignored.filter((id) => !confirmedFor.has(id)),
      );
    });
  }

  private ignore(label: string, ids: number[], people: number[], reason: IgnoreReason): UndoEntry {
    const { lib } = this.ctx;
    const sources = lib.faces
      .listRows(ids)
      .map((f) => f.personId)
      .filter((p): p is number => p !== null);
    return this.ctx.history.record(label, { people: [...new Set([...people, ...sources])], faces: ids }, () => {
      lib.ignored.ignore(ids, reason, this.ctx.now());
      for (const row of lib.faces.listRows(ids)) if (row.personId !== null) lib.faces.setPerson(row.id, null, null);
      lib.people.clearStrayCovers();
    });
  }

  /** The person the user last confirmed this face for, if that person still exists. */
  private confirmedPerson(faceId: number): number | undefined {
    const { lib } = this.ctx;
    const confirmed = lib.decisions
      .listByFace(faceId)
      .filter((d) => d.decision === 'confirmed' && lib.people.get(d.personId))
      .sort((a, b) => b.decidedAt - a.decidedAt || b.id - a.id);
    return confirmed[0]?.personId;
  }

  private requireFaces(ids: readonly number[]): number[] {
    return requireFaces(this.ctx.lib, ids);
  }
}
