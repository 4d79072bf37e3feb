import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compiledStatements } from '../storage/compiledStatements.js';
import { applySynchronous, currentSynchronous, type SqliteSynchronous } from '../storage/sqliteSynchronous.js';
import type { MetaChannel } from '../../shared/schemas/channels.js';
import type { ChannelConnectionRecord, ChannelStore, OutboundJob } from './channelStore.js';
import { channelSql, connectionValues, jobValues, savedJobValues, toConnection, toJob, toJobCounts, type ConnectionRow, type JobRow } from './channelSql.js';

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

/**
 * Channel state in its own SQLite file (channels.db): it never shares a connection or a lock with
 * the log's relay.db, so a webhook's log transaction cannot wait behind an outbound update.
 */
export class SqliteChannelStore implements ChannelStore {
  readonly kind = 'sqlite';
  readonly #database: Database.Database;

  constructor(dataDirectory: string, options: { synchronous?: SqliteSynchronous } = {}) {
    mkdirSync(dataDirectory, { recursive: true });
    this.#database = new Database(join(dataDirectory, 'channels.db'));
    this.#prepare = compiledStatements(this.#database);
    this.#database.pragma('journal_mode = WAL');
    applySynchronous(this.#database, options.synchronous ?? 'full');
    this.#database.pragma('busy_timeout = 5000');
    this.#database.exec(channelSchemaSql);
  }

  readonly #prepare: (sql: string) => Database.Statement;

  /** How commits reach the disk on this connection (see `RELAY_SQLITE_SYNCHRONOUS`). */
  synchronous(): SqliteSynchronous | 'other' {
    return currentSynchronous(this.#database);
  }

  async close(): Promise<void> {
    this.#database.close();
  }

  async connection(tenantId: string, channel: MetaChannel) {
    const row = this.#prepare(channelSql.connection).get(tenantId, channel) as ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  async connectionById(connectionId: string) {
    const row = this.#prepare(channelSql.connectionById).get(connectionId) as ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  async connections(tenantId: string) {
    return (this.#prepare(channelSql.connections).all(tenantId) as ConnectionRow[]).map(toConnection);
  }

  async saveConnection(record: ChannelConnectionRecord) {
    this.#prepare(channelSql.saveConnection).run(...connectionValues(record));
  }

  async removeConnection(tenantId: string, channel: MetaChannel) {
    this.#prepare(channelSql.removeConnection).run(tenantId, channel);
  }

  async recordWebhook(connectionId: string, at: number, accepted: boolean, count = 1) {
    if (accepted) {
      this
        .#prepare('update channel_connections set last_webhook_at = max(coalesce(last_webhook_at, 0), ?), webhook_count = webhook_count + ? where connection_id = ?')
        .run(at, count, connectionId);
    } else this.#prepare(channelSql.rejectedWebhooks).run(count, connectionId);
  }

  async tenantsWithConnections() {
    return (this.#prepare(channelSql.tenantsWithConnections).all() as { tenant_id: string }[]).map((row) => row.tenant_id);
  }

  async enqueue(job: OutboundJob) {
    return this.#prepare(channelSql.enqueue).run(...jobValues(job)).changes > 0;
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
    this.#prepare(channelSql.saveJob).run(...savedJobValues(job));
  }

  async jobByMessageId(tenantId: string, messageId: string) {
    const row = this.#prepare(channelSql.jobByMessageId).get(tenantId, messageId) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async jobByPlatformMessageId(tenantId: string, channel: MetaChannel, platformMessageId: string) {
    const row = this.#prepare(channelSql.jobByPlatformMessageId).get(tenantId, channel, platformMessageId) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async jobs(tenantId: string, limit: number) {
    return (this.#prepare(channelSql.jobs).all(tenantId, limit) as JobRow[]).map(toJob);
  }

  async sentJobsUntil(tenantId: string, conversationId: string, until: number) {
    return (this.#prepare(channelSql.sentJobsUntil).all(tenantId, conversationId, until) as JobRow[]).map(toJob);
  }

  async jobCounts(tenantId: string, channel: MetaChannel) {
    return toJobCounts(this.#prepare(channelSql.jobCounts).all(tenantId, channel) as { status: string; count: number }[]);
  }

  async recordInbound(tenantId: string, conversationId: string, at: number) {
    this
      .#prepare(
        'insert into channel_windows (tenant_id, conversation_id, last_inbound_at) values (?, ?, ?) on conflict (tenant_id, conversation_id) do update set last_inbound_at = max(last_inbound_at, excluded.last_inbound_at)',
      )
      .run(tenantId, conversationId, at);
  }

  async lastInbound(tenantId: string, conversationId: string) {
    const row = this.#prepare(channelSql.lastInbound).get(tenantId, conversationId) as { at: number } | undefined;
    return row ? row.at : null;
  }

  async dispatchCursor(tenantId: string) {
    return (this.#prepare(channelSql.dispatchCursor).get(tenantId) as { epoch: string; seq: number } | undefined) ?? null;
  }

  async setDispatchCursor(tenantId: string, cursor: { epoch: string; seq: number }) {
    this
      .#prepare('insert into channel_dispatch_cursors (tenant_id, epoch, seq) values (?, ?, ?) on conflict (tenant_id) do update set epoch = excluded.epoch, seq = excluded.seq')
      .run(tenantId, cursor.epoch, cursor.seq);
  }
}
