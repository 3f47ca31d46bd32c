/**
 * The user's edits to people, each one transaction and one undo entry (undo.ts): rename, hide, cover, merge,
 * move, confirm, "not this person", and a face the detector missed. They record the user's decision where they
 * express one: moving, confirming and adding a face confirm it for its person; naming a person and merging
 * people confirm the faces they hold; "not this person" rejects. Re-grouping honours those decisions
 * (regrouping.ts), so they can only make people purer.
 * Errors meant for the user are EngineError (invalid, not-found, conflict; src-main/engine/errors.ts).
 */
import type { AnalyzedFace } from '../../../src-shared/analysis.js';
import type { Box } from '../../../src-shared/geometry.js';
import { cleanName, isNameTooLong, NAME_MAX_LENGTH } from '../../../src-shared/names.js';
import { personName } from '../../../src-shared/person-name.js';
import { EngineError } from '../errors.js';
import type { FaceRow, Person } from '../storage/types.js';
import { FaceAssigner } from './assign.js';
import type { PeopleContext } from './people-context.js';
import { requireFaces, requirePerson } from './people-queries.js';
import { knownPeople, loadState, toRecord } from './people-state.js';
import type { MoveTarget, UndoEntry } from './types.js';
import { plural } from '../../../src-shared/words.js';

/** Something that embeds a drawn box: a FacePipeline via src-main/engine/vision/manual-face.ts, or a test double. */
export type ManualEmbedder = (photoPath: string, box: Box) => Promise<{ face: AnalyzedFace; modelVersion: string }>;

export class PeopleEdits {
  constructor(private readonly ctx: PeopleContext) {}

  rename(personId: number, name: string | null): UndoEntry {
    const person = this.requirePerson(personId);
    const clean = userName(name);
    const label =
      clean === null ? `Removed the name of ${displayName(person)}` : `Renamed ${displayName(person)} to ${clean}`;
    return this.ctx.history.record(label, { people: [personId], faces: [] }, () => {
      this.ctx.lib.people.rename(personId, clean);
      // Naming a group says who these faces are: they become the person's confirmed faces, so no later
      // re-grouping can take them away from the name (the user can still say "not this person").
      if (person.name === null && clean !== null) this.confirmAuto(personId);
    });
  }

  setHidden(personId: number, hidden: boolean): UndoEntry {
    const person = this.requirePerson(personId);
    const label = `${hidden ? 'Hid' : 'Showed'} ${displayName(person)}`;
    return this.ctx.history.record(label, { people: [personId], faces: [] }, () => {
      this.ctx.lib.people.setHidden(personId, hidden);
    });
  }

  setCover(personId: number, faceId: number): UndoEntry {
    const person = this.requirePerson(personId);
    const face = this.requireFace(faceId);
    if (face.personId !== personId)
      throw new EngineError('conflict', `face ${faceId} is not in ${displayName(person)}`);
    return this.ctx.history.record(
      `Changed the cover of ${displayName(person)}`,
      { people: [personId], faces: [] },
      () => {
        this.ctx.lib.people.setCover(personId, faceId);
      },
    );
  }

  /**
   * Merges the sources into the target: their faces, decisions (live and orphaned) and, where the target has
   * none, name and cover move to the target; the sources are deleted. When a face has decisions about both,
   * the user's more recent one is kept.
   */
  merge(targetId: number, sourceIds: readonly number[]): UndoEntry {
    const target = this.requirePerson(targetId);
    const sources = [...new Set(sourceIds)].filter((id) => id !== targetId).map((id) => this.requirePerson(id));
    if (sources.length === 0) throw new EngineError('invalid', 'nothing to merge: give at least one other person');
    const label = `Merged ${sources.map(displayName).join(', ')} into ${displayName(target)}`;
    return this.ctx.history.record(label, { people: [targetId, ...sources.map((s) => s.id)], faces: [] }, () => {
      const { decisions, faces, people } = this.ctx.lib;
      let name = target.name;
      let cover = target.coverFaceId;
      for (const source of sources) {
        const onTarget = new Map(decisions.listByPerson(targetId).map((d) => [d.faceId, d]));
        for (const d of decisions.listByPerson(source.id)) {
          const t = onTarget.get(d.faceId);
          if (t && (d.decidedAt > t.decidedAt || (d.decidedAt === t.decidedAt && d.id > t.id))) {
            decisions.record(d.faceId, targetId, d.decision, d.decidedAt);
          }
        }
        decisions.reassignPerson(source.id, targetId);
        name ??= source.name;
        cover ??= source.coverFaceId;
        for (const f of faces.listByPerson(source.id)) faces.setPerson(f.id, targetId, f.assignment ?? 'auto');
        people.delete(source.id);
      }
      // Faces the user rejected for the target leave it; faces confirmed for it are marked so.
      for (const d of decisions.listByPerson(targetId)) {
        const face = faces.get(d.faceId);
        if (!face) continue;
        if (d.decision === 'rejected' && face.personId === targetId) faces.setPerson(d.faceId, null, null);
        if (d.decision === 'confirmed' && face.personId === targetId) faces.setPerson(d.faceId, targetId, 'confirmed');
      }
      people.rename(targetId, name);
      people.setCover(targetId, cover);
      // A merge says these faces are one person: they are confirmed for it, so re-grouping keeps them together.
      this.confirmAuto(targetId);
    });
  }

