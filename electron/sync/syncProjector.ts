import type { ConversationEvent, LoggedEvent } from '../../shared/schemas/sync.js';
import type { TenantDatabase } from '../vault/index.js';

/**
 * What the sync engine calls to keep read models (the inbox) in step with the log. Each call runs
 * inside the engine's transaction, so a projection and the cursor always move together.
 */
export interface SyncProjector {
  /** A change made on this desktop, shown at once while it waits in the outbox. */
  applyLocal(database: TenantDatabase, event: ConversationEvent): void;
  /** An event from the relay's log, in seq order; a change of this desktop comes back this way once the relay confirms it. */
  applyConfirmed(database: TenantDatabase, event: LoggedEvent): void;
  /** The relay refused a change of this desktop (it lost a race). */
  markRejected(database: TenantDatabase, eventId: string): void;
  /** Forget everything that came from the log (before a full resync). */
  reset(database: TenantDatabase): void;
}
