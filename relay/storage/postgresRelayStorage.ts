import pg from 'pg';
import { AresError } from '../../shared/errors.js';
import type { OperatorRole } from '../../shared/schemas/relayAccounts.js';
import { eventBodySchema, type LeaseState, type LoggedEvent } from '../../shared/schemas/sync.js';
import type { ConversationState } from '../../shared/sync/conversationState.js';
import { inPostgresTransaction } from './postgresTransaction.js';
import { lastOwnerError, type AutoReplyCandidate, type DeviceRecord, type LogHead, type LogTransaction, type OperatorRecord, type RelayStorage, type TenantRecord, type VisitorRecord } from './relayStorage.js';

type Row = Record<string, unknown>;
const number = (value: unknown) => Number(value);
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

const toEvent = (row: Row): LoggedEvent => ({
  seq: number(row.seq),
  eventId: row.event_id as string,
  conversationId: row.conversation_id as string,
  occurredAt: number(row.occurred_at),
  acceptedAt: number(row.accepted_at),
  body: JSON.parse(row.body as string) as LoggedEvent['body'],
});
const toOperator = (row: Row): OperatorRecord => ({
  operatorId: row.operator_id as string,
  tenantId: row.tenant_id as string,
  email: row.email as string,
  name: row.name as string,
  role: row.role as OperatorRole,
  passwordHash: (row.password_hash as string | null) ?? null,
  inviteCodeHash: (row.invite_code_hash as string | null) ?? null,
  inviteExpiresAt: numberOrNull(row.invite_expires_at),
  createdAt: number(row.created_at),
});
const toDevice = (row: Row): DeviceRecord => ({
  deviceId: row.device_id as string,
  tenantId: row.tenant_id as string,
  operatorId: row.operator_id as string,
  name: row.name as string,
  createdAt: number(row.created_at),
  lastSeenAt: number(row.last_seen_at),
  revokedAt: numberOrNull(row.revoked_at),
  collectedSeq: number(row.collected_seq),
});
const toTenant = (row: Row): TenantRecord => ({
  tenantId: row.tenant_id as string,
  name: row.name as string,
  widgetKey: row.widget_key as string,
  autoReplyAfterSeconds: numberOrNull(row.auto_reply_after_seconds),
  autoReplyText: row.auto_reply_text as string,
  createdAt: number(row.created_at),
});
const toHead = (row: Row): LogHead => ({ epoch: row.epoch as string, headSeq: number(row.head_seq), prunedThroughSeq: number(row.pruned_through_seq) });

const eventColumns = 'seq, event_id, conversation_id, occurred_at, accepted_at, body';

/**
 * The relay's storage on PostgreSQL, for several relay instances sharing one database. A log
 * transaction starts by locking the tenant's head row (`for update`): that row is the per-tenant
 * counter, so appends of one tenant serialise and commit order equals seq order.
 */
export class PostgresRelayStorage implements RelayStorage {
  readonly kind = 'postgres';

  constructor(readonly pool: pg.Pool) {}

