/**
 * What happens to a photo's faces and the user's decisions when the photo is (re-)analysed, fails, moves or
 * disappears. Every operation is one transaction, so a crash leaves either the old state or the new one.
 *
 * Decision rules:
 * - unchanged or moved photo: the photo row (and so its faces and decisions) is kept as is;
 * - re-analysed photo (edited content or new model): each decided old face hands its decisions to the new face
 *   whose box overlaps it best (IoU >= minIou); failing that (a crop or rotation moved the face), to the new face
 *   whose embedding from the same model is nearly identical (cosine >= minCosine); decisions with no such face
 *   go to orphaned_decisions;
 * - failed or deleted photo: its decisions go to orphaned_decisions;
 * - a photo analysed with content that has orphaned decisions (re-added folder, restored file) takes them back
 *   by the same IoU rule, on new faces that did not take over an old face (orphaned ignores, separations and
 *   memberships likewise): so a duplicate detection merged into a real face does not pass its records on;
 * - an ignored face (ignored_faces) hands its ignore to the matched new face like its decisions; an unmatched
 *   one's ignore, or that of a face leaving with its photo, goes to orphaned_ignores (content hash and box), and
 *   the face it matches is ignored again, with the same reason and time, when that content is analysed again;
 * - separations (face_separations: "not this person" kept as face pairs) follow their faces like decisions: to
 *   the matched new face, else to orphaned_separations (each side by content hash and box), and back once both
 *   faces are in the library again; without that a photo removed and added again would come back with the
 *   rejection but not the pairs, and the rejected face would rejoin the faces it was kept apart from.
 * face_decisions references faces with ON DELETE RESTRICT, so any path that forgot these rules fails loudly.
 */
import { iou, type Box } from '../../../src-shared/geometry.js';
import { cosineSimilarity } from '../../../src-shared/vectors.js';
import type { PhotoAnalysis, PhotoErrorReason } from '../../../src-shared/analysis.js';
import type { Library } from './library.js';
import type { FileFacts } from './photo-repository.js';
import type { FacePlace, OrphanReason } from './types.js';

export const DEFAULT_MIN_IOU = 0.5;
/** "The same face in an edited copy of the photo", not "the same person": deliberately strict. */
export const DEFAULT_MIN_COSINE = 0.9;

export interface MatchableFace {
  box: Box;
  embedding?: Float32Array | null;
  modelVersion?: string | null;
}

export interface ApplyResult {
  photoId: number;
  faces: number;
  decisionsCarried: number;
  decisionsOrphaned: number;
  decisionsRestored: number;
}

/** Greedy one-to-one matching of boxes by IoU, best pairs first. Returns old index -> new index. */
export function matchBoxes(oldBoxes: Box[], newBoxes: Box[], minIou = DEFAULT_MIN_IOU): Map<number, number> {
  const pairs: { i: number; j: number; v: number }[] = [];
  oldBoxes.forEach((a, i) =>
    newBoxes.forEach((b, j) => {
      const v = iou(a, b);
      if (v >= minIou) pairs.push({ i, j, v });
    }),
  );
  pairs.sort((p, q) => q.v - p.v || p.i - q.i || p.j - q.j);
  const out = new Map<number, number>();
  const usedNew = new Set<number>();
  for (const p of pairs) {
    if (out.has(p.i) || usedNew.has(p.j)) continue;
    out.set(p.i, p.j);
    usedNew.add(p.j);
  }
  return out;
}

/**
 * Matches old faces to new faces of the same photo one-to-one: first by box overlap (matchBoxes), then the
 * remaining ones by near-identical embeddings from the same model version. Returns old index -> new index.
 */
export function matchFaces(
  oldFaces: MatchableFace[],
  newFaces: MatchableFace[],
  minIou = DEFAULT_MIN_IOU,
  minCosine = DEFAULT_MIN_COSINE,
): Map<number, number> {
  const out = matchBoxes(
    oldFaces.map((f) => f.box),
    newFaces.map((f) => f.box),
    minIou,
  );
  const usedNew = new Set(out.values());
  const pairs: { i: number; j: number; v: number }[] = [];
  oldFaces.forEach((a, i) => {
    if (out.has(i) || !a.embedding || !a.modelVersion) return;
    newFaces.forEach((b, j) => {
      if (usedNew.has(j) || !b.embedding || b.modelVersion !== a.modelVersion) return;
      if (b.embedding.length !== a.embedding!.length) return;
      const v = cosineSimilarity(a.embedding!, b.embedding);
      if (v >= minCosine) pairs.push({ i, j, v });
    });
  });
  pairs.sort((p, q) => q.v - p.v || p.i - q.i || p.j - q.j);
  for (const p of pairs) {
    if (out.has(p.i) || usedNew.has(p.j)) continue;
    out.set(p.i, p.j);
    usedNew.add(p.j);
  }
  return out;
}

