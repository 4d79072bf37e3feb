import type pg from 'pg';
import type { MetaChannel } from '../../shared/schemas/channels.js';
import type { ChannelConnectionRecord, ChannelStore, OutboundJob } from './channelStore.js';
import { channelSql, connectionValues, jobValues, numberedParameters, savedJobValues, toConnection, toJob, toJobCounts, type ConnectionRow, type JobRow } from './channelSql.js';

const sql = numberedParameters(channelSql);

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
    const [row] = await this.#rows<ConnectionRow>(sql.connection, [tenantId, channel]);
    return row ? toConnection(row) : null;
  }

  async connectionById(connectionId: string) {
    const [row] = await this.#rows<ConnectionRow>(sql.connectionById, [connectionId]);
    return row ? toConnection(row) : null;
  }

  async connections(tenantId: string) {
    return (await this.#rows<ConnectionRow>(sql.connections, [tenantId])).map(toConnection);
  }

  async saveConnection(record: ChannelConnectionRecord) {
    await this.pool.query(sql.saveConnection, connectionValues(record));
  }

  async removeConnection(tenantId: string, channel: MetaChannel) {
    await this.pool.query(sql.removeConnection, [tenantId, channel]);
  }

  async recordWebhook(connectionId: string, at: number, accepted: boolean, count = 1) {
    if (accepted) {
      await this.pool.query(
        'update channel_connections set last_webhook_at = greatest(coalesce(last_webhook_at, 0), $1), webhook_count = webhook_count + $2 where connection_id = $3',
        [at, count, connectionId],
      );
    } else await this.pool.query(sql.rejectedWebhooks, [count, connectionId]);
  }

  async tenantsWithConnections() {
    return (await this.#rows<{ tenant_id: string }>(sql.tenantsWithConnections)).map((row) => row.tenant_id);
  }

  async enqueue(job: OutboundJob) {
    return ((await this.pool.query(sql.enqueue, jobValues(job))).rowCount ?? 0) > 0;
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
    await this.pool.query(sql.saveJob, savedJobValues(job));
  }

  async jobByMessageId(tenantId: string, messageId: string) {
    const [row] = await this.#rows<JobRow>(sql.jobByMessageId, [tenantId, messageId]);
    return row ? toJob(row) : null;
  }

  async jobByPlatformMessageId(tenantId: string, channel: MetaChannel, platformMessageId: string) {
    const [row] = await this.#rows<JobRow>(sql.jobByPlatformMessageId, [tenantId, channel, platformMessageId]);
    return row ? toJob(row) : null;
  }

  async jobs(tenantId: string, limit: number) {
    return (await this.#rows<JobRow>(sql.jobs, [tenantId, limit])).map(toJob);
  }

  async sentJobsUntil(tenantId: string, conversationId: string, until: number) {
    return (await this.#rows<JobRow>(sql.sentJobsUntil, [tenantId, conversationId, until])).map(toJob);
  }

  async jobCounts(tenantId: string, channel: MetaChannel) {
    return toJobCounts(await this.#rows<{ status: string; count: string }>(sql.jobCounts, [tenantId, channel]));
  }

  async recordInbound(tenantId: string, conversationId: string, at: number) {
    await this.pool.query(
      'insert into channel_windows (tenant_id, conversation_id, last_inbound_at) values ($1, $2, $3) on conflict (tenant_id, conversation_id) do update set last_inbound_at = greatest(channel_windows.last_inbound_at, excluded.last_inbound_at)',
      [tenantId, conversationId, at],
    );
  }

  async lastInbound(tenantId: string, conversationId: string) {
    const [row] = await this.#rows<{ at: string }>(sql.lastInbound, [tenantId, conversationId]);
    return row ? Number(row.at) : null;
  }

  async dispatchCursor(tenantId: string) {
    const [row] = await this.#rows<{ epoch: string; seq: string }>(sql.dispatchCursor, [tenantId]);
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
