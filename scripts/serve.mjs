// A static server for the dashboard: www/ at /, the package folder (pkg/, with its built dist/) at /pkg/.
// Loopback only. Run directly it serves on PORT (by default a free port the system gives) and prints the
// address; the browser tests import `serve` and start it in-process.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Maps a URL path to a file under one of the mounts, refusing anything that escapes it. */
function resolve(mounts, pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    let rest = decodeURIComponent(pathname.slice(prefix.length));
    if (rest === '' || rest.endsWith('/')) rest += 'index.html';
    const file = normalize(join(dir, rest));
    return file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

/**
 * Serves `mounts` (URL prefix → folder, first match wins; by default /pkg/ and www/) on 127.0.0.1.
 * Resolves to `{ url, close }` once listening.
 */
export function serve({ port = 0, mounts = [['/pkg/', join(root, 'pkg')], ['/', join(root, 'www')]] } = {}) {
  const server = createServer(async (req, res) => {
    const file = resolve(mounts, new URL(req.url, 'http://localhost').pathname);
    try {
      if (!file) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}/`;
      done({ url, close: () => new Promise((closed) => server.close(closed)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serve({ port: Number(process.env.PORT ?? 0) });
  console.log(`ops-ux-engine dashboard (IndexedDB, survives reloads): ${url}`);
  console.log(`on the embedded in-memory store:                  ${url}?store=memory`);
}