/** A new face of an analysis that may take orphaned records back. */
interface ReturningFace {
  id: number;
  face: MatchableFace;
}

/**
 * The new faces of an analysis that did not take over an old face of the photo (`carried`: indexes into
 * `faces`): the only ones orphaned decisions, ignores and memberships come back to, and one side of a
 * restored separation must land on. A face that took over an old face is that face, with its records; an
 * orphan at its box is another face's: most often a duplicate detection that the new model merged into it (two
 * old faces over one new face: one matched, the other orphaned by this very analysis), whose records are not
 * its own (a confirmation for another person, an ignore of a real face), else a removed copy of the same
 * content, whose records wait for that copy. A photo that comes back, or a face that an earlier analysis lost
 * and this one finds again, has new faces that carried nothing, and takes its orphans back as before.
 */
function cameBack(ids: number[], faces: MatchableFace[], carried: ReadonlySet<number>): ReturningFace[] {
  return faces.flatMap((face, j) => (carried.has(j) ? [] : [{ id: ids[j] as number, face }]));
}

export class PhotoLifecycle {
  constructor(
    private readonly lib: Library,
    private readonly minIou = DEFAULT_MIN_IOU,
    private readonly minCosine = DEFAULT_MIN_COSINE,
  ) {}

  /** Stores a successful analysis for the file: replaces the photo's faces, carrying decisions over. */
  applyAnalysis(
    file: FileFacts,
    contentHash: string,
    analysis: PhotoAnalysis,
    takenAt: string | null,
    now = Date.now(),
  ): ApplyResult {
    const { photos, faces, decisions } = this.lib;
    return this.lib.transaction(() => {
      const photoId = photos.upsertFile(file);
      const previous = photos.get(photoId)!;
      const oldFaces = faces.listByPhoto(photoId);
      const newIds = analysis.faces.map((f) => faces.insert(photoId, f, analysis.modelVersion, now));
      const newFaces = analysis.faces.map((f) => ({ ...f, modelVersion: analysis.modelVersion }));
      const matches = matchFaces(oldFaces, newFaces, this.minIou, this.minCosine);
      const sameModel = previous.modelVersion === analysis.modelVersion;
      let carried = 0;
      let orphaned = 0;
      oldFaces.forEach((old, i) => {
        const j = matches.get(i);
        const target = j === undefined ? undefined : newIds[j];
        for (const d of decisions.listByFace(old.id)) {
          if (target !== undefined) {
            decisions.moveToFace(d.id, target);
            carried++;
          } else {
            decisions.orphan({
              personId: d.personId,
              decision: d.decision,
              decidedAt: d.decidedAt,
              contentHash: previous.contentHash,
              photoPath: previous.path,
              box: old.box,
              embedding: old.embedding,
              modelVersion: old.modelVersion,
              reason: 'face-not-found-after-reindex',
            });
            decisions.delete(d.id);
            orphaned++;
          }
        }
        if (target !== undefined) this.lib.separations.moveToFace(old.id, target);
        else if (previous.contentHash !== null) {
          const place = { contentHash: previous.contentHash, photoPath: previous.path, box: old.box };
          // A face of this photo on the other side is already the new analysis's: name it by the new content.
          this.orphanSeparations(old.id, place, now, (id) => (id === photoId ? contentHash : undefined));
          this.lib.ignored.orphan(old.id, place, now);
        }
        if (target !== undefined) {
          // An ignored face stays ignored: "not a face" is about this spot of the photo, whatever the model.
          this.lib.ignored.moveToFace(old.id, target);
          if (old.assignment === 'confirmed' || (sameModel && old.personId !== null)) {
            faces.setPerson(target, old.personId, old.assignment);
          }
          this.lib.db.prepare('UPDATE people SET cover_face_id = ? WHERE cover_face_id = ?').run(target, old.id);
        }
        faces.delete(old.id);
      });
      const back = cameBack(newIds, newFaces, new Set(matches.values()));
      const restored = this.restoreOrphans(contentHash, back);
      this.restoreMemberships(contentHash, back);
      this.restoreSeparations(contentHash, newIds, newFaces, back);
      this.restoreIgnores(contentHash, back);
      photos.markDone(photoId, {
        contentHash,
        width: analysis.width,
        height: analysis.height,
        takenAt,
        modelVersion: analysis.modelVersion,
        indexedAt: now,
      });
      return {
        photoId,
        faces: newIds.length,
        decisionsCarried: carried,
        decisionsOrphaned: orphaned,
        decisionsRestored: restored,
      };
    });
  }

