import type { MetaChannel } from '../../shared/schemas/channels.js';

/**
 * What the WhatsApp and Messenger channels keep besides the log: connections (secrets sealed),
 * webhook counters, the outbound queue, customer-service windows and the dispatcher's position in
 * each tenant's log. SQLite (its own file beside relay.db) and PostgreSQL implement it.
 */

export interface ChannelConnectionRecord {
  tenantId: string;
  channel: MetaChannel;
  /** Unguessable id in the callback URL: it picks the tenant before the signature is checked. */
  connectionId: string;
  verifyToken: string;
  settings: Record<string, unknown>;
  /** AES-256-GCM sealed JSON of `{ accessToken, appSecret }` (see SecretBox). */
  sealedSecrets: string;
  createdAt: number;
  updatedAt: number;
  lastWebhookAt: number | null;
  webhookCount: number;
  rejectedCount: number;
}

export type OutboundStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboundJob {
  jobId: string;
  tenantId: string;
  channel: MetaChannel;
  conversationId: string;
  /** The log event that asked for the send (unique: a redispatched event enqueues nothing). */
  eventId: string;
  /** The id of the reply message in the log (what statuses and failures point at). */
  messageId: string;
  /** Only human staff replies may use Messenger's HUMAN_AGENT tag. */
  authorKind: 'staff' | 'ai' | 'auto';
  payload: { kind: 'text'; text: string } | { kind: 'template'; name: string; language: string; parameters: string[] };
  status: OutboundStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  platformMessageId: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

export interface ChannelStore {
  readonly kind: string;
  close(): Promise<void>;

  connection(tenantId: string, channel: MetaChannel): Promise<ChannelConnectionRecord | null>;
  connectionById(connectionId: string): Promise<ChannelConnectionRecord | null>;
  connections(tenantId: string): Promise<ChannelConnectionRecord[]>;
  saveConnection(record: ChannelConnectionRecord): Promise<void>;
  removeConnection(tenantId: string, channel: MetaChannel): Promise<void>;
  /** Counts `count` (default 1) webhooks of a connection, accepted or rejected. */
  recordWebhook(connectionId: string, at: number, accepted: boolean, count?: number): Promise<void>;
  tenantsWithConnections(): Promise<string[]>;

  /** False when a job for `job.eventId` exists already. */
  enqueue(job: OutboundJob): Promise<boolean>;
  /** Takes due jobs for sending; a job whose worker died is taken again once `leaseMilliseconds` passed. */
  claimDueJobs(now: number, limit: number, leaseMilliseconds: number): Promise<OutboundJob[]>;
  saveJob(job: OutboundJob): Promise<void>;
  jobByMessageId(tenantId: string, messageId: string): Promise<OutboundJob | null>;
  jobByPlatformMessageId(tenantId: string, channel: MetaChannel, platformMessageId: string): Promise<OutboundJob | null>;
  jobs(tenantId: string, limit: number): Promise<OutboundJob[]>;
  sentJobsUntil(tenantId: string, conversationId: string, until: number): Promise<OutboundJob[]>;
  jobCounts(tenantId: string, channel: MetaChannel): Promise<{ queued: number; failed: number; sent: number }>;

  /** Keeps the latest customer message time per conversation (the 24-hour window); never moves back. */
  recordInbound(tenantId: string, conversationId: string, at: number): Promise<void>;
  lastInbound(tenantId: string, conversationId: string): Promise<number | null>;

  dispatchCursor(tenantId: string): Promise<{ epoch: string; seq: number } | null>;
  setDispatchCursor(tenantId: string, cursor: { epoch: string; seq: number }): Promise<void>;
}
