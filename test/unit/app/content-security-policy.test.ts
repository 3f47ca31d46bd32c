import { describe, expect, it } from 'vitest';
import {
  cspDirectives,
  ELECTRON_SOURCES,
  serverContentSecurityPolicy,
  serverSources,
} from '../../../src-main/app/content-security-policy.js';
import { RENDERER_CSP } from '../../../src-main/hosts/electron/ipc.js';

const parse = (csp: string): Map<string, string[]> =>
  new Map(
    csp.split('; ').map((d) => {
      const [name, ...sources] = d.split(' ');
      return [name!, sources];
    }),
  );

describe('the renderer CSP of both hosts', () => {
  const server = parse(serverContentSecurityPolicy(8123));
  const electron = parse(RENDERER_CSP);

  it('has the same directives, and the same sources except images and connections', () => {
    expect([...server.keys()]).toEqual([...electron.keys()]);
    expect([...server.keys()]).toEqual(cspDirectives(ELECTRON_SOURCES).map(([d]) => d));
    for (const [directive, sources] of server) {
      if (directive === 'img-src' || directive === 'connect-src') continue;
      expect(electron.get(directive), directive).toEqual(sources);
    }
  });

  it('differs only where the hosts do: the WebSocket and same-origin API vs IPC, and facenet: images', () => {
    expect(server.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:8123', 'ws://localhost:8123']);
    expect(electron.get('connect-src')).toEqual(["'none'"]);
    expect(server.get('img-src')).toEqual(["'self'", 'blob:', 'data:']);
    expect(electron.get('img-src')).toEqual(["'self'", 'facenet:', 'blob:', 'data:']);
    expect(serverSources(1).images).toEqual([]);
  });

  it('keeps the exact server header', () => {
    expect(serverContentSecurityPolicy(8123)).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; " +
        "connect-src 'self' ws://127.0.0.1:8123 ws://localhost:8123; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'; object-src 'none'",
    );
    for (const csp of [serverContentSecurityPolicy(1), RENDERER_CSP]) {
      expect(csp).not.toContain('unsafe');
      expect(csp).toContain("default-src 'none'");
    }
  });
});
