/**
 * The IPC contract between the preload and main, shared by both sides (no Electron imports here, so it is
 * unit-testable): channel names and the validation every payload goes through in main.
 */
import { ApiError, apiErrorBody, isApiError, validateRequest, type ApiMethod } from '../../../src-shared/api.js';
import { ELECTRON_CONTENT_SECURITY_POLICY } from '../../app/content-security-policy.js';

export const CHANNEL_INVOKE = 'facenet:invoke';
export const CHANNEL_EVENT = 'facenet:event';
export const CHANNEL_PICK_FOLDER = 'facenet:pick-folder';

/** What an invoke answers: never a thrown error (Electron would strip its code), always an envelope. */
export type InvokeReply = { result: unknown } | { error: { code: ApiError['code']; message: string } };

/** The renderer's origin: the only frame allowed to talk to main. */
export const APP_ORIGIN = 'facenet://app';

export function isTrustedSender(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'facenet:' && u.host === 'app';
  } catch {
    return false;
  }
}

/** Validates one invoke payload as main receives it: (method, args) from an untrusted renderer. */
export function validateInvoke(method: unknown, args: unknown): { method: ApiMethod; args: unknown } {
  if (typeof method !== 'string') throw new ApiError('bad-request', 'method must be a string');
  validateRequest(method, args);
  return { method, args: args ?? {} };
}

export function toReply(error: unknown): InvokeReply {
  if (isApiError(error)) return { error: apiErrorBody(error) };
  return { error: { code: 'internal', message: 'internal error' } };
}

/** Largest preview edge a `?size=` may ask for (pixels). */
export const MAX_IMAGE_SIZE = 4096;

/**
 * `facenet://thumb/12` -> { kind: 'thumb', id: 12 }; `facenet://photo/7?size=320` -> { kind: 'photo', id: 7,
 * size: 320 } (the photo's preview that long on its longest side; without `size`, the large one); anything else
 * (paths, names, other queries) -> null.
 */
export function parseImageUrl(url: string): { kind: 'thumb' | 'photo'; id: number; size?: number } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'facenet:' || (u.host !== 'thumb' && u.host !== 'photo')) return null;
  const m = /^\/(\d{1,15})$/.exec(u.pathname);
  if (!m || u.username || u.password || u.hash) return null;
  if (!u.search) return { kind: u.host, id: Number(m[1]) };
  const size = /^\?size=(\d{1,5})$/.exec(u.search);
  if (u.host !== 'photo' || !size || Number(size[1]) < 1 || Number(size[1]) > MAX_IMAGE_SIZE) return null;
  return { kind: 'photo', id: Number(m[1]), size: Number(size[1]) };
}

/** The renderer's CSP (the server's page has the same rules: src-main/app/content-security-policy.ts). */
export const RENDERER_CSP = ELECTRON_CONTENT_SECURITY_POLICY;
