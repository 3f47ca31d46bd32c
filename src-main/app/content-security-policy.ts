/**
 * The renderer's Content-Security-Policy, one definition for both hosts that serve it: the HTTP server
 * (`facenet serve`, a browser tab) and the Electron window. The rules are the same; only where images and
 * connections may come from differs:
 *
 * - server: the API is fetched from the page's own origin and events come over a WebSocket on the same
 *   port (`connect-src 'self' ws://…`); thumbnails and photos are same-origin URLs.
 * - Electron: the API goes over IPC, so nothing connects (`connect-src 'none'`); thumbnails and photos come
 *   from the `facenet:` protocol.
 */

export interface RendererSources {
  /** Image sources besides the page's own origin, blob: and data:. */
  images: readonly string[];
  /** Where scripts may connect; empty means nowhere. */
  connect: readonly string[];
}

/** The directives, in header order, and their sources. Nothing inline, no eval, no frames, no plugins. */
export function cspDirectives(sources: RendererSources): [directive: string, sources: readonly string[]][] {
  return [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", ...sources.images, 'blob:', 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', sources.connect.length > 0 ? sources.connect : ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['object-src', ["'none'"]],
  ];
}

export function contentSecurityPolicy(sources: RendererSources): string {
  return cspDirectives(sources)
    .map(([directive, list]) => `${directive} ${list.join(' ')}`)
    .join('; ');
}

/** The sources of the page the HTTP server on 127.0.0.1:`port` serves. */
export function serverSources(port: number): RendererSources {
  return { images: [], connect: ["'self'", `ws://127.0.0.1:${port}`, `ws://localhost:${port}`] };
}

/** The sources of the Electron window's page. */
export const ELECTRON_SOURCES: RendererSources = { images: ['facenet:'], connect: [] };

/** The header of the HTTP server's page. */
export function serverContentSecurityPolicy(port: number): string {
  return contentSecurityPolicy(serverSources(port));
}

/** The header of every response to the Electron window. */
export const ELECTRON_CONTENT_SECURITY_POLICY = contentSecurityPolicy(ELECTRON_SOURCES);
