import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import { timeOrderedId } from '../../shared/timeOrderedId.js';
import { erasureConversationPrefix, ownerAdminEventTypes, type EventBody, type LoggedEvent } from '../../shared/schemas/sync.js';
import type { SyncProjector } from '../sync/syncProjector.js';
import type { SyncStore } from '../sync/syncStore.js';
import type { TenantDatabase } from '../vault/index.js';
import { readSetting, writeSetting } from '../vault/tenantSettings.js';
import { recordAudit } from './privacyAudit.js';
import { applyCorrection, applyErasureEvent, clearPendingCorrections, markErasureSent, pendingCorrections, pendingErasures } from './customers/customerData.js';
import { checkpoint } from './customers/conversationRemoval.js';
import { tableExists } from './sections/exportSection.js';

/**
 * Privacy rights through sync: a customer erased or corrected here goes to the relay and the
 * tenant's other desktops as a `customer.erased` / `customer.corrected` event, and the same events
 * from another desktop are applied here; a refusal by the relay (an agent may do neither) lands in
 * the privacy audit for the Data & privacy screen; account notices from the relay (closing,
 * cancelled) are remembered for the screens.
 *
 * The event names conversations only by a keyed hash (a WhatsApp conversation id holds the phone
 * number); the relay computes the same (relay/privacy/privacyStore.ts).
 */
export function erasureConversationKey(erasureId: string, conversationId: string): string {
  return createHash('sha256').update(`${erasureId}\u0000${conversationId}`).digest('hex').slice(0, 32);
}

/** Once an erasure is in the outbox, the erasure record keeps only the hashes, not the conversation ids. */
function forgetConversationIds(database: TenantDatabase, erasureId: string, keys: string[]): void {
  database.prepare('update privacy_erasures set conversation_ids = ? where erasure_id = ?').run(JSON.stringify(keys), erasureId);
}

/**
 * Moves erasures waiting in privacy_erasures into the sync outbox: the outbox entry, "sent" and
 * the forgotten ids in one transaction, so a crash keeps all or none. Returns how many were queued.
 */
export function queuePendingErasures(database: TenantDatabase, store: SyncStore, now: number): number {
  if (!tableExists(database, 'privacy_erasures')) return 0;
  const pending = pendingErasures(database);
  for (const erasure of pending) {
    const keys = erasure.conversationIds.map((conversationId) => erasureConversationKey(erasure.erasureId, conversationId));
    database.transaction(() => {
      store.recordLocal({
        eventId: timeOrderedId(),
        conversationId: `${erasureConversationPrefix}${erasure.erasureId}`,
        occurredAt: now,
        body: { type: 'customer.erased', erasureId: erasure.erasureId, conversationKeys: keys, requestedAt: erasure.requestedAt },
      });
      markErasureSent(database, erasure.erasureId, now);
      forgetConversationIds(database, erasure.erasureId, keys);
    })();
  }
  if (pending.length > 0) checkpoint(database);
  return pending.length;
}

/** Moves corrections waiting in the tenant settings into the sync outbox, in one transaction. */
export function queuePendingCorrections(database: TenantDatabase, store: SyncStore): number {
  const pending = pendingCorrections(database);
  if (pending.length === 0) return 0;
  database.transaction(() => {
    for (const correction of pending) {
      store.recordLocal({
        eventId: timeOrderedId(),
        conversationId: correction.conversationId,
        occurredAt: correction.requestedAt,
        body: { type: 'customer.corrected', customerLabel: correction.customerLabel, requestedAt: correction.requestedAt },
      });
    }
    clearPendingCorrections(database);
  })();
  return pending.length;
}

/** The conversations this desktop holds anything of. */
function localConversationIds(database: TenantDatabase): string[] {
  const ids = new Set<string>();
  for (const table of ['inbox_conversations', 'sync_events', 'inbox_messages']) {
    if (!tableExists(database, table)) continue;
    for (const row of database.prepare(`select distinct conversation_id as id from "${table}"`).all() as { id: string }[]) ids.add(row.id);
  }
  return [...ids];
}

/**
 * Applies an erasure from the log (idempotent: applyErasureEvent skips an erasure id it has seen,
 * which includes this desktop's own). Runs inside the sync page's transaction.
 */
export function applyErasureFromLog(database: TenantDatabase, body: Extract<EventBody, { type: 'customer.erased' }>, now: number): void {
  if (!tableExists(database, 'privacy_erasures')) return;
  if (database.prepare('select 1 from privacy_erasures where erasure_id = ?').get(body.erasureId)) return;
  const keys = new Set(body.conversationKeys);
  const conversationIds = localConversationIds(database).filter((conversationId) => keys.has(erasureConversationKey(body.erasureId, conversationId)));
  applyErasureEvent(database, { type: 'customer.erased', erasureId: body.erasureId, conversationIds, requestedAt: body.requestedAt }, now);
  forgetConversationIds(database, body.erasureId, body.conversationKeys);
  // The WAL still holds the deleted pages; checkpoint once the page's transaction has committed.
  setImmediate(() => {
    try {
      if (database.open) checkpoint(database);
    } catch {
      // Busy or closed: the next checkpoint (SQLite's own, or the next erasure) does it.
    }
  });
}

