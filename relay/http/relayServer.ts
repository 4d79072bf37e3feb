import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { relayAppRouter } from '../api/relayRouter.js';
import type { RelayContext } from '../api/relayTrpc.js';
import type { RelayServices } from '../relayServices.js';
import { applySecurityHeaders, bearerToken, clientAddress, sendError, sendJson } from './httpHelpers.js';
import { handleWidgetRequest } from './widgetRoutes.js';
import { handleChannelWebhook } from '../channels/webhookRoutes.js';
import { liveFrameEncoder } from '../sync/sharedLivePages.js';

export interface RelayServerOptions {
  services: RelayServices;
  host: string;
  port: number;
  tls?: { cert: Buffer; key: Buffer } | undefined;
  trustProxy?: boolean;
  /** The address people and desktops use (a reverse proxy's); defaults to the bound address. */
  publicUrl?: string | undefined;
}

export interface RunningRelayServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Sync pushes carry at most 500 events of at most a few KB each. */
const maximumApiBodyBytes = 1024 * 1024;

export async function startRelayServer(options: RelayServerOptions): Promise<RunningRelayServer> {
  const { services } = options;
  const tls = options.tls !== undefined;
  const trustProxy = options.trustProxy ?? false;
  const trpcHandler = createHTTPHandler({
    router: relayAppRouter,
    basePath: '/trpc/',
    maxBodySize: maximumApiBodyBytes,
    createContext: ({ req }): RelayContext => ({ services, address: clientAddress(req, trustProxy), deviceToken: bearerToken(req) }),
    onError: ({ error }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') services.logger.error('http: procedure failed', { error: error.cause?.message ?? error.message });
    },
  });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    applySecurityHeaders(response, tls);
    const url = new URL(request.url ?? '/', 'http://relay.invalid');
    const address = clientAddress(request, trustProxy);
    try {
      if (url.pathname === '/healthz') {
        const storageReachable = await services.storage.health();
        sendJson(response, storageReachable ? 200 : 503, { status: storageReachable ? 'ok' : 'degraded', storage: { kind: services.storage.kind, reachable: storageReachable } });
        return;
      }
      if (url.pathname.startsWith('/trpc/')) {
        trpcHandler(request, response);
        return;
      }
      if (await handleWidgetRequest(services, request, response, url, address)) return;
      if (services.channels && url.pathname.startsWith('/webhooks/') && (await handleChannelWebhook(services, services.channels, request, response, url))) return;
      sendJson(response, 404, { error: { code: 'NOT_FOUND', message: 'Nothing here.' } });
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (sendError(response, error).unexpected) services.logger.error('http: request failed', { path: url.pathname, error: error instanceof Error ? error.message : String(error) });
    }
  };

  const server: Server = tls
    ? createHttpsServer({ cert: options.tls!.cert, key: options.tls!.key }, (request, response) => void handle(request, response))
    : createHttpServer((request, response) => void handle(request, response));
  // Long polls last up to 25 s; keep sockets a little longer than that.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  // Well above a client's idle timeout (undici keeps a socket 1 s less than the hint we send), so under
  // load a client rarely reuses a socket the relay is just closing ("other side closed", ECONNRESET).
  server.keepAliveTimeout = 20_000;

  const webSockets = new WebSocketServer({ noServer: true, maxPayload: maximumApiBodyBytes });
  const wssHandler = applyWSSHandler({
    wss: webSockets,
    router: relayAppRouter,
    experimental_encoder: liveFrameEncoder,
    keepAlive: { enabled: true, pingMs: 15_000, pongWaitMs: 10_000 },
    createContext: ({ req, info }): RelayContext => {
      const token = info.connectionParams?.['deviceToken'];
      return { services, address: clientAddress(req, trustProxy), deviceToken: typeof token === 'string' ? token : bearerToken(req) };
    },
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://relay.invalid');
    if (url.pathname !== '/trpc' && url.pathname !== '/trpc/') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => webSockets.emit('connection', webSocket, request));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = options.publicUrl ?? `${tls ? 'https' : 'http'}://${hostForUrl}:${port}`;

  return {
    url,
    port,
    async close() {
      wssHandler.broadcastReconnectNotification();
      for (const client of webSockets.clients) client.terminate();
      webSockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
