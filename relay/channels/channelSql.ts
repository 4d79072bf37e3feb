import type { MetaChannel } from '../../shared/schemas/channels.js';
import type { ChannelConnectionRecord, OutboundJob } from './channelStore.js';

/**
 * What the SQLite and PostgreSQL channel stores share: the row shapes and their mapping, and every
 * statement that reads the same in both dialects, written once with `?` placeholders (PostgreSQL
 * gets them numbered by {@link numberedParameters}). The few that differ (`max` against `greatest`,
 * claiming jobs with `for update skip locked`) stay in each store.
 */

export interface ConnectionRow {
  tenant_id: string;
  channel: string;
  connection_id: string;
  verify_token: string;
  settings: string;
  sealed_secrets: string;
  created_at: number | string;
  updated_at: number | string;
  last_webhook_at: number | string | null;
  webhook_count: number | string;
  rejected_count: number | string;
}

export interface JobRow {
  job_id: string;
  tenant_id: string;
  channel: string;
  conversation_id: string;
  event_id: string;
  message_id: string;
  author_kind: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number | string;
  last_error: string | null;
  platform_message_id: string | null;
  created_at: number | string;
  updated_at: number | string;
  sent_at: number | string | null;
}

const numberOrNull = (value: number | string | null) => (value === null ? null : Number(value));

export const toConnection = (row: ConnectionRow): ChannelConnectionRecord => ({
  tenantId: row.tenant_id,
  channel: row.channel as MetaChannel,
  connectionId: row.connection_id,
  verifyToken: row.verify_token,
  settings: JSON.parse(row.settings) as Record<string, unknown>,
  sealedSecrets: row.sealed_secrets,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  lastWebhookAt: numberOrNull(row.last_webhook_at),
  webhookCount: Number(row.webhook_count),
  rejectedCount: Number(row.rejected_count),
});

export const toJob = (row: JobRow): OutboundJob => ({
  jobId: row.job_id,
  tenantId: row.tenant_id,
  channel: row.channel as MetaChannel,
  conversationId: row.conversation_id,
  eventId: row.event_id,
  messageId: row.message_id,
  authorKind: row.author_kind as OutboundJob['authorKind'],
  payload: JSON.parse(row.payload) as OutboundJob['payload'],
  status: row.status as OutboundJob['status'],
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  lastError: row.last_error,
  platformMessageId: row.platform_message_id,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  sentAt: numberOrNull(row.sent_at),
});

export const jobValues = (job: OutboundJob) => [
  job.jobId,
  job.tenantId,
  job.channel,
  job.conversationId,
  job.eventId,
  job.messageId,
  job.authorKind,
  JSON.stringify(job.payload),
  job.status,
  job.attempts,
  job.nextAttemptAt,
  job.lastError,
  job.platformMessageId,
  job.createdAt,
  job.updatedAt,
  job.sentAt,
];

export const jobColumns =
  'job_id, tenant_id, channel, conversation_id, event_id, message_id, author_kind, payload, status, attempts, next_attempt_at, last_error, platform_message_id, created_at, updated_at, sent_at';

export const channelSql = {
  connection: 'select * from channel_connections where tenant_id = ? and channel = ?',
  connectionById: 'select * from channel_connections where connection_id = ?',
  connections: 'select * from channel_connections where tenant_id = ? order by channel',
  saveConnection: `insert into channel_connections (tenant_id, channel, connection_id, verify_token, settings, sealed_secrets, created_at, updated_at, last_webhook_at, webhook_count, rejected_count)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (tenant_id, channel) do update set settings = excluded.settings, sealed_secrets = excluded.sealed_secrets, updated_at = excluded.updated_at`,
  removeConnection: 'delete from channel_connections where tenant_id = ? and channel = ?',
  rejectedWebhooks: 'update channel_connections set rejected_count = rejected_count + ? where connection_id = ?',
  tenantsWithConnections: 'select distinct tenant_id from channel_connections',
  enqueue: `insert into channel_outbound (${jobColumns}) values (${jobColumns.split(',').map(() => '?').join(', ')}) on conflict do nothing`,
  saveJob: 'update channel_outbound set status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, platform_message_id = ?, updated_at = ?, sent_at = ?, payload = ? where job_id = ?',
  jobByMessageId: 'select * from channel_outbound where tenant_id = ? and message_id = ?',
  jobByPlatformMessageId: 'select * from channel_outbound where tenant_id = ? and channel = ? and platform_message_id = ?',
  jobs: 'select * from channel_outbound where tenant_id = ? order by created_at desc limit ?',
  sentJobsUntil: "select * from channel_outbound where tenant_id = ? and conversation_id = ? and status = 'sent' and sent_at <= ? and platform_message_id is not null",
  jobCounts: 'select status, count(*) as count from channel_outbound where tenant_id = ? and channel = ? group by status',
  lastInbound: 'select last_inbound_at as at from channel_windows where tenant_id = ? and conversation_id = ?',
  dispatchCursor: 'select epoch, seq from channel_dispatch_cursors where tenant_id = ?',
} as const;

/** `?` placeholders as PostgreSQL's `$1, $2, …` (none of the statements has a `?` inside a literal). */
export function numberedParameters<T extends Record<string, string>>(statements: T): T {
  return Object.fromEntries(Object.entries(statements).map(([name, sql]) => [name, sql.split('?').reduce((numbered, part, index) => `${numbered}$${index}${part}`)])) as T;
}

export const connectionValues = (record: ChannelConnectionRecord) => [
  record.tenantId,
  record.channel,
  record.connectionId,
  record.verifyToken,
  JSON.stringify(record.settings),
  record.sealedSecrets,
  record.createdAt,
  record.updatedAt,
  record.lastWebhookAt,
  record.webhookCount,
  record.rejectedCount,
];

export const savedJobValues = (job: OutboundJob) => [job.status, job.attempts, job.nextAttemptAt, job.lastError, job.platformMessageId, job.updatedAt, job.sentAt, JSON.stringify(job.payload), job.jobId];

/** Counts come back as numbers from SQLite and as strings (bigint) from PostgreSQL. */
export function toJobCounts(rows: { status: string; count: number | string }[]): { queued: number; failed: number; sent: number } {
  const count = (status: string) => rows.filter((row) => row.status === status).reduce((sum, row) => sum + Number(row.count), 0);
  return { queued: count('queued') + count('sending'), failed: count('failed'), sent: count('sent') };
}
