import { readFileSync } from 'node:fs';
import { createRelayLogger, type RelayLogger } from './relayLogger.js';
import type { RelayConfig } from './relayConfig.js';
import { createRelayServices, type RelayServices } from './relayServices.js';
import { startRelayServer } from './http/relayServer.js';
import { openRelayBackend } from './storage/relayBackend.js';
import { startChannels } from './channels/startChannels.js';
import { startAutoReplier } from './sync/autoReplier.js';
import { startRelayPrivacy } from './privacy/startPrivacy.js';

export interface RunningRelay {
  url: string;
  port: number;
  services: RelayServices;
  close(): Promise<void>;
}

/** The whole relay in one call: storage, services, HTTP/WebSocket server, background jobs. */
export async function startRelay(config: RelayConfig, logger: RelayLogger = createRelayLogger(config.logLevel)): Promise<RunningRelay> {
  const backend = await openRelayBackend(config);
  const storage = backend.storage;
  const services = createRelayServices({
    storage,
    ...(backend.notifier ? { notifier: backend.notifier } : {}),
    logger,
    scryptParameters: { N: 2 ** config.scryptCost, r: 8, p: 1 },
    rateLimitScale: config.rateLimitScale,
  });
  const tls = config.tlsCertFile && config.tlsKeyFile ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } : undefined;
  const server = await startRelayServer({ services, host: config.host, port: config.port, tls, trustProxy: config.trustProxy, publicUrl: config.publicUrl });
  const stopAutoReplier = startAutoReplier(services, config.autoReplyCheckSeconds * 1000);
  services.channels = startChannels(services, config, backend.channelStore, () => server.url);
  const privacy = await startRelayPrivacy(services, config);
  return {
    url: server.url,
    port: server.port,
    services,
    async close() {
      stopAutoReplier();
      await server.close();
      await privacy.stop();
      await services.channels?.close();
      await backend.close();
    },
  };
}
