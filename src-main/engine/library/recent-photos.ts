/**
 * Keeps the last few decoded HEIC and RAW photos for a moment, so that the face thumbnails and previews of
 * one photo (a People grid asks for several faces of the same group photo at once) share one decode instead
 * of one each: a 12 MP HEIC takes most of a second to decode. Photos that sharp reads straight from the file
 * (JPEG, PNG, …) are not kept: re-reading them is cheap and their pixels are not held in memory.
 *
 * Entries are keyed by path, size and modification time (an edited file is decoded again), at most
 * `entries` are held, and each is dropped `ttlMs` after it was made.
 */
import { stat } from 'node:fs/promises';
import type { OpenedPhoto } from '../vision/formats/open.js';

export function recentPhotos(
  open: (path: string) => Promise<OpenedPhoto>,
  options: { entries?: number; ttlMs?: number } = {},
): (path: string) => Promise<OpenedPhoto> {
  const entries = options.entries ?? 2;
  const ttlMs = options.ttlMs ?? 10_000;
  const held = new Map<string, Promise<OpenedPhoto>>();
  return async (path) => {
    const s = await stat(path).catch(() => undefined);
    if (!s) return open(path); // let the opener say what is wrong
    const key = `${path}\0${s.size}\0${s.mtimeMs}`;
    const found = held.get(key);
    if (found) return found;
    const job = open(path);
    held.set(key, job);
    const forget = (): void => void held.delete(key);
    job.then((opened) => {
      if (opened.fromFile) forget();
      else setTimeout(forget, ttlMs).unref();
    }, forget);
    while (held.size > entries) held.delete(held.keys().next().value!);
    return job;
  };
}
