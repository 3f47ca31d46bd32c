/**
 * The page a browser gets for the address without its token (a bookmark, a second browser, the address typed
 * by hand): the same refusal (401), in words that say what to do instead of a bare "missing or wrong token".
 * It carries nothing of the library and runs nothing (its own CSP allows no script and no request).
 */
export const NO_ACCESS_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

export const NO_ACCESS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>FaceNet Photos: open the address it printed</title>
<style>
  :root { color-scheme: light dark; }
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1.5rem; }
  code { font-size: 0.95em; }
</style>
</head>
<body>
<h1>Open FaceNet Photos from the address it printed</h1>
<p>This address has no access key. For your privacy, FaceNet Photos only answers the address that
<code>facenet serve</code> printed when it started (it ends in <code>?token=…</code>).</p>
<p>Copy that address from the terminal where <code>facenet serve</code> runs. If it is no longer running,
start it again with <code>npx facenet serve</code> and open the new address.</p>
</body>
</html>
`;

/** Whether a refused request is a page the browser shows (not an API call, an image, a script or a style). */
export function wantsPage(method: string | undefined, pathname: string): boolean {
  if (method !== 'GET') return false;
  if (pathname.startsWith('/api/') || pathname.startsWith('/thumb/') || pathname.startsWith('/photo/')) return false;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !last.includes('.') || last.endsWith('.html');
}