// --- Account notices from the relay ---

const accountNoticeKey = 'relay.accountNotice';
export const accountNoticeSchema = z.object({ state: z.enum(['open', 'closing']), deleteAt: z.number().nullable(), noticedAt: z.number() }).nullable();
export type AccountNotice = z.infer<typeof accountNoticeSchema>;

export function readAccountNotice(database: TenantDatabase): AccountNotice {
  return readSetting(database, accountNoticeKey, accountNoticeSchema, null);
}

export function writeAccountNotice(database: TenantDatabase, notice: AccountNotice): void {
  writeSetting(database, accountNoticeKey, notice);
}

const privacyEventTypes = new Set<string>(['customer.erased', 'customer.corrected', 'event.erased', 'account.closing', 'account.closure_cancelled']);
const ownerAdminTypes = new Set<string>(ownerAdminEventTypes);

/**
 * Wraps the inbox projector: privacy events are not conversations, so they never reach the inbox;
 * erasures are applied, tombstones (content the relay deleted) are skipped, account notices kept.
 * A correction goes through the inbox fold (it shows as a line in the conversation) and then renames
 * the customer on the messages that carried the old name.
 */
export function withPrivacyEvents(inner: SyncProjector, now: () => number = Date.now): SyncProjector {
  return {
    applyLocal(database, event) {
      if (!privacyEventTypes.has(event.body.type)) inner.applyLocal(database, event);
    },
    applyConfirmed(database, event: LoggedEvent) {
      const body = event.body;
      switch (body.type) {
        case 'customer.erased':
          applyErasureFromLog(database, body, now());
          return;
        case 'customer.corrected':
          inner.applyConfirmed(database, event);
          // The inbox shows unknown events by their type name; say what happened instead.
          database.prepare('update inbox_messages set text = ? where event_id = ?').run("The customer's name was corrected.", event.eventId);
          applyCorrection(database, event.conversationId, body.customerLabel);
          return;
        case 'conversation.rejected':
          if (ownerAdminTypes.has(body.rejectedType)) {
            // Only the desktop that made the change is told (every desktop receives the rejection).
            // The reason is the relay's fixed wording (no personal data); the screen shows it.
            const ours = database.prepare('select 1 from sync_events where event_id = ? and local = 1').get(body.rejectedEventId);
            if (ours) recordAudit(database, 'relay.refused', { rejectedType: body.rejectedType, reason: body.reason }, now());
            // An erasure has no conversation of its own to show the refusal in.
            if (event.conversationId.startsWith(erasureConversationPrefix)) return;
          }
          inner.applyConfirmed(database, event);
          return;
        case 'event.erased':
          return;
        case 'account.closing':
          writeAccountNotice(database, { state: 'closing', deleteAt: body.deleteAt, noticedAt: now() });
          return;
        case 'account.closure_cancelled':
          writeAccountNotice(database, { state: 'open', deleteAt: null, noticedAt: now() });
          return;
        default:
          inner.applyConfirmed(database, event);
      }
    },
    markRejected: (database, eventId) => inner.markRejected(database, eventId),
    reset: (database) => inner.reset(database),
  };
}

interface PrivacySyncTarget {
  readonly store: SyncStore;
  readonly engine: { kick(): void } | null;
  onChange(listener: () => void): () => void;
}

/** Queues waiting erasures and corrections when the tenant is connected to a relay, and lets the engine push them. */
export function sendPendingPrivacyEvents(service: PrivacySyncTarget, now: number = Date.now()): number {
  if (!service.store.connection()) return 0;
  const queued = queuePendingErasures(service.store.database, service.store, now) + queuePendingCorrections(service.store.database, service.store);
  if (queued > 0) service.engine?.kick();
  return queued;
}

/**
 * Keeps erasures and corrections flowing: at start, and whenever sync state changes (a new
 * connection, a sync round), anything done while offline or unconnected is queued. Returns the
 * unsubscribe function.
 */
export function sendPrivacyEventsThroughSync(service: PrivacySyncTarget): () => void {
  const send = () => {
    try {
      sendPendingPrivacyEvents(service);
    } catch {
      // The tenant was locked meanwhile; the next unlock sends them.
    }
  };
  send();
  return service.onChange(send);
}

/**
 * Erasing or correcting a customer is for owners and admins of the relay account; the relay
 * refuses an agent's, so the desktop says so before changing anything here.
 */
export function requirePrivacyRole(service: PrivacySyncTarget, action: 'erase' | 'correct'): void {
  const role = service.store.connection()?.role;
  if (role !== 'agent') return;
  throw new AresError(
    'FORBIDDEN',
    action === 'erase'
      ? "Only owners and admins can erase a customer's data: you are signed in to the relay as an agent. Ask an owner or admin of the business account."
      : "Only owners and admins can correct a customer's details: you are signed in to the relay as an agent. Ask an owner or admin of the business account.",
  );
}
