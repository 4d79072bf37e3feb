import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Serves the built renderer; unknown paths get index.html so the app's own routes work on reload. */
export async function serveStaticFile(root: string, urlPath: string, response: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  let filePath = join(root, relative);
  if (!filePath.startsWith(root + sep) && filePath !== root) {
    response.writeHead(403).end();
    return;
  }
  const isFile = await stat(filePath).then(
    (found) => found.isFile(),
    () => false,
  );
  if (!isFile) filePath = join(root, 'index.html');
  const type = contentTypes[extname(filePath)] ?? 'application/octet-stream';
  response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  createReadStream(filePath)
    .on('error', () => response.destroy())
    .pipe(response);
}
