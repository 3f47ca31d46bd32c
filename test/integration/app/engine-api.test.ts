/**
 * EngineApi over a real SQLite library of drawn photos, with the (noisy) test pipeline: the dispatcher
 * validates before any engine code runs and maps failures to ApiError codes; background indexing sends
 * progress events; the contract's methods work end to end, including undo.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiEvent, type SettingsDto } from '../../../src-shared/api.js';
import { EngineApi } from '../../../src-main/app/engine-api.js';
import { tempDir } from '../../helpers/tmp.js';
import { makePhoto } from '../../helpers/images.js';
import { A, dump, familyPlan, NoisyPipeline, PHOTO_SIZE, writePhotos } from '../../helpers/people-library.js';
import { rejected } from '../../helpers/rejected.js';

const tmp = tempDir('engine-api-');
const photos = join(tmp.dir, 'photos');
let api: EngineApi;
const events: ApiEvent[] = [];
const pipelinesCreated: SettingsDto[] = [];

beforeAll(async () => {
  await writePhotos(photos, familyPlan());
  api = EngineApi.open(join(tmp.dir, 'lib.db'), {
    createPipeline: async (settings) => {
      pipelinesCreated.push(settings);
      return new NoisyPipeline();
    },
    progressIntervalMs: 0,
  });
  api.on((e) => events.push(e));
});
afterAll(async () => {
  await api.close();
  tmp.cleanup();
});

describe('EngineApi', () => {
  it('rejects bad payloads at the entry, before any engine code runs', async () => {
    const before = dump(api.library.library);
    const bad: Array<[string, unknown]> = [
      ['noSuchMethod', {}],
      ['__proto__', {}],
      ['constructor', {}],
      ['getPerson', { personId: '1' }],
      ['getPerson', {}],
      ['getPerson', { personId: 1.5 }],
      ['getPerson', { personId: 1, extra: true }],
      ['getPerson', [1]],
      ['getPerson', null],
      ['renamePerson', { personId: 1, name: 42 }],
      ['mergePeople', { targetId: 1, sourceIds: [2, 'x'] }],
      ['moveFaces', { faceIds: [1], to: { personId: 1, newPerson: true } }],
      ['moveFaces', { faceIds: [1], to: { newPerson: false } }],
      ['addManualFace', { photoId: 1, box: { x: 0, y: 0, width: -5, height: 10 }, to: { personId: 1 } }],
      ['addManualFace', { photoId: 1, box: { x: 0, y: 0, width: Infinity, height: 10 }, to: { personId: 1 } }],
      ['previewThreshold', { threshold: 'high' }],
      ['updateSettings', { threshold: 0.5, secret: 1 }],
      ['updateSettings', { providers: 'cuda' }],
      ['addFolder', { path: 'x'.repeat(5000) }],
      ['exportPeople', { format: 'pdf', out: '/tmp/x' }],
      ['exportPeople', { format: 'folders', out: '/tmp/x', link: 'move' }],
      ['importXmp', { folders: ['/tmp/x'], sidecar: 'photo.XMP' }],
    ];
    for (const [method, args] of bad) {
      const e = await rejected(api.call(method, args));
      expect(e.code, `${method} ${JSON.stringify(args)}`).toBe('bad-request');
    }
    expect(pipelinesCreated).toHaveLength(0);
    expect(dump(api.library.library)).toEqual(before);
    // Valid requests that the engine refuses keep their codes.
    expect((await rejected(api.call('getPerson', { personId: 999 }))).code).toBe('not-found');
    expect((await rejected(api.call('addFolder', { path: join(tmp.dir, 'missing') }))).code).toBe('bad-request');
    expect((await rejected(api.call('updateSettings', { threshold: 9 }))).code).toBe('bad-request');
    expect((await rejected(api.call('removeFolder', { folderId: 42 }))).code).toBe('not-found');
  });

  it('indexes in the background with progress events, then finds the people', async () => {
    await api.call('addFolder', { path: photos });
    expect(await api.call('startIndexing', undefined)).toEqual({ started: true });
    expect(await api.call('startIndexing', {})).toEqual({ started: false });
    await api.whenIdle();
    const progress = events.filter((e) => e.type === 'indexing-progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ progress: { done: 14, total: 14 } });
    expect(events.find((e) => e.type === 'indexing-finished')).toMatchObject({
      summary: { analysed: 14, failed: 0, facesFound: 16 },
    });
    expect(events.some((e) => e.type === 'library-changed' && e.reason === 'indexed')).toBe(true);
    const status = await api.status();
    expect(status).toMatchObject({
      folders: 1,
      photos: { done: 14, total: 14 },
      faces: 16,
      people: 3,
      namedPeople: 0,
      unsortedFaces: 0,
      ignoredFaces: 0,
      indexing: null,
      modelVersion: 'noisy-test-v1',
    });
    const people = await api.listPeople({});
    expect(people.map((p) => p.faceCount)).toEqual([7, 5, 4]);
    expect(pipelinesCreated).toHaveLength(1);
  });

  it('serves the contract: person, photo, rename, move, undo, suggestions, preview, ROC, recluster', async () => {
    const [anna, ben] = await api.listPeople({});
    const detail = await api.getPerson({ personId: anna!.id });
    expect(detail.faces).toHaveLength(7);
    expect(detail.faces.every((f) => f.distance !== null && f.distance < 0.2)).toBe(true);
    const photo = await api.getPhoto({ photoId: detail.faces[0]!.photoId });
    expect(photo.faces.some((f) => f.personId === anna!.id)).toBe(true);

    const before = dump(api.library.library);
    const renamed = (await api.call('renamePerson', { personId: anna!.id, name: 'Anna' })) as { label: string };
    expect(renamed.label).toMatch(/Anna/);
    expect((await api.getPhoto({ photoId: photo.id })).faces.find((f) => f.personId === anna!.id)?.personName).toBe(
      'Anna',
    );
    const moved = await api.moveFaces({ faceIds: [detail.faces[0]!.id], to: { newPerson: true, name: 'Twin' } });
    expect(moved.personId).toBeGreaterThan(0);
    expect((await api.listPeople({ search: 'twi' })).map((p) => p.name)).toEqual(['Twin']);
    const suggestions = await api.mergeSuggestions({});
    expect(suggestions[0]).toMatchObject({ a: { name: 'Anna' }, b: { name: 'Twin' } });
    const preview = await api.previewThreshold({ threshold: 3.9 });
    expect(preview.people).toBeLessThan(4);
    expect((await api.roc()).threshold).toBe((await api.getSettings()).threshold);
    expect((await api.undoStack()).map((e) => e.label)).toEqual([expect.stringMatching(/Twin/), renamed.label]);
    await api.undo();
    await api.undo();
    expect(await api.undo()).toBeNull();
    expect(dump(api.library.library)).toEqual(before);

    await api.call('setHidden', { personId: ben!.id, hidden: true });
    expect((await api.listPeople({})).map((p) => p.id)).not.toContain(ben!.id);
    expect((await api.listPeople({ includeHidden: true })).map((p) => p.id)).toContain(ben!.id);
    expect(await api.recluster({})).toEqual({ people: 3 });

    // Applying a threshold is undoable too: people, assignments, decisions and the threshold come back.
    const beforeTuning = dump(api.library.library);
    const threshold = (await api.getSettings()).threshold;
    expect(await api.recluster({ threshold: 0.0001 })).toEqual({ people: 0 });
    expect((await api.undoStack())[0]!.label).toMatch(/threshold 0.0001/);
    await api.undo();
    expect(dump(api.library.library)).toEqual(beforeTuning);
    expect((await api.getSettings()).threshold).toBe(threshold);
  });

  it('gives thumbnail and photo files by id only', async () => {
    const [anna] = await api.listPeople({});
    const face = (await api.getPerson({ personId: anna!.id })).faces[0]!;
    const thumb = await api.faceThumbnail(face.id);
    expect(existsSync(thumb)).toBe(true);
    expect((await sharp(thumb).metadata()).format).toBe('webp');
    expect(api.photoFile(face.photoId)).toMatch(/\.png$/);
    await expect(api.faceThumbnail(123456)).rejects.toMatchObject({ code: 'not-found' });
    expect(() => api.photoFile(123456)).toThrow(ApiError);
  });

  it('watch mode indexes a new photo as it appears and places its face', async () => {
    const watcher = api.startWatching({ debounceMs: 100, writeStabilityMs: 100 });
    expect(api.startWatching()).toBe(watcher); // idempotent
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const changed = new Promise<void>((resolve) =>
      api.on((e) => {
        if (e.type === 'library-changed' && e.reason === 'watched-change') resolve();
      }),
    );
    const [biggest] = (await api.listPeople({})).sort((a, b) => b.faceCount - a.faceCount);
    await makePhoto(join(photos, 'a-new.png'), { faces: [{ cell: 12, identity: A }], seed: 200, size: PHOTO_SIZE });
    await changed;
    const photo = api.library.photoByPath(join(photos, 'a-new.png'))!;
    const [face] = api.library.facesOfPhoto(photo.id);
    expect(face).toMatchObject({ personId: biggest!.id, assignment: 'auto' });
    await api.stopWatching();
    expect(api.isWatching()).toBe(false);
  });

  it('adds a drawn face through the pipeline and re-creates the pipeline after a model change', async () => {
    const [anna] = await api.listPeople({});
    const face = (await api.getPerson({ personId: anna!.id })).faces[0]!;
    const added = await api.addManualFace({
      photoId: face.photoId,
      box: { x: 48, y: 48, width: 16, height: 16 },
      to: { personId: anna!.id },
    });
    expect(api.library.face(added.faceId)).toMatchObject({ personId: anna!.id, assignment: 'confirmed' });
    await api.undo();
    expect(api.library.face(added.faceId)).toBeUndefined();

    expect(pipelinesCreated).toHaveLength(1);
    await api.updateSettings({ threshold: 0.9 });
    await api.startIndexing();
    await api.whenIdle();
    expect(pipelinesCreated).toHaveLength(1);
    await api.updateSettings({ embedder: 'dlib+mobileface' });
    await api.startIndexing();
    await api.whenIdle();
    expect(pipelinesCreated.map((s) => s.embedder)).toEqual(['dlib', 'dlib+mobileface']);
    expect((await api.getSettings()).threshold).toBe(0.9);
  });

  it('keeps watching across a model change, with the new pipeline', async () => {
    const first = api.startWatching({ debounceMs: 100, writeStabilityMs: 100 });
    await new Promise<void>((resolve) => first.once('ready', () => resolve()));
    await api.updateSettings({ embedder: 'dlib' });
    expect(api.isWatching()).toBe(true);
    const second = api.startWatching();
    expect(second).not.toBe(first);
    await new Promise<void>((resolve) => second.once('ready', () => resolve()));
    const created = pipelinesCreated.length;
    const changed = new Promise<void>((resolve) => {
      const off = api.on((e) => {
        if (e.type === 'library-changed' && e.reason === 'watched-change') resolve(void off());
      });
    });
    await makePhoto(join(photos, 'after-model-change.png'), {
      faces: [{ cell: 5, identity: A }],
      seed: 201,
      size: PHOTO_SIZE,
    });
    await changed;
    expect(pipelinesCreated.slice(created).map((s) => s.embedder)).toEqual(['dlib']);
    expect(api.library.photoByPath(join(photos, 'after-model-change.png'))?.status).toBe('done');
    await api.stopWatching();
  });
});
