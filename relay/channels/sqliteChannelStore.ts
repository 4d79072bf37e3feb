import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MetaChannel } from '../../shared/schemas/channels.js';
import type { ChannelConnectionRecord, ChannelStore, OutboundJob } from './channelStore.js';

export const channelSchemaSql = `
  create table if not exists channel_connections (
    tenant_id text not null,
    channel text not null,
    connection_id text not null unique,
    verify_token text not null,
    settings text not null,
    sealed_secrets text not null,
    created_at bigint not null,
    updated_at bigint not null,
    last_webhook_at bigint,
    webhook_count bigint not null default 0,
    rejected_count bigint not null default 0,
    primary key (tenant_id, channel)
  );
  create table if not exists channel_outbound (
    job_id text primary key,
    tenant_id text not null,
    channel text not null,
    conversation_id text not null,
    event_id text not null,
    message_id text not null,
    author_kind text not null,
    payload text not null,
    status text not null,
    attempts integer not null,
    next_attempt_at bigint not null,
    last_error text,
    platform_message_id text,
    created_at bigint not null,
    updated_at bigint not null,
    sent_at bigint,
    unique (tenant_id, event_id)
  );
  create index if not exists channel_outbound_due on channel_outbound (status, next_attempt_at);
  create index if not exists channel_outbound_message on channel_outbound (tenant_id, message_id);
  create index if not exists channel_outbound_platform on channel_outbound (tenant_id, channel, platform_message_id);
  create table if not exists channel_windows (
    tenant_id text not null,
    conversation_id text not null,
    last_inbound_at bigint not null,
    primary key (tenant_id, conversation_id)
  );
  create table if not exists channel_dispatch_cursors (
    tenant_id text primary key,
    epoch text not null,
    seq bigint not null
  );
`;

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

/**
 * Channel state in its own SQLite file (channels.db): it never shares a connection or a lock with
 * the log's relay.db, so a webhook's log transaction cannot wait behind an outbound update.
 */
export class SqliteChannelStore implements ChannelStore {
  readonly kind = 'sqlite';
  readonly #database: Database.Database;

  constructor(dataDirectory: string) {
    mkdirSync(dataDirectory, { recursive: true });
    this.#database = new Database(join(dataDirectory, 'channels.db'));
    this.#database.pragma('journal_mode = WAL');
    this.#database.pragma('synchronous = NORMAL');
    this.#database.pragma('busy_timeout = 5000');
    this.#database.exec(channelSchemaSql);
  }

  readonly #compiled = new Map<string, Database.Statement>();

  /** Compiled once per SQL text (every webhook runs the same few statements). */
  #prepare(sql: string): Database.Statement {
    let statement = this.#compiled.get(sql);
    if (!statement) {
      statement = this.#database.prepare(sql);
      this.#compiled.set(sql, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    this.#database.close();
  }

  async connection(tenantId: string, channel: MetaChannel) {
    const row = this.#prepare('select * from channel_connections where tenant_id = ? and channel = ?').get(tenantId, channel) as ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  async connectionById(connectionId: string) {
    const row = this.#prepare('select * from channel_connections where connection_id = ?').get(connectionId) as ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  async connections(tenantId: string) {
    return (this.#prepare('select * from channel_connections where tenant_id = ? order by channel').all(tenantId) as ConnectionRow[]).map(toConnection);
  }

  async saveConnection(record: ChannelConnectionRecord) {
    this
      .#prepare(
        `insert into channel_connections (tenant_id, channel, connection_id, verify_token, settings, sealed_secrets, created_at, updated_at, last_webhook_at, webhook_count, rejected_count)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (tenant_id, channel) do update set settings = excluded.settings, sealed_secrets = excluded.sealed_secrets, updated_at = excluded.updated_at`,
      )
      .run(
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
      );
  }

  async removeConnection(tenantId: string, channel: MetaChannel) {
    this.#prepare('delete from channel_connections where tenant_id = ? and channel = ?').run(tenantId, channel);
  }

  async recordWebhook(connectionId: string, at: number, accepted: boolean, count = 1) {
    if (accepted) {
      this
        .#prepare('update channel_connections set last_webhook_at = max(coalesce(last_webhook_at, 0), ?), webhook_count = webhook_count + ? where connection_id = ?')
        .run(at, count, connectionId);
    } else this.#prepare('update channel_connections set rejected_count = rejected_count + ? where connection_id = ?').run(count, connectionId);
  }

