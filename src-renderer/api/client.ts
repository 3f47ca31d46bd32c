/**
 * The renderer's only way to the engine: the typed FaceNetApi over whichever transport is present.
 * - Electron: `window.facenet` from the preload (IPC, validated in main), images via facenet://.
 * - Browser (`facenet serve`): POST /api/<method> with the token header, events over a WebSocket, images
 *   by id with the token in the query. The token comes from the page URL once and is kept in sessionStorage.
 */
import { ApiError, type ApiEvent, type ApiMethod, type FaceNetApi } from '../../src-shared/api.js';
import { apiProxy } from '../../src-shared/api-proxy.js';

/** What the Electron preload exposes (see src-main/hosts/electron/preload.ts). */
export interface DesktopBridge {
  /** Answers an envelope: Electron IPC would strip an error's code. */
  invoke(
    method: string,
    args: unknown,
  ): Promise<{ result: unknown } | { error: { code: ApiError['code']; message: string } }>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  pickFolder(): Promise<string | null>;
}

declare global {
  interface Window {
    facenet?: DesktopBridge;
  }
}

export interface Transport {
  kind: 'desktop' | 'browser';
  call(method: ApiMethod, args: unknown): Promise<unknown>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  thumbUrl(faceId: number): string;
  /**
   * The app's WebP preview of a photo (never the original file): `size` px on its longest side, served from the
   * nearest bucket (320 for grids, 2048 for the Photo view); without `size`, the Photo view's.
   */
  photoUrl(photoId: number, size?: number): string;
  /** Native folder picker (desktop only). */
  pickFolder?: () => Promise<string | null>;
  /**
   * Whether the engine can be reached (browser only: on the desktop the engine lives and dies with the window).
   * Calls `listener` with each change; returns the unsubscribe function.
   */
  onConnection?: (listener: (state: ConnectionState) => void) => () => void;
}

/**
 * 'stopped': `facenet serve` no longer answers (the views keep what they show); 'no-access': the server answers
 * but refuses this tab's token (a tab opened on the plain address, or a server restarted with a new token).
 */
export type ConnectionState = 'ok' | 'stopped' | 'no-access';

/** The message of a call that failed because the server is gone, and of one it refused for the token. */
export const STOPPED_MESSAGE = 'FaceNet Photos stopped: restart `facenet serve` and reload this page.';
export const NO_ACCESS_MESSAGE = 'This tab has no access key: open the address `facenet serve` printed.';

/**
 * A photo's URL under `prefix` (`facenet://photo` on the desktop, `<origin>/photo` in a browser): with `size`,
 * the preview whose longer edge is about that many pixels (`?size=<px>`, whole pixels, at least 1); with
 * `token`, the browser's access key after it.
 */
export function photoUrlAt(prefix: string, id: number, size?: number, token?: string): string {
  const query = new URLSearchParams();
  if (size !== undefined) query.set('size', String(Math.max(1, Math.round(size))));
  if (token !== undefined) query.set('token', token);
  const text = query.toString();
  return `${prefix}/${id}${text ? `?${text}` : ''}`;
}

function desktopTransport(bridge: DesktopBridge): Transport {
  return {
    kind: 'desktop',
    async call(method, args) {
      const reply = await bridge.invoke(method, args);
      if ('error' in reply) throw new ApiError(reply.error.code, reply.error.message);
      return reply.result;
    },
    subscribe: (listener) => bridge.onEvent(listener),
    thumbUrl: (id) => `facenet://thumb/${id}`,
    photoUrl: (id, size) => photoUrlAt('facenet://photo', id, size),
    pickFolder: () => bridge.pickFolder(),
  };
}

/** Reads the token from ?token= (then hides it from the address bar) or from sessionStorage. */
export function takeToken(loc: Location, storage: Storage | null, history: History | null): string {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage?.setItem('facenet-token', fromUrl);
    url.searchParams.delete('token');
    history?.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage?.getItem('facenet-token') ?? '';
}

function browserTransport(token: string, origin: string): Transport {
  const listeners = new Set<(e: ApiEvent) => void>();
  const watchers = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'ok';
  const setState = (next: ConnectionState): void => {
    // A refused token stays refused: only a page loaded from the printed address brings a valid one.
    if (state === next || state === 'no-access') return;
    state = next;
    for (const w of watchers) w(next);
  };
  let socket: WebSocket | null = null;
  let opened = false;
  let retry = 500;
  const connect = (): void => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(token)}`);
    socket = ws;
    ws.onopen = () => {
      retry = 500;
      opened = true;
      setState('ok');
      // After a reconnect, anything may have changed.
      for (const l of listeners) l({ type: 'library-changed', reason: 'reconnected' });
    };
    ws.onmessage = (m) => {
      let event: ApiEvent;
      try {
        event = JSON.parse(String(m.data)) as ApiEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(event);
    };
    ws.onclose = () => {
      socket = null;
      // A socket that never opened says nothing yet (the API call that follows tells a refused token apart).
      if (opened) setState('stopped');
      if (listeners.size > 0) setTimeout(connect, (retry = Math.min(retry * 2, 10_000)));
    };
  };
  return {
    kind: 'browser',
    async call(method, args) {
      let res: Response;
      try {
        res = await fetch(`${origin}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-facenet-token': token },
          body: JSON.stringify(args ?? {}),
        });
      } catch {
        // fetch rejects only when no answer came: the server is not running.
        setState('stopped');
        throw new ApiError('internal', STOPPED_MESSAGE);
      }
      if (res.status === 401) {
        setState('no-access');
        throw new ApiError('bad-request', NO_ACCESS_MESSAGE);
      }
      setState('ok');
      let body: { result?: unknown; error?: { code: ApiError['code']; message: string } };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        throw new ApiError('internal', `HTTP ${res.status}`);
      }
      if (body.error) throw new ApiError(body.error.code, body.error.message);
      return body.result;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && socket) socket.close();
      };
    },
    thumbUrl: (id) => `${origin}/thumb/${id}?token=${encodeURIComponent(token)}`,
    photoUrl: (id, size) => photoUrlAt(`${origin}/photo`, id, size, token),
    onConnection(listener) {
      watchers.add(listener);
      if (state !== 'ok') listener(state);
      return () => watchers.delete(listener);
    },
  };
}

export function createTransport(): Transport {
  if (window.facenet) return desktopTransport(window.facenet);
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null;
  }
  return browserTransport(takeToken(window.location, storage, window.history), window.location.origin);
}

/** The typed API over a transport: api.getPerson({ personId }) and so on. */
export function createApi(transport: Transport): FaceNetApi {
  return apiProxy((method, args) => transport.call(method, args));
}
