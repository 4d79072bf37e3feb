import { AccountService } from './accounts/accountService.js';
import type { ScryptParameters } from './accounts/passwordHashing.js';
import { RateLimits } from './http/rateLimits.js';
import type { RelayLogger } from './relayLogger.js';
import type { RelayStorage } from './storage/relayStorage.js';
import { InMemoryLogNotifier, type LogNotifier } from './sync/logNotifier.js';
import { RelayLog } from './sync/relayLog.js';
import { WebChannel } from './channels/webChannel.js';
import type { ChannelServices } from './channels/channelServices.js';

/** Everything a request handler needs, built once per relay process (or per test). */
export interface RelayServices {
  storage: RelayStorage;
  log: RelayLog;
  accounts: AccountService;
  rateLimits: RateLimits;
  webChannel: WebChannel;
  logger: RelayLogger;
  now: () => number;
  /** WhatsApp and Messenger (set by startRelay once the server's public URL is known). */
  channels?: ChannelServices;
}

export function createRelayServices(options: {
  storage: RelayStorage;
  logger: RelayLogger;
  scryptParameters: ScryptParameters;
  rateLimitScale?: number;
  notifier?: LogNotifier;
  now?: () => number;
}): RelayServices {
  const now = options.now ?? Date.now;
  const rateLimits = new RateLimits(options.rateLimitScale ?? 1);
  // Live pages at most every 10 ms per subscriber: under load, one WebSocket frame carries many events.
  const log = new RelayLog({ storage: options.storage, notifier: options.notifier ?? new InMemoryLogNotifier(), now, livePageIntervalMilliseconds: 10 });
  return {
    storage: options.storage,
    log,
    accounts: new AccountService({ storage: options.storage, rateLimits, scryptParameters: options.scryptParameters, now }),
    rateLimits,
    webChannel: new WebChannel({ storage: options.storage, log, rateLimits, now }),
    logger: options.logger,
    now,
  };
}
