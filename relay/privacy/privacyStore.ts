import { createHash } from 'node:crypto';
import type { RelayAuditEntry, RelayRetentionResult, RelayRetentionRules } from '../../shared/schemas/relayPrivacy.js';

/**
 * The erasure event names conversations by this keyed hash, never by id (a WhatsApp conversation id
 * holds the customer's phone number). The desktop computes the same value (electron/portability).
 */
export function erasureConversationKey(erasureId: string, conversationId: string): string {
  return createHash('sha256').update(`${erasureId}\u0000${conversationId}`).digest('hex').slice(0, 32);
}

export interface ClosureRecord {
  requestedAt: number;
  deleteAt: number;
  requestedBy: string;
}

export interface RemovalCounts {
  conversations: number;
  events: number;
  visitors: number;
  outbound: number;
}

export interface ErasureRequest {
  erasureId: string;
  /** The seq of the `customer.erased` event: earlier events of the conversations lose their content. */
  seq: number;
  conversationIds: string[];
  at: number;
}

export interface PendingErasure {
  seq: number;
  erasureId: string;
  conversationKeys: string[];
}

/**
 * What the relay's privacy jobs need from its databases, beside `RelayStorage`. SQLite opens its
 * own connections to relay.db and channels.db (the other connections wait on SQLite's lock);
 * PostgreSQL shares the relay's pool. Content is never deleted by removing log rows in the middle:
 * an event keeps its seq and id, and its conversation and body become a tombstone.
 */
export interface RelayPrivacyStore {
  tenantIds(): Promise<string[]>;
  conversationIds(tenantId: string): Promise<string[]>;

  retentionRules(tenantId: string): Promise<RelayRetentionRules | null>;
  setRetentionRules(tenantId: string, rules: RelayRetentionRules, at: number): Promise<void>;
  lastRetentionRun(tenantId: string): Promise<RelayRetentionResult | null>;
  recordRetentionRun(tenantId: string, result: RelayRetentionResult): Promise<void>;

  /** `customer.erased` events the relay has not applied yet (after a crash between commit and erasure). */
  pendingErasures(tenantId: string): Promise<PendingErasure[]>;
  /** Tombstones the conversations' earlier events, deletes their state, visitors and channel rows; records the erasure. */
  eraseConversations(tenantId: string, request: ErasureRequest): Promise<RemovalCounts>;
  /** Tombstones every event of the conversations and deletes everything else about them (retention). */
  deleteConversations(tenantId: string, conversationIds: string[]): Promise<RemovalCounts>;
  /** Conversations whose last event was accepted before `before` (their own events, not tombstones). */
  conversationsInactiveSince(tenantId: string, before: number): Promise<string[]>;
  /** Highest seq that every signed-in device collected, the channel dispatcher passed, and is older than `before`. */
  collectedThrough(tenantId: string, before: number): Promise<number>;
  /** Deletes the log's prefix through `seq` and records it (like RelayStorage.pruneThrough); returns the events deleted. */
  pruneThrough(tenantId: string, seq: number): Promise<number>;
  /**
   * Rewrites the events accepted before `before` that still hold attachment details (see
   * shared/privacy/attachmentRetention.ts), and a conversation preview quoting them; returns how many.
   */
  removeAttachmentDetails(tenantId: string, before: number): Promise<number>;
  /** Removes account-notice rows from the conversation fold (they are not conversations). */
  forgetConversation(tenantId: string, conversationId: string): Promise<void>;

  closure(tenantId: string): Promise<ClosureRecord | null>;
  scheduleClosure(tenantId: string, closure: ClosureRecord): Promise<void>;
  cancelClosure(tenantId: string): Promise<boolean>;
  dueClosures(now: number): Promise<string[]>;
  /** Deletes everything of the tenant; keeps only its device token hashes (to answer "closed") and the audit. */
  deleteTenant(tenantId: string, at: number): Promise<{ events: number; conversations: number; devices: number }>;
  closedDevice(tokenHash: string): Promise<{ tenantId: string; closedAt: number } | null>;

  audit(tenantId: string, entry: RelayAuditEntry): Promise<void>;
  auditEntries(tenantId: string, limit: number): Promise<RelayAuditEntry[]>;

  close(): Promise<void>;
}