  /** Moves faces to a person (or a new one): confirmed for the target, rejected for the person they left. */
  moveFaces(faceIds: readonly number[], to: MoveTarget): UndoEntry & { personId: number } {
    const { lib } = this.ctx;
    const ids = this.requireFaces(faceIds);
    const target = 'personId' in to ? this.requirePerson(to.personId) : undefined;
    const newName = 'newPerson' in to ? userName(to.name ?? null) : null;
    const label = `Moved ${plural(ids.length, 'face')} to ${target ? displayName(target) : (newName ?? 'a new person')}`;
    const sources = lib.faces
      .listRows(ids)
      .map((f) => f.personId)
      .filter((p): p is number => p !== null);
    let personId = target?.id ?? -1;
    const scope = { people: [...(target ? [target.id] : []), ...sources], faces: ids };
    const entry = this.ctx.history.record(label, scope, () => {
      if (!target) personId = lib.people.create(newName, this.ctx.now());
      this.placeConfirmed(ids, personId);
      return { createdPeople: target ? [] : [personId] };
    });
    return { ...entry, personId };
  }

  /** The user says these faces are this person (moving them there if they were elsewhere). */
  confirmFaces(faceIds: readonly number[], personId: number): UndoEntry {
    const ids = this.requireFaces(faceIds);
    const person = this.requirePerson(personId);
    const sources = this.ctx.lib.faces
      .listRows(ids)
      .map((f) => f.personId)
      .filter((p): p is number => p !== null);
    const label = `Confirmed ${plural(ids.length, 'face')} as ${displayName(person)}`;
    return this.ctx.history.record(label, { people: [personId, ...sources], faces: ids }, () =>
      this.placeConfirmed(ids, personId),
    );
  }

  /**
   * "Not this person": a rejected decision for each face; faces that were in the person leave it for the
   * best other person by k-NN vote (never one they were rejected for), or the Unsorted pool.
   */
  rejectFaces(faceIds: readonly number[], personId: number): UndoEntry {
    const { lib } = this.ctx;
    const ids = this.requireFaces(faceIds);
    const person = this.requirePerson(personId);
    const label = `Not ${displayName(person)}: ${plural(ids.length, 'face')}`;
    return this.ctx.history.record(label, { people: [personId], faces: ids }, () => {
      const now = this.ctx.now();
      const leaving: number[] = [];
      for (const row of lib.faces.listRows(ids)) {
        this.recordRejection(row.id, personId, ids, now);
        if (row.personId === personId) {
          lib.faces.setPerson(row.id, null, null);
          leaving.push(row.id);
        }
      }
      lib.people.clearStrayCovers();
      this.placeElsewhere(leaving);
    });
  }

  /** Adds a face the detector missed (a drawn box), embedded by `embed`, to a person (confirmed). */
  async addManualFace(
    photoId: number,
    box: Box,
    to: MoveTarget,
    embed: ManualEmbedder,
  ): Promise<UndoEntry & { faceId: number; personId: number }> {
    const { lib } = this.ctx;
    const photo = lib.photos.get(photoId);
    if (!photo) throw new EngineError('not-found', `no photo ${photoId}`);
    if (photo.status !== 'done') throw new EngineError('conflict', `photo ${photoId} is not indexed`);
    const target = 'personId' in to ? this.requirePerson(to.personId) : undefined;
    let analysed: { face: AnalyzedFace; modelVersion: string };
    try {
      analysed = await embed(photo.path, box);
    } catch (e) {
      if (e instanceof RangeError) throw new EngineError('invalid', e.message);
      throw e;
    }
    const newName = 'newPerson' in to ? userName(to.name ?? null) : null;
    const label = `Added a face to ${target ? displayName(target) : (newName ?? 'a new person')}`;
    let faceId = -1;
    let personId = target?.id ?? -1;
    const entry = this.ctx.history.record(label, { people: target ? [target.id] : [], faces: [] }, () => {
      faceId = lib.faces.insert(photoId, analysed.face, analysed.modelVersion, this.ctx.now());
      if (!target) personId = lib.people.create(newName, this.ctx.now());
      this.placeConfirmed([faceId], personId);
      return { createdPeople: target ? [] : [personId], createdFaces: [faceId] };
    });
    return { ...entry, faceId, personId };
  }