  async tenantsWithConnections() {
    return (this.#prepare('select distinct tenant_id as tenantId from channel_connections').all() as { tenantId: string }[]).map((row) => row.tenantId);
  }

  async enqueue(job: OutboundJob) {
    const placeholders = jobValues(job).map(() => '?').join(', ');
    return this.#prepare(`insert into channel_outbound (${jobColumns}) values (${placeholders}) on conflict do nothing`).run(...jobValues(job)).changes > 0;
  }

  async claimDueJobs(now: number, limit: number, leaseMilliseconds: number) {
    return this.#database.transaction(() => {
      const rows = this
        .#prepare(
          "select * from channel_outbound where (status = 'queued' and next_attempt_at <= ?) or (status = 'sending' and next_attempt_at <= ?) order by next_attempt_at limit ?",
        )
        .all(now, now, limit) as JobRow[];
      const claim = this.#prepare("update channel_outbound set status = 'sending', next_attempt_at = ?, updated_at = ? where job_id = ?");
      for (const row of rows) claim.run(now + leaseMilliseconds, now, row.job_id);
      return rows.map((row) => ({ ...toJob(row), status: 'sending' as const, nextAttemptAt: now + leaseMilliseconds }));
    })();
  }

  async saveJob(job: OutboundJob) {
    this
      .#prepare(
        'update channel_outbound set status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, platform_message_id = ?, updated_at = ?, sent_at = ?, payload = ? where job_id = ?',
      )
      .run(job.status, job.attempts, job.nextAttemptAt, job.lastError, job.platformMessageId, job.updatedAt, job.sentAt, JSON.stringify(job.payload), job.jobId);
  }

  async jobByMessageId(tenantId: string, messageId: string) {
    const row = this.#prepare('select * from channel_outbound where tenant_id = ? and message_id = ?').get(tenantId, messageId) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async jobByPlatformMessageId(tenantId: string, channel: MetaChannel, platformMessageId: string) {
    const row = this
      .#prepare('select * from channel_outbound where tenant_id = ? and channel = ? and platform_message_id = ?')
      .get(tenantId, channel, platformMessageId) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async jobs(tenantId: string, limit: number) {
    return (this.#prepare('select * from channel_outbound where tenant_id = ? order by created_at desc limit ?').all(tenantId, limit) as JobRow[]).map(toJob);
  }

  async sentJobsUntil(tenantId: string, conversationId: string, until: number) {
    return (
      this
        .#prepare("select * from channel_outbound where tenant_id = ? and conversation_id = ? and status = 'sent' and sent_at <= ? and platform_message_id is not null")
        .all(tenantId, conversationId, until) as JobRow[]
    ).map(toJob);
  }

  async jobCounts(tenantId: string, channel: MetaChannel) {
    const rows = this
      .#prepare('select status, count(*) as count from channel_outbound where tenant_id = ? and channel = ? group by status')
      .all(tenantId, channel) as { status: string; count: number }[];
    const count = (status: string) => rows.filter((row) => row.status === status).reduce((sum, row) => sum + row.count, 0);
    return { queued: count('queued') + count('sending'), failed: count('failed'), sent: count('sent') };
  }

  async recordInbound(tenantId: string, conversationId: string, at: number) {
    this
      .#prepare(
        'insert into channel_windows (tenant_id, conversation_id, last_inbound_at) values (?, ?, ?) on conflict (tenant_id, conversation_id) do update set last_inbound_at = max(last_inbound_at, excluded.last_inbound_at)',
      )
      .run(tenantId, conversationId, at);
  }

  async lastInbound(tenantId: string, conversationId: string) {
    const row = this.#prepare('select last_inbound_at as at from channel_windows where tenant_id = ? and conversation_id = ?').get(tenantId, conversationId) as
      | { at: number }
      | undefined;
    return row ? row.at : null;
  }

  async dispatchCursor(tenantId: string) {
    const row = this.#prepare('select epoch, seq from channel_dispatch_cursors where tenant_id = ?').get(tenantId) as { epoch: string; seq: number } | undefined;
    return row ?? null;
  }

  async setDispatchCursor(tenantId: string, cursor: { epoch: string; seq: number }) {
    this
      .#prepare('insert into channel_dispatch_cursors (tenant_id, epoch, seq) values (?, ?, ?) on conflict (tenant_id) do update set epoch = excluded.epoch, seq = excluded.seq')
      .run(tenantId, cursor.epoch, cursor.seq);
  }
}
