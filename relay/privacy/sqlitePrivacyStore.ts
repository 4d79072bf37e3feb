import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RelayAuditEntry, RelayRetentionResult, RelayRetentionRules } from '../../shared/schemas/relayPrivacy.js';
import type { ClosureRecord, ErasureRequest, PendingErasure, RelayPrivacyStore, RemovalCounts } from './privacyStore.js';
import { attachmentFieldMarkers, bodyWithoutAttachment, stateWithoutAttachmentPreview } from '../../shared/privacy/attachmentRetention.js';
import { claimKeysOf, privacySchemaSql, tombstoneBody } from './privacySql.js';
import { erasedConversationId, erasureConversationPrefix } from '../../shared/schemas/sync.js';

const relayTablesOfTenant = ['events', 'conversations', 'clients', 'channel_messages', 'visitors', 'leases', 'devices', 'operators', 'log_heads', 'relay_retention', 'relay_erasures', 'relay_closures'];
const channelTablesOfTenant = ['channel_outbound', 'channel_windows', 'channel_dispatch_cursors', 'channel_connections'];

function open(path: string): Database.Database {
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 10000');
  // Deleted and overwritten content is zeroed in the file, not left in free pages.
  database.pragma('secure_delete = ON');
  return database;
}

/**
 * The privacy jobs on the SQLite relay: their own connections to relay.db and channels.db, with
 * secure_delete on, and a WAL checkpoint after each removal so no old page image keeps the content.
 */
export class SqlitePrivacyStore implements RelayPrivacyStore {
  readonly #relay: Database.Database;
  readonly #channels: Database.Database | null;

  constructor(dataDirectory: string) {
    this.#relay = open(join(dataDirectory, 'relay.db'));
    this.#relay.exec(privacySchemaSql);
    // Relays created before the attachment rule existed: add its column once.
    const columns = this.#relay.prepare('pragma table_info(relay_retention)').all() as { name: string }[];
    if (!columns.some((column) => column.name === 'attachment_days')) this.#relay.exec('alter table relay_retention add column attachment_days integer');
    const channelsPath = join(dataDirectory, 'channels.db');
    this.#channels = existsSync(channelsPath) ? open(channelsPath) : null;
  }

