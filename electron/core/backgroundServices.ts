import { retentionScheduler } from '../portability/index.js';
import { attachSyncToCore } from '../sync/index.js';
import { attachAgentRunnerToCore } from '../agentRunner/index.js';
import type { AresCore } from './aresCore.js';

/**
 * What runs by itself while a tenant is unlocked in the app (Electron or web mode): sync with the
 * relay and the retention schedule. The CLI does not attach these: a short command should not
 * hold a relay connection or delete data on a timer.
 */
export function attachBackgroundServices(core: AresCore): () => void {
  const stops = [
    attachSyncToCore(core),
    // The agent answers live conversations on the one desktop holding the tenant's lease.
    attachAgentRunnerToCore(core),
    core.onStateChange((change) => {
      if (change.reason === 'unlocked' && core.session && !core.session.closed) retentionScheduler(core.session);
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
