import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../core/contentSecurityPolicy.js';

export const appScheme = 'app';
export const appOrigin = `${appScheme}://renderer`;

/** Must run before the app is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Serves the built renderer from app://renderer/ with the app's Content-Security-Policy as a real
 * header (file:// pages cannot get one) and refuses any path outside the renderer folder.
 */
export function serveRenderer(rendererDirectory: string): void {
  protocol.handle(appScheme, async (request) => {
    const { host, pathname } = new URL(request.url);
    if (host !== 'renderer') return new Response('Not found', { status: 404 });
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const filePath = join(rendererDirectory, relative);
    if (!filePath.startsWith(rendererDirectory + sep)) return new Response('Forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(filePath).toString()).catch(() => net.fetch(pathToFileURL(join(rendererDirectory, 'index.html')).toString()));
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
