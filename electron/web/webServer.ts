import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { AresCore } from '../core/aresCore.js';
import { appRouter } from '../core/appRouter.js';
import { contentSecurityPolicy } from '../core/contentSecurityPolicy.js';
import { accessCookieName, hostIsLoopback, newAccessToken, requestCarriesToken } from './accessToken.js';
import { serveStaticFile } from './staticFiles.js';

export interface WebServerOptions {
  core: AresCore;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (vite build output). */
  rendererDirectory: string;
}

export interface RunningWebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const maximumRequestBytes = 50 * 1024 * 1024;

/**
 * Web mode: the same router and renderer as the desktop app, on 127.0.0.1 only, behind a random
 * per-launch token. The token from the printed URL is swapped for an HttpOnly, SameSite=Strict
 * cookie and removed from the address bar, so it does not linger in history or referrers.
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  if (!existsSync(options.rendererDirectory)) {
    throw new Error(`The renderer is not built (${options.rendererDirectory} is missing). Run "npx vite build" first.`);
  }
  const token = newAccessToken();
  const createContext = () => ({ core: options.core });
  const trpcHandler = createHTTPHandler({ router: appRouter, createContext, basePath: '/trpc/', maxBodySize: maximumRequestBytes });
  let port = 0;

  const refuse = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Frame-Options', 'DENY');
    if (!hostIsLoopback(request, port)) return refuse(response, 421, 'Wrong host.');
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);

    const offered = url.searchParams.get('token');
    if (offered !== null) {
      const withToken = { ...request, headers: { ...request.headers, authorization: `Bearer ${offered}` } } as IncomingMessage;
      if (!requestCarriesToken(withToken, token)) return refuse(response, 401, 'This link has an invalid access token.');
      url.searchParams.delete('token');
      response.writeHead(303, {
        'Set-Cookie': `${accessCookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      response.end();
      return;
    }
    if (!requestCarriesToken(request, token)) {
      return refuse(response, 401, 'Access token missing. Open the full address printed by "npm run web".');
    }
    if (url.pathname.startsWith('/trpc/')) {
      trpcHandler(request, response);
      return;
    }
    response.setHeader('Content-Security-Policy', contentSecurityPolicy(`ws://127.0.0.1:${port} ws://localhost:${port}`));
    void serveStaticFile(options.rendererDirectory, url.pathname, response);
  });

  const webSockets = new WebSocketServer({ noServer: true, maxPayload: maximumRequestBytes });
  const wssHandler = applyWSSHandler({ wss: webSockets, router: appRouter, createContext });
  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const originAllowed = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (!hostIsLoopback(request, port) || !originAllowed || !requestCarriesToken(request, token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => webSockets.emit('connection', webSocket, request));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      wssHandler.broadcastReconnectNotification();
      for (const client of webSockets.clients) client.terminate();
      webSockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
