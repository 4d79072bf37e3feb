import type pg from 'pg';
import type { RelayAuditEntry, RelayRetentionResult, RelayRetentionRules } from '../../shared/schemas/relayPrivacy.js';
import { attachmentFieldMarkers, bodyWithoutAttachment, stateWithoutAttachmentPreview } from '../../shared/privacy/attachmentRetention.js';
import { erasedConversationId, erasureConversationPrefix } from '../../shared/schemas/sync.js';
import { inPostgresTransaction } from '../storage/postgresTransaction.js';
import type { ClosureRecord, ErasureRequest, PendingErasure, RelayPrivacyStore, RemovalCounts } from './privacyStore.js';
import { claimKeysOf, tombstoneBody } from './privacySql.js';
import { isInactive } from './sqlitePrivacyStore.js';

const schemaSql = `
  create table if not exists relay_retention (tenant_id text primary key, conversation_days integer, collected_event_days integer, updated_at bigint not null, last_run text);
  alter table relay_retention add column if not exists attachment_days integer;
  create table if not exists relay_erasures (tenant_id text not null, erasure_id text not null, seq bigint not null, applied_at bigint not null, primary key (tenant_id, erasure_id));
  create index if not exists relay_erasures_seq on relay_erasures (tenant_id, seq);
  create table if not exists relay_closures (tenant_id text primary key, requested_at bigint not null, delete_at bigint not null, requested_by text not null);
  create table if not exists relay_closed_devices (token_hash text primary key, tenant_id text not null, closed_at bigint not null);
  create table if not exists relay_privacy_audit (id bigserial primary key, tenant_id text not null, action text not null, occurred_at bigint not null, detail text not null);
  create index if not exists relay_privacy_audit_tenant on relay_privacy_audit (tenant_id, id);
`;

const relayTablesOfTenant = ['events', 'conversations', 'clients', 'channel_messages', 'visitors', 'leases', 'devices', 'operators', 'log_heads', 'relay_retention', 'relay_erasures', 'relay_closures'];
const channelTablesOfTenant = ['channel_outbound', 'channel_windows', 'channel_dispatch_cursors', 'channel_connections'];

type Row = Record<string, unknown>;

/**
 * The privacy jobs on PostgreSQL, on the relay's pool. Work on one tenant's log takes the tenant's
 * head row lock first, like an append, so a tombstone never races an append of the same tenant.
 * (PostgreSQL keeps deleted row versions until VACUUM; run autovacuum, as any deployment does.)
 */
export class PostgresPrivacyStore implements RelayPrivacyStore {
  constructor(readonly pool: pg.Pool) {}

  static async open(pool: pg.Pool): Promise<PostgresPrivacyStore> {
    await inPostgresTransaction(pool, async (client) => {
      await client.query("select pg_advisory_xact_lock(hashtext('ares-relay-privacy-schema'))");
      await client.query(schemaSql);
    });
    return new PostgresPrivacyStore(pool);
  }