  /** Confirms faces for a person: confirmed decision, rejected for the person each one leaves, not ignored. */
  private placeConfirmed(faceIds: readonly number[], personId: number): void {
    const { lib } = this.ctx;
    const now = this.ctx.now();
    // Naming an ignored face says it is a face after all, and whose: it is no longer ignored.
    lib.ignored.deleteInScope(faceIds);
    for (const row of lib.faces.listRows(faceIds)) {
      if (row.personId !== null && row.personId !== personId) {
        this.recordRejection(row.id, row.personId, faceIds, now);
      }
      lib.decisions.record(row.id, personId, 'confirmed', now);
      lib.faces.setPerson(row.id, personId, 'confirmed');
    }
    lib.people.clearStrayCovers();
  }

  /**
   * "Face is not this person". A person without confirmed faces is only what the clustering made of it, so
   * the face is also kept apart from the faces it holds now (except those the same action moves with it).
   */
  private recordRejection(faceId: number, personId: number, together: readonly number[], now: number): void {
    const { lib } = this.ctx;
    lib.decisions.record(faceId, personId, 'rejected', now);
    const members = lib.faces.listByPerson(personId);
    if (members.some((f) => f.assignment === 'confirmed')) return;
    const skip = new Set(together);
    lib.separations.separate(
      faceId,
      members.filter((f) => !skip.has(f.id)).map((f) => f.id),
      now,
    );
  }

  /** The person's faces that were grouped with it automatically become confirmed for it. */
  private confirmAuto(personId: number): void {
    const auto = this.ctx.lib.faces
      .listByPerson(personId)
      .filter((f) => f.assignment !== 'confirmed')
      .map((f) => f.id);
    this.placeConfirmed(auto, personId);
  }

  /** Faces that just left a person: the best other person by k-NN vote, or Unsorted. */
  private placeElsewhere(faceIds: readonly number[]): void {
    placeByVote(this.ctx, faceIds);
  }

  private requirePerson(id: number): Person {
    return requirePerson(this.ctx.lib, id);
  }

  private requireFace(id: number): FaceRow {
    const [f] = this.ctx.lib.faces.listRows([id]);
    if (!f) throw new EngineError('not-found', `no face ${id}`);
    return f;
  }

  private requireFaces(ids: readonly number[]): number[] {
    return requireFaces(this.ctx.lib, ids);
  }
}

/** Faces in no person: the best person by k-NN vote (never one they were rejected for), or Unsorted. */
export function placeByVote(ctx: PeopleContext, faceIds: readonly number[]): void {
  const { lib } = ctx;
  const modelVersion = ctx.modelVersion();
  if (!modelVersion || faceIds.length === 0) return;
  const state = loadState(lib, modelVersion);
  const leaving = new Set(faceIds);
  const faces = state.faces.filter((f) => leaving.has(f.id));
  if (faces.length === 0) return;
  const settings = ctx.settings.get();
  const { assigned } = new FaceAssigner({ threshold: settings.threshold, minQuality: settings.minQuality }).assign(
    faces.map(toRecord),
    knownPeople(state),
  );
  for (const a of assigned) lib.faces.setPerson(a.faceId as number, a.personId as number, 'auto');
}

/** How undo labels name a person: their one name (src-shared/person-name.ts), "Unnamed #12" while unnamed. */
export function displayName(p: Pick<Person, 'id' | 'name'>): string {
  return personName(p);
}

/** A name as the user typed it, under the one rule for names (src-shared/names.ts); null means no name. */
function userName(name: string | null): string | null {
  if (name === null) return null;
  if (isNameTooLong(name)) {
    throw new EngineError('invalid', `name is too long (${NAME_MAX_LENGTH} characters at most)`);
  }
  return cleanName(name) || null;
}