  /** Records a per-photo failure; the photo's old faces go (their decisions to orphans). */
  applyFailure(
    file: FileFacts,
    contentHash: string | null,
    /** Why (a PhotoError from the pipeline, or the indexer's own). */
    error: { reason: PhotoErrorReason; message: string },
    modelVersion: string,
    now = Date.now(),
  ): ApplyResult {
    return this.lib.transaction(() => {
      const photoId = this.lib.photos.upsertFile(file);
      const orphaned = this.dropFaces(photoId, 'photo-unreadable-after-edit', now);
      this.lib.photos.markError(photoId, {
        contentHash,
        reason: error.reason,
        detail: error.message,
        modelVersion,
        indexedAt: now,
      });
      return { photoId, faces: 0, decisionsCarried: 0, decisionsOrphaned: orphaned, decisionsRestored: 0 };
    });
  }

  /** The file moved: the row follows it, faces and decisions untouched. */
  move(photoId: number, to: FileFacts): void {
    this.lib.transaction(() => {
      const existing = this.lib.photos.getByPath(to.path);
      if (existing && existing.id !== photoId) this.remove(existing.id, 'photo-deleted');
      this.lib.photos.move(photoId, to);
    });
  }

  /** The photo is gone: its faces leave their people, its decisions become orphans. Returns orphans made. */
  remove(photoId: number, reason: OrphanReason = 'photo-deleted', now = Date.now()): number {
    return this.lib.transaction(() => {
      const orphaned = this.dropFaces(photoId, reason, now);
      this.lib.photos.delete(photoId);
      return orphaned;
    });
  }

  private dropFaces(photoId: number, reason: OrphanReason, now: number): number {
    const { photos, faces, decisions } = this.lib;
    const photo = photos.get(photoId);
    if (!photo) return 0;
    let orphaned = 0;
    for (const face of faces.listByPhoto(photoId)) {
      for (const d of decisions.listByFace(face.id)) {
        decisions.orphan(
          {
            personId: d.personId,
            decision: d.decision,
            decidedAt: d.decidedAt,
            contentHash: photo.contentHash,
            photoPath: photo.path,
            box: face.box,
            embedding: face.embedding,
            modelVersion: face.modelVersion,
            reason,
          },
          now,
        );
        decisions.delete(d.id);
        orphaned++;
      }
      if (face.personId !== null && face.assignment !== 'confirmed' && photo.contentHash !== null)
        this.lib.memberships.remember(face.personId, photo.contentHash, photo.path, face.box, now);
      if (photo.contentHash !== null) {
        const place: FacePlace = { contentHash: photo.contentHash, photoPath: photo.path, box: face.box };
        this.orphanSeparations(face.id, place, now);
        this.lib.ignored.orphan(face.id, place, now);
      }
      faces.delete(face.id);
    }
    return orphaned;
  }

  /**
   * Keeps the separations of a face that leaves (`side`: where it was) as orphaned separations and deletes
   * them, so that a second face of the same photo leaving with it does not keep the pair twice. `hashOf` may
   * name the content of a photo whose row is not yet up to date (the photo being re-analysed).
   */
  private orphanSeparations(
    faceId: number,
    side: FacePlace,
    now: number,
    hashOf: (photoId: number) => string | undefined = () => undefined,
  ): void {
    const { separations, faces, photos } = this.lib;
    const pairs = separations.involving([faceId]);
    if (pairs.length === 0) return;
    for (const p of pairs) {
      const otherFace = faces.get(p.faceA === faceId ? p.faceB : p.faceA);
      const otherPhoto = otherFace ? photos.get(otherFace.photoId) : undefined;
      const otherHash = otherPhoto ? (hashOf(otherPhoto.id) ?? otherPhoto.contentHash) : null;
      if (!otherFace || !otherPhoto || otherHash === null) continue;
      separations.orphan(
        side,
        { contentHash: otherHash, photoPath: otherPhoto.path, box: otherFace.box },
        p.decidedAt,
        now,
      );
    }
    separations.deleteInvolving([faceId]);
  }