  #checkpoint(): void {
    this.#relay.pragma('wal_checkpoint(TRUNCATE)');
    this.#channels?.pragma('wal_checkpoint(TRUNCATE)');
  }

  #channelTableExists(table: string): boolean {
    return this.#channels?.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
  }

  async tenantIds(): Promise<string[]> {
    return (this.#relay.prepare('select tenant_id as id from tenants order by tenant_id').all() as { id: string }[]).map((row) => row.id);
  }

  async conversationIds(tenantId: string): Promise<string[]> {
    const fromState = this.#relay.prepare('select conversation_id as id from conversations where tenant_id = ?').all(tenantId) as { id: string }[];
    const fromVisitors = this.#relay.prepare('select conversation_id as id from visitors where tenant_id = ?').all(tenantId) as { id: string }[];
    return [...new Set([...fromState, ...fromVisitors].map((row) => row.id))];
  }

  async retentionRules(tenantId: string): Promise<RelayRetentionRules | null> {
    const row = this.#relay.prepare('select conversation_days as conversationDays, collected_event_days as collectedEventDays, attachment_days as attachmentDays from relay_retention where tenant_id = ?').get(tenantId) as
      | RelayRetentionRules
      | undefined;
    return row ?? null;
  }

  async setRetentionRules(tenantId: string, rules: RelayRetentionRules, at: number): Promise<void> {
    this.#relay
      .prepare(
        'insert into relay_retention (tenant_id, conversation_days, collected_event_days, attachment_days, updated_at) values (?, ?, ?, ?, ?) on conflict (tenant_id) do update set conversation_days = excluded.conversation_days, collected_event_days = excluded.collected_event_days, attachment_days = excluded.attachment_days, updated_at = excluded.updated_at',
      )
      .run(tenantId, rules.conversationDays, rules.collectedEventDays, rules.attachmentDays, at);
  }

  async lastRetentionRun(tenantId: string): Promise<RelayRetentionResult | null> {
    const row = this.#relay.prepare('select last_run as lastRun from relay_retention where tenant_id = ?').get(tenantId) as { lastRun: string | null } | undefined;
    return row?.lastRun ? (JSON.parse(row.lastRun) as RelayRetentionResult) : null;
  }

  async recordRetentionRun(tenantId: string, result: RelayRetentionResult): Promise<void> {
    this.#relay.prepare('update relay_retention set last_run = ? where tenant_id = ?').run(JSON.stringify(result), tenantId);
  }

  async pendingErasures(tenantId: string): Promise<PendingErasure[]> {
    const rows = this.#relay
      .prepare(
        `select seq, body from events e where tenant_id = ? and conversation_id >= ? and conversation_id < ?
         and not exists (select 1 from relay_erasures r where r.tenant_id = e.tenant_id and r.seq = e.seq) order by seq`,
      )
      .all(tenantId, erasureConversationPrefix, `${erasureConversationPrefix}\uffff`) as { seq: number; body: string }[];
    return rows.flatMap((row) => {
      const body = JSON.parse(row.body) as { type: string; erasureId: string; conversationKeys: string[] };
      return body.type === 'customer.erased' ? [{ seq: row.seq, erasureId: body.erasureId, conversationKeys: body.conversationKeys }] : [];
    });
  }

  /** Channel rows of the conversations (outbound replies quote their text); returns the status claim prefixes to drop. */
  #removeChannelRows(tenantId: string, conversationIds: string[]): { outbound: number; platformIds: string[] } {
    const channels = this.#channels;
    if (!channels || !this.#channelTableExists('channel_outbound')) return { outbound: 0, platformIds: [] };
    const platformIds: string[] = [];
    let outbound = 0;
    channels.transaction(() => {
      for (const conversationId of conversationIds) {
        const rows = channels.prepare('select platform_message_id as id from channel_outbound where tenant_id = ? and conversation_id = ? and platform_message_id is not null').all(tenantId, conversationId) as { id: string }[];
        platformIds.push(...rows.map((row) => row.id));
        outbound += channels.prepare('delete from channel_outbound where tenant_id = ? and conversation_id = ?').run(tenantId, conversationId).changes;
        channels.prepare('delete from channel_windows where tenant_id = ? and conversation_id = ?').run(tenantId, conversationId);
      }
    }).immediate();
    return { outbound, platformIds };
  }

  /** Runs inside a relay.db transaction. `beforeSeq` null means every event of the conversations. */
  #removeConversations(tenantId: string, conversationIds: string[], beforeSeq: number | null, reason: 'erasure' | 'retention', platformIds: string[]): Omit<RemovalCounts, 'outbound'> {
    const database = this.#relay;
    const bound = beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const counts = { conversations: 0, events: 0, visitors: 0 };
    const bodies = database.prepare('select body from events where tenant_id = ? and conversation_id = ? and seq < ?');
    const tombstone = database.prepare('update events set conversation_id = ?, body = ? where tenant_id = ? and conversation_id = ? and seq < ?');
    const unclaim = database.prepare('delete from channel_messages where tenant_id = ? and channel = ? and external_id = ?');
    for (const conversationId of conversationIds) {
      for (const row of bodies.all(tenantId, conversationId, bound) as { body: string }[]) {
        for (const claim of claimKeysOf(row.body)) unclaim.run(tenantId, claim.channel, claim.externalId);
      }
      counts.events += tombstone.run(erasedConversationId, tombstoneBody(reason), tenantId, conversationId, bound).changes;
      const state = database.prepare('select state from conversations where tenant_id = ? and conversation_id = ?').get(tenantId, conversationId) as { state: string } | undefined;
      // A conversation that went on after the erasure (the customer wrote again) keeps its newer state.
      if (state && (beforeSeq === null || (JSON.parse(state.state) as { lastSeq: number }).lastSeq < beforeSeq)) {
        counts.conversations += database.prepare('delete from conversations where tenant_id = ? and conversation_id = ?').run(tenantId, conversationId).changes;
      }
      counts.visitors += database.prepare('delete from visitors where tenant_id = ? and conversation_id = ?').run(tenantId, conversationId).changes;
    }
    const statusClaims = database.prepare("delete from channel_messages where tenant_id = ? and external_id >= ? and external_id < ?");
    for (const platformId of platformIds) statusClaims.run(tenantId, `status:${platformId}:`, `status:${platformId}:\uffff`);
    return counts;
  }

  async eraseConversations(tenantId: string, request: ErasureRequest): Promise<RemovalCounts> {
    const done = this.#relay.prepare('select 1 from relay_erasures where tenant_id = ? and erasure_id = ?').get(tenantId, request.erasureId);
    if (done) return { conversations: 0, events: 0, visitors: 0, outbound: 0 };
    const channels = this.#removeChannelRows(tenantId, request.conversationIds);
    const counts = this.#relay.transaction(() => {
      const removed = this.#removeConversations(tenantId, request.conversationIds, request.seq, 'erasure', channels.platformIds);
      this.#relay.prepare('delete from conversations where tenant_id = ? and conversation_id = ?').run(tenantId, `${erasureConversationPrefix}${request.erasureId}`);
      this.#relay.prepare('insert into relay_erasures (tenant_id, erasure_id, seq, applied_at) values (?, ?, ?, ?) on conflict do nothing').run(tenantId, request.erasureId, request.seq, request.at);
      return removed;
    }).immediate();
    this.#checkpoint();
    return { ...counts, outbound: channels.outbound };
  }

  async deleteConversations(tenantId: string, conversationIds: string[]): Promise<RemovalCounts> {
    if (conversationIds.length === 0) return { conversations: 0, events: 0, visitors: 0, outbound: 0 };
    const channels = this.#removeChannelRows(tenantId, conversationIds);
    const counts = this.#relay.transaction(() => this.#removeConversations(tenantId, conversationIds, null, 'retention', channels.platformIds)).immediate();
    this.#checkpoint();
    return { ...counts, outbound: channels.outbound };
  }

  async conversationsInactiveSince(tenantId: string, before: number): Promise<string[]> {
    const rows = this.#relay
      .prepare(
        `select c.conversation_id as conversationId, c.state as state,
           (select max(e.accepted_at) from events e where e.tenant_id = c.tenant_id and e.conversation_id = c.conversation_id) as lastAcceptedAt
         from conversations c where c.tenant_id = ?`,
      )
      .all(tenantId) as { conversationId: string; state: string; lastAcceptedAt: number | null }[];
    return rows.filter((row) => isInactive(row.conversationId, row.state, row.lastAcceptedAt, before)).map((row) => row.conversationId);
  }

  async collectedThrough(tenantId: string, before: number): Promise<number> {
    const devices = this.#relay.prepare('select min(collected_seq) as seq, count(*) as count from devices where tenant_id = ? and revoked_at is null').get(tenantId) as { seq: number | null; count: number };
    if (devices.count === 0 || devices.seq === null) return 0;
    let bound = devices.seq;
    if (this.#channels && this.#channelTableExists('channel_connections')) {
      const connected = this.#channels.prepare('select count(*) as count from channel_connections where tenant_id = ?').get(tenantId) as { count: number };
      if (connected.count > 0) {
        // The outbound dispatcher reads the log too: never drop what it has not passed.
        const cursor = this.#channels.prepare('select seq from channel_dispatch_cursors where tenant_id = ?').get(tenantId) as { seq: number } | undefined;
        bound = Math.min(bound, cursor?.seq ?? 0);
      }
    }
    const row = this.#relay.prepare('select max(seq) as seq from events where tenant_id = ? and seq <= ? and accepted_at < ?').get(tenantId, bound, before) as { seq: number | null };
    return row.seq ?? 0;
  }

  /** Deletes the log's prefix through `seq` (zeroed on disk) and records it, like RelayStorage.pruneThrough. */
  async pruneThrough(tenantId: string, seq: number): Promise<number> {
    const deleted = this.#relay.transaction(() => {
      const changes = this.#relay.prepare('delete from events where tenant_id = ? and seq <= ?').run(tenantId, seq).changes;
      this.#relay.prepare('update log_heads set pruned_through_seq = max(pruned_through_seq, ?) where tenant_id = ?').run(seq, tenantId);
      return changes;
    }).immediate();
    this.#checkpoint();
    return deleted;
  }

  async removeAttachmentDetails(tenantId: string, before: number): Promise<number> {
    const database = this.#relay;
    const candidates = database.prepare(`select seq, conversation_id as conversationId, body from events where tenant_id = ? and accepted_at < ? and (${attachmentFieldMarkers.map(() => 'instr(body, ?) > 0').join(' or ')})`);
    const rewrite = database.prepare('update events set body = ? where tenant_id = ? and seq = ?');
    const state = database.prepare('select state from conversations where tenant_id = ? and conversation_id = ?');
    const saveState = database.prepare('update conversations set state = ? where tenant_id = ? and conversation_id = ?');
    const changed = database.transaction(() => {
      let count = 0;
      for (const row of candidates.all(tenantId, before, ...attachmentFieldMarkers) as { seq: number; conversationId: string; body: string }[]) {
        const removed = bodyWithoutAttachment(row.body);
        if (!removed) continue;
        rewrite.run(removed.body, tenantId, row.seq);
        const current = state.get(tenantId, row.conversationId) as { state: string } | undefined;
        const next = current && stateWithoutAttachmentPreview(current.state, removed.oldText, removed.newText);
        if (next) saveState.run(next, tenantId, row.conversationId);
        count += 1;
      }
      return count;
    }).immediate();
    if (changed > 0) this.#checkpoint();
    return changed;
  }

  async forgetConversation(tenantId: string, conversationId: string): Promise<void> {
    this.#relay.prepare('delete from conversations where tenant_id = ? and conversation_id = ?').run(tenantId, conversationId);
  }

  async closure(tenantId: string): Promise<ClosureRecord | null> {
    const row = this.#relay.prepare('select requested_at as requestedAt, delete_at as deleteAt, requested_by as requestedBy from relay_closures where tenant_id = ?').get(tenantId) as ClosureRecord | undefined;
    return row ?? null;
  }

  async scheduleClosure(tenantId: string, closure: ClosureRecord): Promise<void> {
    this.#relay
      .prepare('insert into relay_closures (tenant_id, requested_at, delete_at, requested_by) values (?, ?, ?, ?) on conflict (tenant_id) do update set requested_at = excluded.requested_at, delete_at = excluded.delete_at, requested_by = excluded.requested_by')
      .run(tenantId, closure.requestedAt, closure.deleteAt, closure.requestedBy);
  }

  async cancelClosure(tenantId: string): Promise<boolean> {
    return this.#relay.prepare('delete from relay_closures where tenant_id = ?').run(tenantId).changes > 0;
  }

  async dueClosures(now: number): Promise<string[]> {
    return (this.#relay.prepare('select tenant_id as id from relay_closures where delete_at <= ? order by delete_at').all(now) as { id: string }[]).map((row) => row.id);
  }

  async deleteTenant(tenantId: string, at: number): Promise<{ events: number; conversations: number; devices: number }> {
    if (this.#channels) {
      const channels = this.#channels;
      channels.transaction(() => {
        for (const table of channelTablesOfTenant) if (this.#channelTableExists(table)) channels.prepare(`delete from ${table} where tenant_id = ?`).run(tenantId);
      }).immediate();
    }
    const counts = this.#relay.transaction(() => {
      this.#relay.prepare('insert into relay_closed_devices (token_hash, tenant_id, closed_at) select token_hash, tenant_id, ? from devices where tenant_id = ? on conflict do nothing').run(at, tenantId);
      const deleted: Record<string, number> = {};
      for (const table of relayTablesOfTenant) deleted[table] = this.#relay.prepare(`delete from ${table} where tenant_id = ?`).run(tenantId).changes;
      this.#relay.prepare('delete from tenants where tenant_id = ?').run(tenantId);
      return { events: deleted.events ?? 0, conversations: deleted.conversations ?? 0, devices: deleted.devices ?? 0 };
    }).immediate();
    this.#checkpoint();
    return counts;
  }

  async closedDevice(tokenHash: string): Promise<{ tenantId: string; closedAt: number } | null> {
    const row = this.#relay.prepare('select tenant_id as tenantId, closed_at as closedAt from relay_closed_devices where token_hash = ?').get(tokenHash) as { tenantId: string; closedAt: number } | undefined;
    return row ?? null;
  }

  async audit(tenantId: string, entry: RelayAuditEntry): Promise<void> {
    this.#relay.prepare('insert into relay_privacy_audit (tenant_id, action, occurred_at, detail) values (?, ?, ?, ?)').run(tenantId, entry.action, entry.occurredAt, JSON.stringify(entry.detail));
  }

  async auditEntries(tenantId: string, limit: number): Promise<RelayAuditEntry[]> {
    const rows = this.#relay.prepare('select action, occurred_at as occurredAt, detail from relay_privacy_audit where tenant_id = ? order by id desc limit ?').all(tenantId, limit) as {
      action: RelayAuditEntry['action'];
      occurredAt: number;
      detail: string;
    }[];
    return rows.map((row) => ({ action: row.action, occurredAt: row.occurredAt, detail: JSON.parse(row.detail) as RelayAuditEntry['detail'] }));
  }

  async close(): Promise<void> {
    this.#relay.close();
    this.#channels?.close();
  }
}

/** Inactive: the newest of its own events (or, when those were pruned, its last message) is older than `before`. */
export function isInactive(conversationId: string, state: string, lastAcceptedAt: number | null, before: number): boolean {
  if (conversationId.startsWith(erasureConversationPrefix) || conversationId === erasedConversationId) return false;
  const lastMessageAt = (JSON.parse(state) as { lastMessageAt?: number | null }).lastMessageAt ?? null;
  const last = Math.max(lastAcceptedAt ?? 0, lastMessageAt ?? 0);
  return last > 0 && last < before;
}
