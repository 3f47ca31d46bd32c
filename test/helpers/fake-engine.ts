/**
 * TEST DOUBLE of the engine behind the server: an in-memory FaceNetApi with undo, events, and generated
 * SVG thumbnails/photos written to a temp folder. Used by the server tests and the 10,000-face benchmark,
 * where what matters is the transport and the UI, not the vision.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApiError,
  validateRequest,
  type ApiEvent,
  type FaceDto,
  type FaceNetApi,
  type MoveTarget,
  type PersonSummaryDto,
  type SettingsDto,
  type UndoEntryDto,
} from '../../src-shared/api.js';
import { emptyImportResult } from '../../src-main/engine/interop/import-service.js';
import type { EngineLike } from '../../src-main/app/engine-like.js';

interface State {
  people: Map<number, { id: number; name: string | null; hidden: boolean; coverFaceId: number | null }>;
  faces: Map<number, FaceDto>;
  settings: SettingsDto;
  nextPerson: number;
  nextFace: number;
}

function clone(s: State): State {
  return {
    people: new Map([...s.people].map(([k, v]) => [k, { ...v }])),
    faces: new Map([...s.faces].map(([k, v]) => [k, { ...v, box: { ...v.box } }])),
    settings: { ...s.settings, providers: [...s.settings.providers] },
    nextPerson: s.nextPerson,
    nextFace: s.nextFace,
  };
}

const FAKE_NO_TRAINING = 'the fake engine does not train';

const COLOURS = ['#c96', '#69c', '#9c6', '#c69', '#6c9', '#96c', '#cc6', '#6cc', '#c66', '#66c'];

export class FakeEngine implements EngineLike {
  private state: State;
  private readonly undoEntries: Array<{ entry: UndoEntryDto; before: State }> = [];
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private nextUndo = 1;
  private readonly dismissed = new Set<string>();
  readonly calls: string[] = [];

  constructor(
    private readonly dir: string,
    people: Array<{ name: string | null; faces: number }> = [],
    unsorted = 0,
  ) {
    mkdirSync(join(dir, 'thumbs'), { recursive: true });
    mkdirSync(join(dir, 'photos'), { recursive: true });
    this.state = {
      people: new Map(),
      faces: new Map(),
      settings: {
        threshold: 1.0,
        minQuality: 0.3,
        minClusterSize: 2,
        detector: 'blazeface-full',
        embedder: 'dlib',
        providers: ['cpu'],
      },
      nextPerson: 1,
      nextFace: 1,
    };
    for (const p of people) {
      const id = this.state.nextPerson++;
      this.state.people.set(id, { id, name: p.name, hidden: false, coverFaceId: null });
      for (let i = 0; i < p.faces; i++) {
        const fid = this.state.nextFace++;
        this.state.faces.set(fid, {
          id: fid,
          photoId: fid,
          box: { x: 100, y: 80, width: 200, height: 240 },
          score: 0.9,
          quality: 0.8,
          personId: id,
          assignment: 'auto',
          distance: (i % 97) / 100,
        });
      }
    }
    for (let i = 0; i < unsorted; i++) {
      const fid = this.state.nextFace++;
      this.state.faces.set(fid, {
        id: fid,
        photoId: fid,
        box: { x: 100, y: 80, width: 200, height: 240 },
        score: 0.9,
        quality: 0.5,
        personId: null,
        assignment: null,
        distance: null,
      });
    }
  }

  on(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const l of this.listeners) l(event);
  }

  async faceThumbnail(faceId: number): Promise<{ path: string }> {
    const face = this.state.faces.get(faceId);
    if (!face) throw new ApiError('not-found', `no face ${faceId}`);
    const colour = COLOURS[(face.personId ?? 0) % COLOURS.length]!;
    const path = join(this.dir, 'thumbs', `${colour.slice(1)}.svg`);
    if (!existsSync(path)) {
      writeFileSync(
        path,
        `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><rect width="96" height="96" fill="${colour}"/>` +
          `<circle cx="48" cy="44" r="26" fill="#fed"/></svg>`,
      );
    }
    return { path };
  }

  photoFile(photoId: number): string {
    const path = join(this.dir, 'photos', `${photoId}.svg`);
    if (!existsSync(path)) {
      writeFileSync(
        path,
        `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="#ddd"/></svg>`,
      );
    }
    return path;
  }

  private summary(id: number): PersonSummaryDto {
    const p = this.state.people.get(id);
    if (!p) throw new ApiError('not-found', `no person ${id}`);
    const faces = [...this.state.faces.values()].filter((f) => f.personId === id);
    return {
      id,
      name: p.name,
      hidden: p.hidden,
      faceCount: faces.length,
      confirmedCount: faces.filter((f) => f.assignment === 'confirmed').length,
      coverFaceId: p.coverFaceId ?? faces[0]?.id ?? null,
    };
  }

  private push(label: string, before: State): UndoEntryDto {
    const entry = { id: this.nextUndo++, label, at: Date.now() };
    this.undoEntries.push({ entry, before });
    this.emit({ type: 'library-changed', reason: label });
    return entry;
  }

  private target(to: MoveTarget): number {
    if ('personId' in to) {
      if (!this.state.people.has(to.personId)) throw new ApiError('not-found', `no person ${to.personId}`);
      return to.personId;
    }
    const id = this.state.nextPerson++;
    this.state.people.set(id, { id, name: to.name ?? null, hidden: false, coverFaceId: null });
    return id;
  }

  readonly api: FaceNetApi = {
    status: async () => ({
      folders: 0,
      photos: { pending: 0, done: this.state.faces.size, error: 0, total: this.state.faces.size },
      faces: this.state.faces.size,
      people: this.state.people.size,
      namedPeople: [...this.state.people.values()].filter((p) => p.name).length,
      unsortedFaces: [...this.state.faces.values()].filter((f) => f.personId === null).length,
      decisions: 0,
      orphanedDecisions: 0,
      indexing: null,
      providers: [{ model: 'fake', provider: 'cpu', fallbacks: [{ provider: 'cuda', reason: 'no GPU' }] }],
      modelVersion: 'fake-1',
    }),
    listFolders: async () => [],
    addFolder: async ({ path }) => ({ id: 1, path, addedAt: Date.now() }),
    removeFolder: async () => ({ photosRemoved: 0, decisionsOrphaned: 0 }),
    startIndexing: async () => ({ started: false }),
    cancelIndexing: async () => ({ cancelled: false }),
    listErrors: async () => [],
    listPeople: async ({ includeHidden, search }) =>
      [...this.state.people.keys()]
        .map((id) => this.summary(id))
        .filter((p) => p.faceCount > 0 && (includeHidden || !p.hidden))
        .filter((p) => !search || (p.name ?? '').toLowerCase().includes(search.toLowerCase())),
    getPerson: async ({ personId }) => ({
      person: this.summary(personId),
      faces: [...this.state.faces.values()].filter((f) => f.personId === personId),
    }),
    unsortedFaces: async ({ limit }) =>
      [...this.state.faces.values()].filter((f) => f.personId === null).slice(0, limit ?? 500),
    getPhoto: async ({ photoId }) => ({
      id: photoId,
      width: 640,
      height: 480,
      takenAt: null,
      faces: [...this.state.faces.values()]
        .filter((f) => f.photoId === photoId)
        .map((f) => ({ ...f, personName: f.personId ? (this.state.people.get(f.personId)?.name ?? null) : null })),
    }),
    renamePerson: async ({ personId, name }) => {
      const before = clone(this.state);
      const p = this.state.people.get(personId);
      if (!p) throw new ApiError('not-found', `no person ${personId}`);
      p.name = name;
      return this.push(`Renamed to ${name ?? 'unnamed'}`, before);
    },
    setHidden: async ({ personId, hidden }) => {
      const before = clone(this.state);
      const p = this.state.people.get(personId);
      if (!p) throw new ApiError('not-found', `no person ${personId}`);
      p.hidden = hidden;
      return this.push(hidden ? 'Hid person' : 'Unhid person', before);
    },
    setCover: async ({ personId, faceId }) => {
      const before = clone(this.state);
      const p = this.state.people.get(personId);
      if (!p) throw new ApiError('not-found', `no person ${personId}`);
      p.coverFaceId = faceId;
      return this.push('Changed cover', before);
    },
    mergePeople: async ({ targetId, sourceIds }) => {
      const before = clone(this.state);
      this.summary(targetId);
      for (const f of this.state.faces.values())
        if (f.personId !== null && sourceIds.includes(f.personId)) f.personId = targetId;
      for (const s of sourceIds) this.state.people.delete(s);
      return this.push(`Merged ${sourceIds.length} into ${targetId}`, before);
    },
    moveFaces: async ({ faceIds, to }) => {
      const before = clone(this.state);
      const personId = this.target(to);
      for (const id of faceIds) {
        const f = this.state.faces.get(id);
        if (f) {
          f.personId = personId;
          f.assignment = 'confirmed';
        }
      }
      return { ...this.push(`Moved ${faceIds.length} faces`, before), personId };
    },
    confirmFaces: async ({ faceIds }) => {
      const before = clone(this.state);
      for (const id of faceIds) {
        const f = this.state.faces.get(id);
        if (f) f.assignment = 'confirmed';
      }
      return this.push(`Confirmed ${faceIds.length} faces`, before);
    },
    rejectFaces: async ({ faceIds }) => {
      const before = clone(this.state);
      for (const id of faceIds) {
        const f = this.state.faces.get(id);
        if (f) {
          f.personId = null;
          f.assignment = null;
        }
      }
      return this.push(`Rejected ${faceIds.length} faces`, before);
    },
    addManualFace: async ({ photoId, box, to }) => {
      const before = clone(this.state);
      const personId = this.target(to);
      const id = this.state.nextFace++;
      this.state.faces.set(id, {
        id,
        photoId,
        box,
        score: 1,
        quality: 1,
        personId,
        assignment: 'confirmed',
        distance: 0,
      });
      return { ...this.push('Added a face', before), faceId: id };
    },
    // Every pair of visible people, closest (lowest ids) first, minus dismissed pairs.
    mergeSuggestions: async ({ limit }) => {
      const people = [...this.state.people.keys()].map((id) => this.summary(id)).filter((p) => p.faceCount > 0);
      const out = [];
      for (let i = 0; i < people.length; i++)
        for (let j = i + 1; j < people.length; j++) {
          const a = people[i]!;
          const b = people[j]!;
          if (!this.dismissed.has(`${a.id}-${b.id}`)) out.push({ a, b, distance: 0.5 + 0.01 * (i + j) });
        }
      return out.slice(0, limit ?? 20);
    },
    dismissSuggestion: async ({ a, b }) => {
      this.dismissed.add(`${Math.min(a, b)}-${Math.max(a, b)}`);
    },
    roc: async () => ({
      points: [0.4, 0.8, 1.2, 1.6].map((t) => ({ threshold: t, val: Math.min(1, t / 1.4), far: (t / 4) ** 3 })),
      samePairs: 10,
      differentPairs: 40,
      threshold: this.state.settings.threshold,
    }),
    previewThreshold: async ({ threshold }) => ({
      threshold,
      people: Math.max(1, Math.round(this.state.people.size / threshold)),
      peopleNow: this.state.people.size,
      facesMoving: 0,
      merges: [],
      splits: [],
    }),
    recluster: async ({ threshold }) => {
      if (threshold !== undefined) this.state.settings.threshold = threshold;
      return { people: this.state.people.size };
    },
    getSettings: async () => ({ ...this.state.settings }),
    updateSettings: async (args) => {
      this.state.settings = { ...this.state.settings, ...args };
      return { ...this.state.settings };
    },
    undoStack: async () => this.undoEntries.map((u) => u.entry).reverse(),
    undo: async () => {
      const last = this.undoEntries.pop();
      if (!last) return null;
      this.state = last.before;
      this.emit({ type: 'library-changed', reason: `undo ${last.entry.label}` });
      return last.entry;
    },
    // Export/import touch the file system; the fake engine only reports that nothing was done.
    exportPeople: async ({ format, out, personIds }) => ({
      format: format as 'folders',
      out: out ?? null,
      people: personIds?.length ?? 0,
      photos: 0,
      faces: 0,
      written: 0,
      reused: 0,
      files: [],
      errors: [],
    }),
    importXmp: async () => ({ ...emptyImportResult(), reclustered: null }),
    // No training here (the tuning UI is tested against the real engine): only version 0, and a start is
    // refused the way the engine refuses too few labels.
    tuneStart: async () => {
      throw new ApiError('bad-request', FAKE_NO_TRAINING);
    },
    tuneCancel: async () => ({ cancelled: false }),
    tuneStatus: async () => {
      const confirmed = [...this.state.faces.values()].filter((f) => f.assignment === 'confirmed');
      return {
        runId: 0,
        running: false,
        harmonic: false,
        startedAt: null,
        progress: null,
        outcome: null,
        report: null,
        error: null,
        labels: {
          faces: confirmed.length,
          people: new Set(confirmed.map((f) => f.personId)).size,
          peopleWithEnough: 0,
          ready: false,
          reason: FAKE_NO_TRAINING,
          needed: { faces: 20, people: 2, facesPerPerson: 5 },
        },
        activeVersion: 0,
      };
    },
    modelVersions: async () => [
      { version: 0, active: true, createdAt: null, parent: null, harmonic: false, report: null },
    ],
    useModelVersion: async ({ version }) => {
      if (version !== 0) throw new ApiError('not-found', `no model version ${version}`);
      return {
        version: 0,
        previous: 0,
        reembedded: 0,
        people: this.state.people.size,
        unsorted: 0,
        facesMoved: 0,
        restoredEarlier: false,
        undo: { id: 0, label: 'Re-applied recognition version 0 (shipped)', at: 0 },
      };
    },
    forecastModelVersion: async ({ version }) => {
      if (version !== 0) throw new ApiError('not-found', `no model version ${version}`);
      const people = this.state.people.size;
      return {
        version,
        faces: this.state.faces.size,
        facesMoving: 0,
        peopleNow: people,
        peopleAfter: people,
        restoresEarlier: false,
      };
    },
    discardModelVersion: async ({ version }) => {
      if (version === 0) throw new ApiError('bad-request', 'version 0 is the shipped model and cannot be discarded');
      throw new ApiError('not-found', `no model version ${version}`);
    },
  };

  async call(method: string, args: unknown): Promise<unknown> {
    validateRequest(method, args);
    this.calls.push(method);
    const fn = this.api[method] as (a: unknown) => Promise<unknown>;
    return fn(args ?? {});
  }
}
