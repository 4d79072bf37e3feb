import type { RelayConfig } from '../relayConfig.js';
import type { RelayServices } from '../relayServices.js';
import { ChannelServices } from './channelServices.js';
import type { ChannelStore } from './channelStore.js';
import { loadMasterKey } from './meta/secretBox.js';

/** Builds and starts the WhatsApp/Messenger channels of a relay process. */
export function startChannels(services: RelayServices, config: RelayConfig, store: ChannelStore, publicUrl: () => string): ChannelServices {
  const channels = new ChannelServices(services, {
    store,
    masterKey: loadMasterKey({ configuredKey: config.masterKey, dataDirectory: config.dataDir }),
    publicUrl,
    graphApiBaseUrl: config.graphApiBaseUrl,
    graphApiVersion: config.graphApiVersion,
    retry: { baseDelayMilliseconds: config.outboundRetryBaseMilliseconds, maximumDelayMilliseconds: 10 * 60_000, maximumAttempts: config.outboundMaximumAttempts },
    pollMilliseconds: config.outboundPollMilliseconds,
  });
  channels.start();
  return channels;
}