  async #rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, values)).rows as Row[];
  }

  async #row(sql: string, values: unknown[] = []): Promise<Row | null> {
    return (await this.#rows(sql, values))[0] ?? null;
  }

  async health(): Promise<boolean> {
    try {
      await this.pool.query('select 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async createTenant(tenant: TenantRecord, owner: OperatorRecord, epoch: string): Promise<void> {
    await inPostgresTransaction(this.pool, async (client) => {
      if ((await client.query('select 1 from operators where email = $1', [owner.email])).rowCount) {
        throw new AresError('CONFLICT', 'An account with this email already exists on this relay.');
      }
      await client.query('insert into tenants (tenant_id, name, widget_key, auto_reply_after_seconds, auto_reply_text, created_at) values ($1, $2, $3, $4, $5, $6)', [
        tenant.tenantId,
        tenant.name,
        tenant.widgetKey,
        tenant.autoReplyAfterSeconds,
        tenant.autoReplyText,
        tenant.createdAt,
      ]);
      await this.#insertOperator(client, owner);
      await client.query('insert into log_heads (tenant_id, epoch, head_seq, pruned_through_seq) values ($1, $2, 0, 0)', [tenant.tenantId, epoch]);
    });
  }

  async #insertOperator(client: pg.PoolClient | pg.Pool, operator: OperatorRecord): Promise<void> {
    await client.query(
      'insert into operators (operator_id, tenant_id, email, name, role, password_hash, invite_code_hash, invite_expires_at, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [operator.operatorId, operator.tenantId, operator.email, operator.name, operator.role, operator.passwordHash, operator.inviteCodeHash, operator.inviteExpiresAt, operator.createdAt],
    );
  }

  async tenant(tenantId: string) {
    const row = await this.#row('select * from tenants where tenant_id = $1', [tenantId]);
    return row ? toTenant(row) : null;
  }

  async tenantByWidgetKey(widgetKey: string) {
    const row = await this.#row('select * from tenants where widget_key = $1', [widgetKey]);
    return row ? toTenant(row) : null;
  }

  async updateTenantSettings(tenantId: string, settings: { autoReplyAfterSeconds: number | null; autoReplyText: string }) {
    await this.pool.query('update tenants set auto_reply_after_seconds = $1, auto_reply_text = $2 where tenant_id = $3', [settings.autoReplyAfterSeconds, settings.autoReplyText, tenantId]);
  }

  async operatorByEmail(email: string) {
    const row = await this.#row('select * from operators where email = $1 and removed_at is null', [email]);
    return row ? toOperator(row) : null;
  }

  async operator(tenantId: string, operatorId: string) {
    const row = await this.#row('select * from operators where tenant_id = $1 and operator_id = $2 and removed_at is null', [tenantId, operatorId]);
    return row ? toOperator(row) : null;
  }

  async operators(tenantId: string) {
    return (await this.#rows('select * from operators where tenant_id = $1 and removed_at is null order by created_at', [tenantId])).map(toOperator);
  }

  async createOperator(operator: OperatorRecord) {
    if (await this.#row('select 1 from operators where email = $1', [operator.email])) {
      throw new AresError('CONFLICT', 'An account with this email already exists on this relay.');
    }
    try {
      await this.#insertOperator(this.pool, operator);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new AresError('CONFLICT', 'An account with this email already exists on this relay.');
      throw error;
    }
  }

  async operatorByInviteCodeHash(inviteCodeHash: string) {
    const row = await this.#row('select * from operators where invite_code_hash = $1 and removed_at is null', [inviteCodeHash]);
    return row ? toOperator(row) : null;
  }

  async acceptInvitation(tenantId: string, operatorId: string, name: string, passwordHash: string) {
    await this.pool.query('update operators set name = $1, password_hash = $2, invite_code_hash = null, invite_expires_at = null where tenant_id = $3 and operator_id = $4', [
      name,
      passwordHash,
      tenantId,
      operatorId,
    ]);
  }

  async removeOperator(tenantId: string, operatorId: string, at: number) {
    return inPostgresTransaction(this.pool, async (client) => {
      // Locking the owner rows serialises two owners removing each other: the second sees one owner left.
      const owners = await client.query("select operator_id from operators where tenant_id = $1 and role = 'owner' and removed_at is null for update", [tenantId]);
      if (owners.rowCount === 1 && (owners.rows[0] as Row).operator_id === operatorId) throw lastOwnerError();
      const changed = await client.query(
        "update operators set removed_at = $1, email = email || '#removed-' || operator_id where tenant_id = $2 and operator_id = $3 and removed_at is null",
        [at, tenantId, operatorId],
      );
      await client.query('update devices set revoked_at = $1 where tenant_id = $2 and operator_id = $3 and revoked_at is null', [at, tenantId, operatorId]);
      return (changed.rowCount ?? 0) > 0;
    });
  }

  async createDevice(device: DeviceRecord, tokenHash: string) {
    await this.pool.query(
      'insert into devices (device_id, tenant_id, operator_id, name, token_hash, created_at, last_seen_at, revoked_at, collected_seq) values ($1, $2, $3, $4, $5, $6, $7, null, 0)',
      [device.deviceId, device.tenantId, device.operatorId, device.name, tokenHash, device.createdAt, device.lastSeenAt],
    );
  }

  async deviceByTokenHash(tokenHash: string) {
    const row = await this.#row('select * from devices where token_hash = $1', [tokenHash]);
    return row ? toDevice(row) : null;
  }

  async devices(tenantId: string) {
    return (await this.#rows('select * from devices where tenant_id = $1 order by created_at', [tenantId])).map(toDevice);
  }

  async revokeDevice(tenantId: string, deviceId: string, at: number) {
    const result = await this.pool.query('update devices set revoked_at = $1 where tenant_id = $2 and device_id = $3 and revoked_at is null', [at, tenantId, deviceId]);
    return (result.rowCount ?? 0) > 0;
  }

  async touchDevice(tenantId: string, deviceId: string, at: number) {
    await this.pool.query('update devices set last_seen_at = $1 where tenant_id = $2 and device_id = $3', [at, tenantId, deviceId]);
  }

  async recordCollected(tenantId: string, deviceId: string, seq: number) {
    await this.pool.query('update devices set collected_seq = greatest(collected_seq, $1) where tenant_id = $2 and device_id = $3', [seq, tenantId, deviceId]);
  }

  async createVisitor(visitor: VisitorRecord, tokenHash: string) {
    await this.pool.query('insert into visitors (visitor_id, tenant_id, conversation_id, token_hash, created_at) values ($1, $2, $3, $4, $5)', [
      visitor.visitorId,
      visitor.tenantId,
      visitor.conversationId,
      tokenHash,
      visitor.createdAt,
    ]);
  }

  async visitorByTokenHash(tokenHash: string) {
    const row = await this.#row('select * from visitors where token_hash = $1', [tokenHash]);
    return row ? { visitorId: row.visitor_id as string, tenantId: row.tenant_id as string, conversationId: row.conversation_id as string, createdAt: number(row.created_at) } : null;
  }

  async head(tenantId: string) {
    const row = await this.#row('select epoch, head_seq, pruned_through_seq from log_heads where tenant_id = $1', [tenantId]);
    if (!row) throw new AresError('NOT_FOUND', 'This tenant has no log on the relay.');
    return toHead(row);
  }

  async readLog(tenantId: string, afterSeq: number, limit: number) {
    return (await this.#rows(`select ${eventColumns} from events where tenant_id = $1 and seq > $2 order by seq limit $3`, [tenantId, afterSeq, limit])).map(toEvent);
  }

  async readConversationLog(tenantId: string, conversationId: string, afterSeq: number, limit: number) {
    return (
      await this.#rows(`select ${eventColumns} from events where tenant_id = $1 and conversation_id = $2 and seq > $3 order by seq limit $4`, [tenantId, conversationId, afterSeq, limit])
    ).map(toEvent);
  }

  async conversations(tenantId: string) {
    return (await this.#rows('select state from conversations where tenant_id = $1 order by conversation_id', [tenantId])).map((row) => JSON.parse(row.state as string) as ConversationState);
  }

  /**
   * One log transaction in as few round trips as possible (each is a wait on a lock every other
   * append of the tenant queues behind): `begin` and the counter-row lock travel together; events,
   * conversation states and the head are buffered and written at the end in ONE statement; states
   * read or written earlier in the transaction are served from memory. Reads that must see the
   * buffered writes (an event id inserted earlier in this transaction) check the buffer first.
   */
  async transaction<T>(tenantId: string, work: (transaction: LogTransaction) => Promise<T>): Promise<T> {
    const lockHead = `begin; select epoch, head_seq, pruned_through_seq from log_heads where tenant_id = ${pg.escapeLiteral(tenantId)} for update`;
    return inPostgresTransaction(this.pool, async (client, begun) => {
      const locked = begun[1]!.rows[0] as Row | undefined;
      if (!locked) throw new AresError('NOT_FOUND', 'This tenant has no log on the relay.');
      let head = toHead(locked);
      let headChanged = false;
      const events: LoggedEvent[] = [];
      const eventIds = new Set<string>();
      const states = new Map<string, string | null>();
      const changedStates = new Map<string, ConversationState>();
      const query = (name: string, text: string, values: unknown[]) => client.query({ name, text, values });
      const transaction: LogTransaction = {
        head: async () => head,
        lastMutationId: async (clientId) =>
          numberOrNull((await query('ares_last_mutation', 'select last_mutation_id from clients where tenant_id = $1 and client_id = $2', [tenantId, clientId])).rows[0]?.last_mutation_id),
        setLastMutationId: async (clientId, deviceId, mutationId) => {
          await query(
            'ares_set_last_mutation',
            'insert into clients (tenant_id, client_id, device_id, last_mutation_id) values ($1, $2, $3, $4) on conflict (tenant_id, client_id) do update set last_mutation_id = excluded.last_mutation_id, device_id = excluded.device_id',
            [tenantId, clientId, deviceId, mutationId],
          );
        },
        hasEvent: async (eventId) => eventIds.has(eventId) || ((await query('ares_has_event', 'select 1 from events where tenant_id = $1 and event_id = $2', [tenantId, eventId])).rowCount ?? 0) > 0,
        conversation: async (conversationId) => {
          if (!states.has(conversationId)) {
            const row = (await query('ares_conversation', 'select state from conversations where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId])).rows[0] as Row | undefined;
            states.set(conversationId, (row?.state as string | undefined) ?? null);
          }
          const state = states.get(conversationId);
          return state ? (JSON.parse(state) as ConversationState) : null;
        },
        insertEvent: async (event) => {
          eventBodySchema.parse(event.body);
          events.push(event);
          eventIds.add(event.eventId);
        },
        setHeadSeq: async (seq) => {
          head = { ...head, headSeq: seq };
          headChanged = true;
        },
        saveConversation: async (state) => {
          states.set(state.conversationId, JSON.stringify(state));
          changedStates.set(state.conversationId, state);
        },
        claimChannelMessage: async (channel, externalId) =>
          ((await query('ares_claim', 'insert into channel_messages (tenant_id, channel, external_id) values ($1, $2, $3) on conflict do nothing', [tenantId, channel, externalId])).rowCount ?? 0) > 0,
      };
      const result = await work(transaction);
      if (events.length > 0 || changedStates.size > 0 || headChanged) {
        const saved = [...changedStates.values()];
        await query(
          'ares_log_write',
          `with inserted as (
             insert into events (tenant_id, seq, event_id, conversation_id, occurred_at, accepted_at, body)
             select $1, * from unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[])
           ), saved as (
             insert into conversations (tenant_id, conversation_id, state, unanswered_since_seq, auto_replied)
             select $1, * from unnest($8::text[], $9::text[], $10::bigint[], $11::boolean[])
             on conflict (tenant_id, conversation_id) do update set state = excluded.state, unanswered_since_seq = excluded.unanswered_since_seq, auto_replied = excluded.auto_replied
           )
           update log_heads set head_seq = $12 where tenant_id = $1`,
          [
            tenantId,
            events.map((event) => event.seq),
            events.map((event) => event.eventId),
            events.map((event) => event.conversationId),
            events.map((event) => event.occurredAt),
            events.map((event) => event.acceptedAt),
            events.map((event) => JSON.stringify(event.body)),
            saved.map((state) => state.conversationId),
            saved.map((state) => JSON.stringify(state)),
            saved.map((state) => state.unansweredSinceSeq),
            saved.map((state) => state.autoReplied),
            head.headSeq,
          ],
        );
      }
      return result;
    }, lockHead);
  }

  async autoReplyCandidates(now: number, limit: number): Promise<AutoReplyCandidate[]> {
    const rows = await this.#rows(
      `select c.tenant_id, c.conversation_id, t.auto_reply_text
       from conversations c
       join tenants t on t.tenant_id = c.tenant_id
       join events e on e.tenant_id = c.tenant_id and e.seq = c.unanswered_since_seq
       where c.unanswered_since_seq is not null and not c.auto_replied
         and t.auto_reply_after_seconds is not null
         and e.accepted_at <= $1::bigint - t.auto_reply_after_seconds * 1000
         and not exists (select 1 from devices d where d.tenant_id = c.tenant_id and d.revoked_at is null and d.collected_seq >= c.unanswered_since_seq)
       limit $2`,
      [now, limit],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id as string, conversationId: row.conversation_id as string, autoReplyText: row.auto_reply_text as string }));
  }

  async resetLog(tenantId: string, epoch: string) {
    await inPostgresTransaction(this.pool, async (client) => {
      await client.query('select 1 from log_heads where tenant_id = $1 for update', [tenantId]);
      for (const table of ['events', 'conversations', 'clients', 'channel_messages']) await client.query(`delete from ${table} where tenant_id = $1`, [tenantId]);
      await client.query('update devices set collected_seq = 0 where tenant_id = $1', [tenantId]);
      await client.query('update log_heads set epoch = $1, head_seq = 0, pruned_through_seq = 0 where tenant_id = $2', [epoch, tenantId]);
    });
  }

  async pruneThrough(tenantId: string, seq: number) {
    await inPostgresTransaction(this.pool, async (client) => {
      await client.query('delete from events where tenant_id = $1 and seq <= $2', [tenantId, seq]);
      await client.query('update log_heads set pruned_through_seq = greatest(pruned_through_seq, $1) where tenant_id = $2', [seq, tenantId]);
    });
  }

  async acquireLease(tenantId: string, deviceId: string, now: number, ttlMilliseconds: number): Promise<LeaseState> {
    const expiresAt = now + ttlMilliseconds;
    // One statement: take the lease if it is free, expired or already ours; otherwise report the holder.
    const taken = await this.#row(
      `insert into leases (tenant_id, device_id, expires_at) values ($1, $2, $3)
       on conflict (tenant_id) do update set device_id = excluded.device_id, expires_at = excluded.expires_at
       where leases.device_id = excluded.device_id or leases.expires_at <= $4
       returning device_id, expires_at`,
      [tenantId, deviceId, expiresAt, now],
    );
    if (taken) return { held: true, holderDeviceId: deviceId, expiresAt };
    const current = await this.#row('select device_id, expires_at from leases where tenant_id = $1', [tenantId]);
    return { held: false, holderDeviceId: (current?.device_id as string | undefined) ?? null, expiresAt: numberOrNull(current?.expires_at) };
  }

  async releaseLease(tenantId: string, deviceId: string) {
    await this.pool.query('delete from leases where tenant_id = $1 and device_id = $2', [tenantId, deviceId]);
  }

  async lease(tenantId: string, now: number): Promise<LeaseState> {
    const current = await this.#row('select device_id, expires_at from leases where tenant_id = $1', [tenantId]);
    if (!current || number(current.expires_at) <= now) return { held: false, holderDeviceId: null, expiresAt: null };
    return { held: true, holderDeviceId: current.device_id as string, expiresAt: number(current.expires_at) };
  }
}
