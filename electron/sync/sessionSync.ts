import type { AresCore } from '../core/aresCore.js';
import { inboxProjector } from '../inbox/inboxProjector.js';
import { sendPrivacyEventsThroughSync, withPrivacyEvents } from '../portability/relaySync.js';
import type { TenantSession } from '../vault/index.js';
import { SyncService } from './syncService.js';

/** The tenant's sync service, created (and started) on first use. */
export function syncServiceFor(session: TenantSession): SyncService {
  return session.service('sync', () => {
    // Privacy events (erasures, account notices) are handled by the portability domain, not the inbox.
    const service = new SyncService(session, { projector: withPrivacyEvents(inboxProjector) });
    service.start();
    sendPrivacyEventsThroughSync(service);
    return service;
  });
}

/** Starts sync as soon as a connected tenant is unlocked, without waiting for the UI to ask. */
export function attachSyncToCore(core: AresCore): () => void {
  return core.onStateChange((change) => {
    if (change.reason === 'unlocked' && core.session && !core.session.closed) syncServiceFor(core.session);
  });
}
