import type pg from 'pg';
import type { MetaChannel } from '../../shared/schemas/channels.js';
import type { ChannelConnectionRecord, ChannelStore, OutboundJob } from './channelStore.js';
import { jobColumns, jobValues, toConnection, toJob, type ConnectionRow, type JobRow } from './sqliteChannelStore.js';

/** Channel state on PostgreSQL, shared by every relay instance; jobs are claimed with `for update skip locked`. */
export class PostgresChannelStore implements ChannelStore {
  readonly kind = 'postgres';

  constructor(private readonly pool: pg.Pool) {}

  async close(): Promise<void> {
    // The pool belongs to the relay storage, which closes it.
  }

  async #rows<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, values)).rows as T[];
  }

  async connection(tenantId: string, channel: MetaChannel) {
    const [row] = await this.#rows<ConnectionRow>('select * from channel_connections where tenant_id = $1 and channel = $2', [tenantId, channel]);
    return row ? toConnection(row) : null;
  }

  async connectionById(connectionId: string) {
    const [row] = await this.#rows<ConnectionRow>('select * from channel_connections where connection_id = $1', [connectionId]);
    return row ? toConnection(row) : null;
  }

  async connections(tenantId: string) {
    return (await this.#rows<ConnectionRow>('select * from channel_connections where tenant_id = $1 order by channel', [tenantId])).map(toConnection);
  }

  async saveConnection(record: ChannelConnectionRecord) {
    await this.pool.query(
      `insert into channel_connections (tenant_id, channel, connection_id, verify_token, settings, sealed_secrets, created_at, updated_at, last_webhook_at, webhook_count, rejected_count)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (tenant_id, channel) do update set settings = excluded.settings, sealed_secrets = excluded.sealed_secrets, updated_at = excluded.updated_at`,
      [
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
      ],
    );
  }

  async removeConnection(tenantId: string, channel: MetaChannel) {
    await this.pool.query('delete from channel_connections where tenant_id = $1 and channel = $2', [tenantId, channel]);
  }

  async recordWebhook(connectionId: string, at: number, accepted: boolean, count = 1) {
    if (accepted) {
      await this.pool.query(
        'update channel_connections set last_webhook_at = greatest(coalesce(last_webhook_at, 0), $1), webhook_count = webhook_count + $2 where connection_id = $3',
        [at, count, connectionId],
      );
    } else await this.pool.query('update channel_connections set rejected_count = rejected_count + $1 where connection_id = $2', [count, connectionId]);
  }

  async tenantsWithConnections() {
    return (await this.#rows<{ tenant_id: string }>('select distinct tenant_id from channel_connections')).map((row) => row.tenant_id);
  }

  async enqueue(job: OutboundJob) {
    const values = jobValues(job);
    const result = await this.pool.query(`insert into channel_outbound (${jobColumns}) values (${values.map((_, index) => `$${index + 1}`).join(', ')}) on conflict do nothing`, values);
    return (result.rowCount ?? 0) > 0;
  }

  async claimDueJobs(now: number, limit: number, leaseMilliseconds: number) {
    // Two instances never take the same job: the rows are locked and skipped by the other.
    const rows = await this.#rows<JobRow>(
      `update channel_outbound set status = 'sending', next_attempt_at = $2, updated_at = $1
       where job_id in (
         select job_id from channel_outbound
         where status in ('queued', 'sending') and next_attempt_at <= $1
         order by next_attempt_at limit $3 for update skip locked)
       returning *`,
      [now, now + leaseMilliseconds, limit],
    );
    return rows.map(toJob);
  }

  async saveJob(job: OutboundJob) {
    await this.pool.query(
      'update channel_outbound set status = $1, attempts = $2, next_attempt_at = $3, last_error = $4, platform_message_id = $5, updated_at = $6, sent_at = $7, payload = $8 where job_id = $9',
      [job.status, job.attempts, job.nextAttemptAt, job.lastError, job.platformMessageId, job.updatedAt, job.sentAt, JSON.stringify(job.payload), job.jobId],
    );
  }

  async jobByMessageId(tenantId: string, messageId: string) {
    const [row] = await this.#rows<JobRow>('select * from channel_outbound where tenant_id = $1 and message_id = $2', [tenantId, messageId]);
    return row ? toJob(row) : null;
  }

  async jobByPlatformMessageId(tenantId: string, channel: MetaChannel, platformMessageId: string) {
    const [row] = await this.#rows<JobRow>('select * from channel_outbound where tenant_id = $1 and channel = $2 and platform_message_id = $3', [tenantId, channel, platformMessageId]);
    return row ? toJob(row) : null;
  }

  async jobs(tenantId: string, limit: number) {
    return (await this.#rows<JobRow>('select * from channel_outbound where tenant_id = $1 order by created_at desc limit $2', [tenantId, limit])).map(toJob);
  }

  async sentJobsUntil(tenantId: string, conversationId: string, until: number) {
    return (
      await this.#rows<JobRow>(
        "select * from channel_outbound where tenant_id = $1 and conversation_id = $2 and status = 'sent' and sent_at <= $3 and platform_message_id is not null",
        [tenantId, conversationId, until],
      )
    ).map(toJob);
  }

  async jobCounts(tenantId: string, channel: MetaChannel) {
    const rows = await this.#rows<{ status: string; count: string }>('select status, count(*) as count from channel_outbound where tenant_id = $1 and channel = $2 group by status', [tenantId, channel]);
    const count = (status: string) => rows.filter((row) => row.status === status).reduce((sum, row) => sum + Number(row.count), 0);
    return { queued: count('queued') + count('sending'), failed: count('failed'), sent: count('sent') };
  }

  async recordInbound(tenantId: string, conversationId: string, at: number) {
    await this.pool.query(
      'insert into channel_windows (tenant_id, conversation_id, last_inbound_at) values ($1, $2, $3) on conflict (tenant_id, conversation_id) do update set last_inbound_at = greatest(channel_windows.last_inbound_at, excluded.last_inbound_at)',
      [tenantId, conversationId, at],
    );
  }

  async lastInbound(tenantId: string, conversationId: string) {
    const [row] = await this.#rows<{ at: string }>('select last_inbound_at as at from channel_windows where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId]);
    return row ? Number(row.at) : null;
  }

  async dispatchCursor(tenantId: string) {
    const [row] = await this.#rows<{ epoch: string; seq: string }>('select epoch, seq from channel_dispatch_cursors where tenant_id = $1', [tenantId]);
    return row ? { epoch: row.epoch, seq: Number(row.seq) } : null;
  }

  async setDispatchCursor(tenantId: string, cursor: { epoch: string; seq: number }) {
    // Never backwards within an epoch: two instances may dispatch the same tenant at once.
    await this.pool.query(
      `insert into channel_dispatch_cursors (tenant_id, epoch, seq) values ($1, $2, $3)
       on conflict (tenant_id) do update set epoch = excluded.epoch, seq = case when channel_dispatch_cursors.epoch = excluded.epoch then greatest(channel_dispatch_cursors.seq, excluded.seq) else excluded.seq end`,
      [tenantId, cursor.epoch, cursor.seq],
    );
  }
}
