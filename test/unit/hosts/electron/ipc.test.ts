import { describe, expect, it } from 'vitest';
import {
  isTrustedSender,
  parseImageUrl,
  RENDERER_CSP,
  toReply,
  validateInvoke,
} from '../../../../src-main/hosts/electron/ipc.js';
import { ApiError } from '../../../../src-shared/api.js';

describe('Electron IPC boundary', () => {
  it('validates every invoke payload in main', () => {
    expect(validateInvoke('getPerson', { personId: 3 })).toEqual({ method: 'getPerson', args: { personId: 3 } });
    expect(validateInvoke('status', undefined)).toEqual({ method: 'status', args: {} });
    expect(() => validateInvoke(42, {})).toThrow(ApiError);
    expect(() => validateInvoke('constructor', {})).toThrow(/unknown method/);
    expect(() => validateInvoke('getPerson', { personId: '3' })).toThrow(/integer/);
    expect(() => validateInvoke('addFolder', { path: '/x', extra: 1 })).toThrow(/unexpected field/);
    // The Photos view and the folder list go through the same generic channel.
    const photos = { folderId: 1, personIds: [2, 3], offset: 0, limit: 150 };
    expect(validateInvoke('listPhotos', photos)).toEqual({ method: 'listPhotos', args: photos });
    expect(validateInvoke('browseFolders', {})).toEqual({ method: 'browseFolders', args: {} });
    expect(() => validateInvoke('listPhotos', { personIds: 'A' })).toThrow(/integers/);
    expect(() => validateInvoke('browseFolders', { path: 7 })).toThrow(/string/);
  });

  it('only the app frame may call', () => {
    expect(isTrustedSender('facenet://app/index.html#/people')).toBe(true);
    expect(isTrustedSender('https://example.com/')).toBe(false);
    expect(isTrustedSender('facenet://thumb/1')).toBe(false);
    expect(isTrustedSender('file:///etc/passwd')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('serves images by numeric id only', () => {
    expect(parseImageUrl('facenet://thumb/12')).toEqual({ kind: 'thumb', id: 12 });
    expect(parseImageUrl('facenet://photo/7')).toEqual({ kind: 'photo', id: 7 });
    expect(parseImageUrl('facenet://photo/..%2F..%2Fetc%2Fpasswd')).toBeNull();
    expect(parseImageUrl('facenet://photo/7?path=/etc/passwd')).toBeNull();
    // The preview size is the one query a photo URL may carry (never on a face thumbnail).
    expect(parseImageUrl('facenet://photo/7?size=320')).toEqual({ kind: 'photo', id: 7, size: 320 });
    expect(parseImageUrl('facenet://photo/7?size=320&path=/etc/passwd')).toBeNull();
    expect(parseImageUrl('facenet://photo/7?size=-1')).toBeNull();
    expect(parseImageUrl('facenet://photo/7?size=0')).toBeNull();
    expect(parseImageUrl('facenet://thumb/7?size=320')).toBeNull();
    for (const q of ['size=1.5', 'size=99999', 'size=', 'size=320&size=640', 'size=320&x=1']) {
      expect(parseImageUrl(`facenet://photo/7?${q}`), q).toBeNull();
    }
    expect(parseImageUrl('facenet://app/7')).toBeNull();
    expect(parseImageUrl('file:///7')).toBeNull();
  });

  it('answers errors as envelopes that keep the code but hide internals', () => {
    expect(toReply(new ApiError('not-found', 'no person 9'))).toEqual({
      error: { code: 'not-found', message: 'no person 9' },
    });
    expect(toReply(new Error('SQLITE_BUSY at /home/me/x.sqlite'))).toEqual({
      error: { code: 'internal', message: 'internal error' },
    });
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).not.toContain('unsafe');
  });
});
