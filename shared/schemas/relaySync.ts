import { z } from 'zod';
import { emailSchema, personNameSchema, relayPasswordSchema } from './relayAccounts.js';
import { conversationIdSchema, cursorSchema, messageTextSchema } from './sync.js';

/** The desktop API for the relay connection and the inbox (tRPC inputs and outputs). */

export const relayUrlSchema = z.string().trim().min(1, 'Enter the relay address.').max(2000);

export const connectRelayInput = z.object({
  relayUrl: relayUrlSchema,
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.').max(1024),
  deviceName: z.string().trim().min(1).max(120).optional(),
});

export const registerRelayInput = z.object({
  relayUrl: relayUrlSchema,
  businessName: personNameSchema,
  ownerName: personNameSchema,
  email: emailSchema,
  password: relayPasswordSchema,
  deviceName: z.string().trim().min(1).max(120).optional(),
});

export const syncStatusSchema = z.object({
  /**
   * Sync stopped for good (disconnect, then sign in again): accountClosed, the relay closed this
   * business account; signedOut, the relay no longer accepts this device (revoked, or its person removed).
   */
  state: z.enum(['offline', 'syncing', 'online', 'accountClosed', 'signedOut']),
  pendingOutbox: z.number(),
  lastSyncedAt: z.number().nullable(),
  cursor: cursorSchema.nullable(),
  lastError: z.string().nullable(),
  /**
   * While this desktop pulls a backlog larger than one page (after days offline, or a resync): how
   * many events the relay held for it when the catch-up began, and how many are still to apply.
   */
  catchUp: z.object({ total: z.number(), remaining: z.number() }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * `revision` grows with every change of the status. A screen gets statuses over two paths (the
 * answer to connect/sync-now over HTTP, the live stream over a WebSocket) that can overtake each
 * other; it keeps the one with the highest revision (newerRelayStatus), never a late older answer.
 */
export const relayStatusSchema = z.discriminatedUnion('connected', [
  z.object({ connected: z.literal(false), pendingOutbox: z.number(), revision: z.number() }),
  z.object({
    connected: z.literal(true),
    revision: z.number(),
    relayUrl: z.string(),
    tenantName: z.string(),
    operatorName: z.string(),
    role: z.string(),
    widgetSnippet: z.string(),
    sync: syncStatusSchema,
  }),
]);
export type RelayStatus = z.infer<typeof relayStatusSchema>;

/** The status to show when `next` arrives while `current` is shown: an older revision never replaces a newer one. */
export function newerRelayStatus(current: RelayStatus | undefined, next: RelayStatus): RelayStatus {
  return current && current.revision > next.revision ? current : next;
}

export const conversationInput = z.object({ conversationId: conversationIdSchema });
export const replyInput = z.object({ conversationId: conversationIdSchema, text: messageTextSchema });