  async #rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, values)).rows as Row[];
  }

  async tenantIds() {
    return (await this.#rows('select tenant_id from tenants order by tenant_id')).map((row) => row.tenant_id as string);
  }

  async conversationIds(tenantId: string) {
    const rows = await this.#rows('select conversation_id from conversations where tenant_id = $1 union select conversation_id from visitors where tenant_id = $1', [tenantId]);
    return rows.map((row) => row.conversation_id as string);
  }

  async retentionRules(tenantId: string): Promise<RelayRetentionRules | null> {
    const [row] = await this.#rows('select conversation_days, collected_event_days, attachment_days from relay_retention where tenant_id = $1', [tenantId]);
    return row
      ? { conversationDays: (row.conversation_days as number | null) ?? null, collectedEventDays: (row.collected_event_days as number | null) ?? null, attachmentDays: (row.attachment_days as number | null) ?? null }
      : null;
  }

  async setRetentionRules(tenantId: string, rules: RelayRetentionRules, at: number) {
    await this.pool.query(
      'insert into relay_retention (tenant_id, conversation_days, collected_event_days, attachment_days, updated_at) values ($1, $2, $3, $4, $5) on conflict (tenant_id) do update set conversation_days = excluded.conversation_days, collected_event_days = excluded.collected_event_days, attachment_days = excluded.attachment_days, updated_at = excluded.updated_at',
      [tenantId, rules.conversationDays, rules.collectedEventDays, rules.attachmentDays, at],
    );
  }

  async lastRetentionRun(tenantId: string): Promise<RelayRetentionResult | null> {
    const [row] = await this.#rows('select last_run from relay_retention where tenant_id = $1', [tenantId]);
    return row?.last_run ? (JSON.parse(row.last_run as string) as RelayRetentionResult) : null;
  }

  async recordRetentionRun(tenantId: string, result: RelayRetentionResult) {
    await this.pool.query('update relay_retention set last_run = $1 where tenant_id = $2', [JSON.stringify(result), tenantId]);
  }

  async pendingErasures(tenantId: string): Promise<PendingErasure[]> {
    const rows = await this.#rows(
      `select seq, body from events e where tenant_id = $1 and conversation_id >= $2 and conversation_id < $3
       and not exists (select 1 from relay_erasures r where r.tenant_id = e.tenant_id and r.seq = e.seq) order by seq`,
      [tenantId, erasureConversationPrefix, `${erasureConversationPrefix}\uffff`],
    );
    return rows.flatMap((row) => {
      const body = JSON.parse(row.body as string) as { type: string; erasureId: string; conversationKeys: string[] };
      return body.type === 'customer.erased' ? [{ seq: Number(row.seq), erasureId: body.erasureId, conversationKeys: body.conversationKeys }] : [];
    });
  }

  async #removeConversations(client: pg.PoolClient, tenantId: string, conversationIds: string[], beforeSeq: number | null, reason: 'erasure' | 'retention'): Promise<RemovalCounts> {
    const bound = beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const counts: RemovalCounts = { conversations: 0, events: 0, visitors: 0, outbound: 0 };
    await client.query('select 1 from log_heads where tenant_id = $1 for update', [tenantId]);
    for (const conversationId of conversationIds) {
      const bodies = await client.query('select body from events where tenant_id = $1 and conversation_id = $2 and seq < $3', [tenantId, conversationId, bound]);
      for (const row of bodies.rows as Row[]) {
        for (const claim of claimKeysOf(row.body as string)) await client.query('delete from channel_messages where tenant_id = $1 and channel = $2 and external_id = $3', [tenantId, claim.channel, claim.externalId]);
      }
      counts.events += (await client.query('update events set conversation_id = $1, body = $2 where tenant_id = $3 and conversation_id = $4 and seq < $5', [erasedConversationId, tombstoneBody(reason), tenantId, conversationId, bound])).rowCount ?? 0;
      const [state] = (await client.query('select state from conversations where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId])).rows as Row[];
      if (state && (beforeSeq === null || (JSON.parse(state.state as string) as { lastSeq: number }).lastSeq < beforeSeq)) {
        counts.conversations += (await client.query('delete from conversations where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId])).rowCount ?? 0;
      }
      counts.visitors += (await client.query('delete from visitors where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId])).rowCount ?? 0;
      const platform = await client.query('select platform_message_id from channel_outbound where tenant_id = $1 and conversation_id = $2 and platform_message_id is not null', [tenantId, conversationId]);
      for (const row of platform.rows as Row[]) await client.query("delete from channel_messages where tenant_id = $1 and external_id like $2", [tenantId, `status:${String(row.platform_message_id).replace(/[\\%_]/g, '\\$&')}:%`]);
      counts.outbound += (await client.query('delete from channel_outbound where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId])).rowCount ?? 0;
      await client.query('delete from channel_windows where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId]);
    }
    return counts;
  }

  async eraseConversations(tenantId: string, request: ErasureRequest): Promise<RemovalCounts> {
    return inPostgresTransaction(this.pool, async (client) => {
      const inserted = await client.query('insert into relay_erasures (tenant_id, erasure_id, seq, applied_at) values ($1, $2, $3, $4) on conflict do nothing', [tenantId, request.erasureId, request.seq, request.at]);
      if ((inserted.rowCount ?? 0) === 0) return { conversations: 0, events: 0, visitors: 0, outbound: 0 };
      const counts = await this.#removeConversations(client, tenantId, request.conversationIds, request.seq, 'erasure');
      await client.query('delete from conversations where tenant_id = $1 and conversation_id = $2', [tenantId, `${erasureConversationPrefix}${request.erasureId}`]);
      return counts;
    });
  }

  async deleteConversations(tenantId: string, conversationIds: string[]): Promise<RemovalCounts> {
    if (conversationIds.length === 0) return { conversations: 0, events: 0, visitors: 0, outbound: 0 };
    return inPostgresTransaction(this.pool, (client) => this.#removeConversations(client, tenantId, conversationIds, null, 'retention'));
  }

  async removeAttachmentDetails(tenantId: string, before: number): Promise<number> {
    return inPostgresTransaction(this.pool, async (client) => {
      await client.query('select 1 from log_heads where tenant_id = $1 for update', [tenantId]);
      const filter = attachmentFieldMarkers.map((_marker, index) => `position($${index + 3} in body) > 0`).join(' or ');
      const candidates = await client.query(`select seq, conversation_id, body from events where tenant_id = $1 and accepted_at < $2 and (${filter})`, [tenantId, before, ...attachmentFieldMarkers]);
      let count = 0;
      for (const row of candidates.rows as Row[]) {
        const removed = bodyWithoutAttachment(row.body as string);
        if (!removed) continue;
        await client.query('update events set body = $1 where tenant_id = $2 and seq = $3', [removed.body, tenantId, row.seq]);
        const [current] = (await client.query('select state from conversations where tenant_id = $1 and conversation_id = $2', [tenantId, row.conversation_id])).rows as Row[];
        const next = current && stateWithoutAttachmentPreview(current.state as string, removed.oldText, removed.newText);
        if (next) await client.query('update conversations set state = $1 where tenant_id = $2 and conversation_id = $3', [next, tenantId, row.conversation_id]);
        count += 1;
      }
      return count;
    });
  }

  async conversationsInactiveSince(tenantId: string, before: number): Promise<string[]> {
    const rows = await this.#rows(
      `select c.conversation_id, c.state, (select max(e.accepted_at) from events e where e.tenant_id = c.tenant_id and e.conversation_id = c.conversation_id) as last_accepted_at
       from conversations c where c.tenant_id = $1`,
      [tenantId],
    );
    return rows
      .filter((row) => isInactive(row.conversation_id as string, row.state as string, row.last_accepted_at === null ? null : Number(row.last_accepted_at), before))
      .map((row) => row.conversation_id as string);
  }

  async collectedThrough(tenantId: string, before: number): Promise<number> {
    const [devices] = await this.#rows('select min(collected_seq) as seq, count(*) as count from devices where tenant_id = $1 and revoked_at is null', [tenantId]);
    if (!devices || Number(devices.count) === 0 || devices.seq === null) return 0;
    let bound = Number(devices.seq);
    const [connected] = await this.#rows('select count(*) as count from channel_connections where tenant_id = $1', [tenantId]);
    if (Number(connected?.count ?? 0) > 0) {
      const [cursor] = await this.#rows('select seq from channel_dispatch_cursors where tenant_id = $1', [tenantId]);
      bound = Math.min(bound, cursor ? Number(cursor.seq) : 0);
    }
    const [row] = await this.#rows('select max(seq) as seq from events where tenant_id = $1 and seq <= $2 and accepted_at < $3', [tenantId, bound, before]);
    return row?.seq === null || row?.seq === undefined ? 0 : Number(row.seq);
  }

  async pruneThrough(tenantId: string, seq: number): Promise<number> {
    return inPostgresTransaction(this.pool, async (client) => {
      await client.query('select 1 from log_heads where tenant_id = $1 for update', [tenantId]);
      const deleted = (await client.query('delete from events where tenant_id = $1 and seq <= $2', [tenantId, seq])).rowCount ?? 0;
      await client.query('update log_heads set pruned_through_seq = greatest(pruned_through_seq, $1) where tenant_id = $2', [seq, tenantId]);
      return deleted;
    });
  }

  async forgetConversation(tenantId: string, conversationId: string) {
    await this.pool.query('delete from conversations where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId]);
  }

  async closure(tenantId: string): Promise<ClosureRecord | null> {
    const [row] = await this.#rows('select requested_at, delete_at, requested_by from relay_closures where tenant_id = $1', [tenantId]);
    return row ? { requestedAt: Number(row.requested_at), deleteAt: Number(row.delete_at), requestedBy: row.requested_by as string } : null;
  }

  async scheduleClosure(tenantId: string, closure: ClosureRecord) {
    await this.pool.query(
      'insert into relay_closures (tenant_id, requested_at, delete_at, requested_by) values ($1, $2, $3, $4) on conflict (tenant_id) do update set requested_at = excluded.requested_at, delete_at = excluded.delete_at, requested_by = excluded.requested_by',
      [tenantId, closure.requestedAt, closure.deleteAt, closure.requestedBy],
    );
  }

  async cancelClosure(tenantId: string) {
    return ((await this.pool.query('delete from relay_closures where tenant_id = $1', [tenantId])).rowCount ?? 0) > 0;
  }

  async dueClosures(now: number) {
    return (await this.#rows('select tenant_id from relay_closures where delete_at <= $1 order by delete_at', [now])).map((row) => row.tenant_id as string);
  }

  async deleteTenant(tenantId: string, at: number) {
    return inPostgresTransaction(this.pool, async (client) => {
      await client.query('select 1 from log_heads where tenant_id = $1 for update', [tenantId]);
      await client.query('insert into relay_closed_devices (token_hash, tenant_id, closed_at) select token_hash, tenant_id, $1 from devices where tenant_id = $2 on conflict do nothing', [at, tenantId]);
      for (const table of channelTablesOfTenant) await client.query(`delete from ${table} where tenant_id = $1`, [tenantId]);
      const deleted: Record<string, number> = {};
      for (const table of relayTablesOfTenant) deleted[table] = (await client.query(`delete from ${table} where tenant_id = $1`, [tenantId])).rowCount ?? 0;
      await client.query('delete from tenants where tenant_id = $1', [tenantId]);
      return { events: deleted.events ?? 0, conversations: deleted.conversations ?? 0, devices: deleted.devices ?? 0 };
    });
  }

  async closedDevice(tokenHash: string) {
    const [row] = await this.#rows('select tenant_id, closed_at from relay_closed_devices where token_hash = $1', [tokenHash]);
    return row ? { tenantId: row.tenant_id as string, closedAt: Number(row.closed_at) } : null;
  }

  async audit(tenantId: string, entry: RelayAuditEntry) {
    await this.pool.query('insert into relay_privacy_audit (tenant_id, action, occurred_at, detail) values ($1, $2, $3, $4)', [tenantId, entry.action, entry.occurredAt, JSON.stringify(entry.detail)]);
  }

  async auditEntries(tenantId: string, limit: number): Promise<RelayAuditEntry[]> {
    const rows = await this.#rows('select action, occurred_at, detail from relay_privacy_audit where tenant_id = $1 order by id desc limit $2', [tenantId, limit]);
    return rows.map((row) => ({ action: row.action as RelayAuditEntry['action'], occurredAt: Number(row.occurred_at), detail: JSON.parse(row.detail as string) as RelayAuditEntry['detail'] }));
  }

  async close() {
    // The pool belongs to the relay's storage, which closes it.
  }
}