  /**
   * Orphaned separations with a side in this photo's content come back once both of their faces are in the
   * library: this photo's side by box (as memberships), the other side among the faces of the photos with
   * its content (best box overlap). A side may land on any face, since the face a pair was kept against may
   * well have stayed, but one side must land on a face that came `back`: a pair whose sides both land on
   * faces that stayed is a pair of some other face (a duplicate that left in this very analysis) passed on.
   */
  private restoreSeparations(
    contentHash: string,
    faceIds: number[],
    newFaces: MatchableFace[],
    back: ReturningFace[],
  ): void {
    const { separations, photos, faces } = this.lib;
    const orphans = separations.orphansByHash(contentHash);
    if (orphans.length === 0 || faceIds.length === 0) return;
    const here = (side: FacePlace): number | undefined => {
      const j = matchBoxes(
        [side.box],
        newFaces.map((f) => f.box),
        this.minIou,
      ).get(0);
      return j === undefined ? undefined : faceIds[j];
    };
    const elsewhere = (side: FacePlace): number | undefined => {
      let best: { id: number; v: number } | undefined;
      for (const photo of photos.listByHash(side.contentHash)) {
        if (photo.status !== 'done') continue;
        for (const f of faces.listByPhoto(photo.id)) {
          const v = iou(side.box, f.box);
          if (v >= this.minIou && (best === undefined || v > best.v)) best = { id: f.id, v };
        }
      }
      return best?.id;
    };
    const resolve = (side: FacePlace): number | undefined =>
      side.contentHash === contentHash ? here(side) : elsewhere(side);
    const returned = new Set(back.map((f) => f.id));
    for (const o of orphans) {
      const a = resolve(o.a);
      const b = resolve(o.b);
      if (a === undefined || b === undefined || a === b) continue;
      if (!returned.has(a) && !returned.has(b)) continue;
      separations.insert({ faceA: Math.min(a, b), faceB: Math.max(a, b), decidedAt: o.decidedAt });
      separations.deleteOrphan(o.id);
    }
  }

  /**
   * Faces of a photo that came back are ignored again where they were (by box, as memberships), with the
   * reason and time the user gave; they leave any person a restored decision put them in, since the ignore
   * came after it (confirming a face un-ignores it). Only faces that came `back` (see cameBack).
   */
  private restoreIgnores(contentHash: string, back: ReturningFace[]): void {
    const { ignored, faces } = this.lib;
    const orphans = ignored.orphansByHash(contentHash);
    if (orphans.length === 0 || back.length === 0) return;
    const matches = matchBoxes(
      orphans.map((o) => o.place.box),
      back.map((f) => f.face.box),
      this.minIou,
    );
    orphans.forEach((o, i) => {
      const j = matches.get(i);
      if (j === undefined) return;
      const faceId = back[j]!.id;
      if (ignored.inScope([faceId]).length === 0) ignored.insert({ faceId, reason: o.reason, ignoredAt: o.ignoredAt });
      if (faces.get(faceId)?.personId !== null) faces.setPerson(faceId, null, null);
      ignored.deleteOrphan(o.id);
    });
  }

  /**
   * Faces of a photo that came back start in the people they were in when it left (if those still exist).
   * Only faces that came `back` (see cameBack): a face that stayed is in the person the carry rules gave it.
   */
  private restoreMemberships(contentHash: string, back: ReturningFace[]): void {
    const { faces, memberships, people } = this.lib;
    const remembered = memberships.byHash(contentHash);
    if (remembered.length === 0) return;
    const matches = matchBoxes(
      remembered.map((m) => m.box),
      back.map((f) => f.face.box),
      this.minIou,
    );
    remembered.forEach((m, i) => {
      const j = matches.get(i);
      memberships.forget(m.id);
      if (j === undefined || !people.get(m.personId)) return;
      const faceId = back[j]!.id;
      if (faces.get(faceId)?.personId === null) faces.setPerson(faceId, m.personId, 'auto');
    });
  }

  /** Orphaned decisions of this content go back to the faces that came `back` (see cameBack) they match. */
  private restoreOrphans(contentHash: string, back: ReturningFace[]): number {
    const { decisions, faces } = this.lib;
    const orphans = decisions.orphansByHash(contentHash);
    if (orphans.length === 0 || back.length === 0) return 0;
    let restored = 0;
    // Orphans of one old face share a box; match each distinct box once.
    const byBox = new Map<string, typeof orphans>();
    for (const o of orphans) {
      const key = `${o.box.x},${o.box.y},${o.box.width},${o.box.height}`;
      byBox.set(key, [...(byBox.get(key) ?? []), o]);
    }
    const groups = [...byBox.values()];
    const matches = matchFaces(
      groups.map((g) => g[0]!),
      back.map((f) => f.face),
      this.minIou,
      this.minCosine,
    );
    groups.forEach((group, i) => {
      const j = matches.get(i);
      if (j === undefined) return;
      const faceId = back[j]!.id;
      for (const o of group) {
        if (decisions.listByFace(faceId).some((d) => d.personId === o.personId)) continue; // a live decision wins
        decisions.record(faceId, o.personId, o.decision, o.decidedAt);
        if (o.decision === 'confirmed') faces.setPerson(faceId, o.personId, 'confirmed');
        decisions.deleteOrphan(o.id);
        restored++;
      }
    });
    return restored;
  }
}
