import { AresError } from '../../shared/errors.js';
import type { ConversationEvent, LeaseState, LoggedEvent } from '../../shared/schemas/sync.js';
import type { ConversationState } from '../../shared/sync/conversationState.js';
import type { OperatorRole } from '../../shared/schemas/relayAccounts.js';

/**
 * Everything the relay keeps, behind one interface so PostgreSQL can replace SQLite without the
 * sync, account or channel code noticing. Every method that reads tenant data takes the tenant id
 * of the authenticated caller; nothing looks a row up by its own id alone.
 */

export interface TenantRecord {
  tenantId: string;
  name: string;
  widgetKey: string;
  autoReplyAfterSeconds: number | null;
  autoReplyText: string;
  createdAt: number;
}

export interface OperatorRecord {
  operatorId: string;
  tenantId: string;
  email: string;
  name: string;
  role: OperatorRole;
  /** Null while the invitation has not been accepted. */
  passwordHash: string | null;
  inviteCodeHash: string | null;
  inviteExpiresAt: number | null;
  createdAt: number;
}

export interface DeviceRecord {
  deviceId: string;
  tenantId: string;
  operatorId: string;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
  /** The highest seq this device said it applied: "collected" for the automatic reply. */
  collectedSeq: number;
}

export interface VisitorRecord {
  visitorId: string;
  tenantId: string;
  conversationId: string;
  createdAt: number;
}

export interface LogHead {
  epoch: string;
  headSeq: number;
  /** Events at or below this seq are no longer kept; a cursor below it needs a full resync. */
  prunedThroughSeq: number;
}

export interface AutoReplyCandidate {
  tenantId: string;
  conversationId: string;
  autoReplyText: string;
}

/**
 * One tenant's log inside one transaction. The head row is the per-tenant counter: it is read and
 * written in the same transaction as the events, so commit order equals seq order.
 */
export interface LogTransaction {
  head(): Promise<LogHead>;
  lastMutationId(clientId: string): Promise<number | null>;
  setLastMutationId(clientId: string, deviceId: string, mutationId: number): Promise<void>;
  hasEvent(eventId: string): Promise<boolean>;
  conversation(conversationId: string): Promise<ConversationState | null>;
  insertEvent(event: LoggedEvent): Promise<void>;
  setHeadSeq(seq: number): Promise<void>;
  saveConversation(state: ConversationState): Promise<void>;
  /** Records an inbound channel message; false when `(channel, externalId)` was seen before. */
  claimChannelMessage(channel: string, externalId: string): Promise<boolean>;
}

export interface RelayStorage {
  readonly kind: string;
  health(): Promise<boolean>;
  close(): Promise<void>;

  createTenant(tenant: TenantRecord, owner: OperatorRecord, epoch: string): Promise<void>;
  tenant(tenantId: string): Promise<TenantRecord | null>;
  tenantByWidgetKey(widgetKey: string): Promise<TenantRecord | null>;
  updateTenantSettings(tenantId: string, settings: { autoReplyAfterSeconds: number | null; autoReplyText: string }): Promise<void>;

  operatorByEmail(email: string): Promise<OperatorRecord | null>;
  operator(tenantId: string, operatorId: string): Promise<OperatorRecord | null>;
  operators(tenantId: string): Promise<OperatorRecord[]>;
  createOperator(operator: OperatorRecord): Promise<void>;
  operatorByInviteCodeHash(inviteCodeHash: string): Promise<OperatorRecord | null>;
  acceptInvitation(tenantId: string, operatorId: string, name: string, passwordHash: string): Promise<void>;
  /** Marks the operator removed and revokes their devices in one transaction; throws {@link lastOwnerError} for the last owner. */
  removeOperator(tenantId: string, operatorId: string, at: number): Promise<boolean>;

  createDevice(device: DeviceRecord, tokenHash: string): Promise<void>;
  deviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null>;
  devices(tenantId: string): Promise<DeviceRecord[]>;
  revokeDevice(tenantId: string, deviceId: string, at: number): Promise<boolean>;
  touchDevice(tenantId: string, deviceId: string, at: number): Promise<void>;
  recordCollected(tenantId: string, deviceId: string, seq: number): Promise<void>;

  createVisitor(visitor: VisitorRecord, tokenHash: string): Promise<void>;
  visitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null>;

  head(tenantId: string): Promise<LogHead>;
  readLog(tenantId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]>;
  readConversationLog(tenantId: string, conversationId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]>;
  conversations(tenantId: string): Promise<ConversationState[]>;
  transaction<T>(tenantId: string, work: (transaction: LogTransaction) => Promise<T>): Promise<T>;
  /** Conversations whose oldest unanswered customer message is older than the tenant's delay and not collected by any device. */
  autoReplyCandidates(now: number, limit: number): Promise<AutoReplyCandidate[]>;
  /** Starts a new epoch with an empty log (a restored or reset relay); every desktop then resyncs. */
  resetLog(tenantId: string, epoch: string): Promise<void>;
  pruneThrough(tenantId: string, seq: number): Promise<void>;

  acquireLease(tenantId: string, deviceId: string, now: number, ttlMilliseconds: number): Promise<LeaseState>;
  releaseLease(tenantId: string, deviceId: string): Promise<void>;
  lease(tenantId: string, now: number): Promise<LeaseState>;
}

export type { ConversationEvent };

/** Checked inside the removal's transaction, so two owners removing each other cannot leave a business without an owner. */
export const lastOwnerError = () => new AresError('FORBIDDEN', 'The business needs at least one owner: invite another owner before removing this one.');
