/**
 * The access token of `facenet serve --port N`, kept between runs so the printed address (port + token) stays
 * the same and a bookmark keeps working. It lives next to the library (`<library>.serve-token`), readable by
 * its owner only (0600). It is as strong as a per-run token (32 random bytes) and the server checks it the
 * same way; what changes is only that it outlives one run, so a file others could read, or one that is not
 * ours or not a token, is never used: a new token replaces it. `--new-token` replaces it on request (a leaked
 * address).
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** 32 random bytes as base64url: the server's own per-run token format. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function serveTokenPath(libraryPath: string): string {
  return `${libraryPath}.serve-token`;
}

export interface StoredToken {
  token: string;
  /** Why a new token was made instead of reusing one (undefined when reused); plain words for the console. */
  renewed?: string;
}

/** The stored token of this library, or a new one (stored with mode 0600) when there is none or it is unfit. */
export function loadOrCreateServeToken(libraryPath: string, renew = false): StoredToken {
  const path = serveTokenPath(libraryPath);
  const unfit = renew ? 'a new token was asked for' : whyUnfit(path);
  if (unfit === null) return { token: readFileSync(path, 'utf8').trim() };
  const token = randomBytes(32).toString('base64url');
  // A temporary file created 0600 and renamed over: never a moment where the token is readable by others,
  // and a symlink planted at the path is replaced, not followed.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${token}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { token, ...(unfit !== 'none' ? { renewed: unfit } : {}) };
}

/** null when the stored token can be used; 'none' when there is none; otherwise the reason it is not used. */
function whyUnfit(path: string): string | null {
  let info;
  try {
    info = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw e;
  }
  if (!info.isFile()) return `${path} is not a regular file`;
  if (process.platform !== 'win32') {
    if (typeof process.getuid === 'function' && info.uid !== process.getuid()) return `${path} belongs to someone else`;
    if ((info.mode & 0o077) !== 0) return `${path} could be read by others (mode ${(info.mode & 0o777).toString(8)})`;
  }
  if (info.size > 1024 || !TOKEN.test(readFileSync(path, 'utf8').trim())) return `${path} does not hold a token`;
  return null;
}
