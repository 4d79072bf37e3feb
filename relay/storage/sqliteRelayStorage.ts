import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compiledStatements } from './compiledStatements.js';
import { applySynchronous, currentSynchronous, type SqliteSynchronous } from './sqliteSynchronous.js';
import { AresError } from '../../shared/errors.js';
import type { OperatorRole } from '../../shared/schemas/relayAccounts.js';
import { eventBodySchema, type LeaseState, type LoggedEvent } from '../../shared/schemas/sync.js';
import type { ConversationState } from '../../shared/sync/conversationState.js';
import { AsyncMutex } from './asyncMutex.js';
import { lastOwnerError, type AutoReplyCandidate, type DeviceRecord, type LogHead, type LogTransaction, type OperatorRecord, type RelayStorage, type TenantRecord, type VisitorRecord } from './relayStorage.js';
import { migrateRelayDatabase } from './sqliteSchema.js';

interface EventRow {
  seq: number;
  event_id: string;
  conversation_id: string;
  occurred_at: number;
  accepted_at: number;
  body: string;
}

interface OperatorRow {
  operator_id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  invite_code_hash: string | null;
  invite_expires_at: number | null;
  created_at: number;
}

interface DeviceRow {
  device_id: string;
  tenant_id: string;
  operator_id: string;
  name: string;
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
  collected_seq: number;
}

interface TenantRow {
  tenant_id: string;
  name: string;
  widget_key: string;
  auto_reply_after_seconds: number | null;
  auto_reply_text: string;
  created_at: number;
}

const toEvent = (row: EventRow): LoggedEvent => ({
  seq: row.seq,
  eventId: row.event_id,
  conversationId: row.conversation_id,
  occurredAt: row.occurred_at,
  acceptedAt: row.accepted_at,
  // Rows were validated on the way in; parsing again here would double the cost of every catch-up.
  body: JSON.parse(row.body) as LoggedEvent['body'],
});

const toOperator = (row: OperatorRow): OperatorRecord => ({
  operatorId: row.operator_id,
  tenantId: row.tenant_id,
  email: row.email,
  name: row.name,
  role: row.role as OperatorRole,
  passwordHash: row.password_hash,
  inviteCodeHash: row.invite_code_hash,
  inviteExpiresAt: row.invite_expires_at,
  createdAt: row.created_at,
});

const toDevice = (row: DeviceRow): DeviceRecord => ({
  deviceId: row.device_id,
  tenantId: row.tenant_id,
  operatorId: row.operator_id,
  name: row.name,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  revokedAt: row.revoked_at,
  collectedSeq: row.collected_seq,
});

const toTenant = (row: TenantRow): TenantRecord => ({
  tenantId: row.tenant_id,
  name: row.name,
  widgetKey: row.widget_key,
  autoReplyAfterSeconds: row.auto_reply_after_seconds,
  autoReplyText: row.auto_reply_text,
  createdAt: row.created_at,
});

/**
 * The default relay storage: one SQLite file, one connection. better-sqlite3 is synchronous, but
 * the interface is async (for PostgreSQL), so every call runs under one mutex: an async
 * transaction must never let another call read its uncommitted rows on the shared connection.
 */
export class SqliteRelayStorage implements RelayStorage {
  readonly kind = 'sqlite';
  readonly #database: Database.Database;
  readonly #mutex = new AsyncMutex();
  readonly #statements;

  constructor(dataDirectory: string, options: { synchronous?: SqliteSynchronous } = {}) {
    mkdirSync(dataDirectory, { recursive: true });
    this.#database = new Database(join(dataDirectory, 'relay.db'));
    this.#prepare = compiledStatements(this.#database);
    this.#database.pragma('journal_mode = WAL');
    applySynchronous(this.#database, options.synchronous ?? 'full');
    this.#database.pragma('foreign_keys = ON');
    this.#database.pragma('busy_timeout = 5000');
    migrateRelayDatabase(this.#database);
    const d = this.#database;
    this.#statements = {
      head: d.prepare('select epoch, head_seq as headSeq, pruned_through_seq as prunedThroughSeq from log_heads where tenant_id = ?'),
      setHead: d.prepare('update log_heads set head_seq = ? where tenant_id = ?'),
      lastMutation: d.prepare('select last_mutation_id as id from clients where tenant_id = ? and client_id = ?'),
      setLastMutation: d.prepare(
        'insert into clients (tenant_id, client_id, device_id, last_mutation_id) values (?, ?, ?, ?) on conflict (tenant_id, client_id) do update set last_mutation_id = excluded.last_mutation_id, device_id = excluded.device_id',
      ),
      hasEvent: d.prepare('select 1 from events where tenant_id = ? and event_id = ?'),
      insertEvent: d.prepare('insert into events (tenant_id, seq, event_id, conversation_id, occurred_at, accepted_at, body) values (?, ?, ?, ?, ?, ?, ?)'),
      conversation: d.prepare('select state from conversations where tenant_id = ? and conversation_id = ?'),
      saveConversation: d.prepare(
        'insert into conversations (tenant_id, conversation_id, state, unanswered_since_seq, auto_replied) values (?, ?, ?, ?, ?) on conflict (tenant_id, conversation_id) do update set state = excluded.state, unanswered_since_seq = excluded.unanswered_since_seq, auto_replied = excluded.auto_replied',
      ),
      claimChannel: d.prepare('insert into channel_messages (tenant_id, channel, external_id) values (?, ?, ?) on conflict do nothing'),
      readLog: d.prepare('select seq, event_id, conversation_id, occurred_at, accepted_at, body from events where tenant_id = ? and seq > ? order by seq limit ?'),
      readConversationLog: d.prepare(
        'select seq, event_id, conversation_id, occurred_at, accepted_at, body from events where tenant_id = ? and conversation_id = ? and seq > ? order by seq limit ?',
      ),
    };
  }

  readonly #prepare: (sql: string) => Database.Statement;

  #exclusive<T>(work: () => T): Promise<T> {
    return this.#mutex.run(work);
  }

  async health(): Promise<boolean> {
    try {
      return await this.#exclusive(() => this.#prepare('select 1 as ok').get() !== undefined);
    } catch {
      return false;
    }
  }

  /** How commits reach the disk on this connection (see `RELAY_SQLITE_SYNCHRONOUS`). */
  synchronous(): SqliteSynchronous | 'other' {
    return currentSynchronous(this.#database);
  }

  async close(): Promise<void> {
    await this.#exclusive(() => this.#database.close());
  }

  createTenant(tenant: TenantRecord, owner: OperatorRecord, epoch: string): Promise<void> {
    return this.#exclusive(() => {
      this.#database.transaction(() => {
        if (this.#prepare('select 1 from operators where email = ?').get(owner.email)) {
          throw new AresError('CONFLICT', 'An account with this email already exists on this relay.');
        }
        this.#prepare('insert into tenants (tenant_id, name, widget_key, auto_reply_after_seconds, auto_reply_text, created_at) values (?, ?, ?, ?, ?, ?)')
          .run(tenant.tenantId, tenant.name, tenant.widgetKey, tenant.autoReplyAfterSeconds, tenant.autoReplyText, tenant.createdAt);
        this.#insertOperator(owner);
        this.#prepare('insert into log_heads (tenant_id, epoch, head_seq, pruned_through_seq) values (?, ?, 0, 0)').run(tenant.tenantId, epoch);
      })();
    });
  }

  #insertOperator(operator: OperatorRecord): void {
    this.#prepare(
        'insert into operators (operator_id, tenant_id, email, name, role, password_hash, invite_code_hash, invite_expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        operator.operatorId,
        operator.tenantId,
        operator.email,
        operator.name,
        operator.role,
        operator.passwordHash,
        operator.inviteCodeHash,
        operator.inviteExpiresAt,
        operator.createdAt,
      );
  }

  tenant(tenantId: string): Promise<TenantRecord | null> {
    return this.#exclusive(() => {
      const row = this.#prepare('select * from tenants where tenant_id = ?').get(tenantId) as TenantRow | undefined;
      return row ? toTenant(row) : null;
    });
  }

  tenantByWidgetKey(widgetKey: string): Promise<TenantRecord | null> {
    return this.#exclusive(() => {
      const row = this.#prepare('select * from tenants where widget_key = ?').get(widgetKey) as TenantRow | undefined;
      return row ? toTenant(row) : null;
    });
  }

  updateTenantSettings(tenantId: string, settings: { autoReplyAfterSeconds: number | null; autoReplyText: string }): Promise<void> {
    return this.#exclusive(() => {
      this.#prepare('update tenants set auto_reply_after_seconds = ?, auto_reply_text = ? where tenant_id = ?')
        .run(settings.autoReplyAfterSeconds, settings.autoReplyText, tenantId);
    });
  }

  operatorByEmail(email: string): Promise<OperatorRecord | null> {
    return this.#exclusive(() => {
      const row = this.#prepare('select * from operators where email = ? and removed_at is null').get(email) as OperatorRow | undefined;
      return row ? toOperator(row) : null;
    });
  }

  operator(tenantId: string, operatorId: string): Promise<OperatorRecord | null> {
    return this.#exclusive(() => {
      const row = this.#prepare('select * from operators where tenant_id = ? and operator_id = ? and removed_at is null')
        .get(tenantId, operatorId) as OperatorRow | undefined;
      return row ? toOperator(row) : null;
    });
  }

  operators(tenantId: string): Promise<OperatorRecord[]> {
    return this.#exclusive(() =>
      (this.#prepare('select * from operators where tenant_id = ? and removed_at is null order by created_at').all(tenantId) as OperatorRow[]).map(toOperator),
    );
  }

  createOperator(operator: OperatorRecord): Promise<void> {
    return this.#exclusive(() => {
      if (this.#prepare('select 1 from operators where email = ?').get(operator.email)) {
        throw new AresError('CONFLICT', 'An account with this email already exists on this relay.');
      }
      this.#insertOperator(operator);
    });
  }

  operatorByInviteCodeHash(inviteCodeHash: string): Promise<OperatorRecord | null> {
    return this.#exclusive(() => {
      const row = this.#prepare('select * from operators where invite_code_hash = ? and removed_at is null')
        .get(inviteCodeHash) as OperatorRow | undefined;
      return row ? toOperator(row) : null;
    });
  }

  acceptInvitation(tenantId: string, operatorId: string, name: string, passwordHash: string): Promise<void> {
    return this.#exclusive(() => {
      this.#prepare('update operators set name = ?, password_hash = ?, invite_code_hash = null, invite_expires_at = null where tenant_id = ? and operator_id = ?')
        .run(name, passwordHash, tenantId, operatorId);
    });
  }

  removeOperator(tenantId: string, operatorId: string, at: number): Promise<boolean> {
    return this.#exclusive(() =>
      this.#database.transaction(() => {
        const owners = this.#prepare("select operator_id from operators where tenant_id = ? and role = 'owner' and removed_at is null").all(tenantId) as { operator_id: string }[];
        if (owners.length === 1 && owners[0]!.operator_id === operatorId) throw lastOwnerError();
        const changed = this.#prepare("update operators set removed_at = ?, email = email || '#removed-' || operator_id where tenant_id = ? and operator_id = ? and removed_at is null")
          .run(at, tenantId, operatorId).changes;
        this.#prepare('update devices set revoked_at = ? where tenant_id = ? and operator_id = ? and revoked_at is null').run(at, tenantId, operatorId);
        return changed > 0;
      })(),
    );
  }

  createDevice(device: DeviceRecord, tokenHash: string): Promise<void> {
    return this.#exclusive(() => {
      this.#prepare(
          'insert into devices (device_id, tenant_id, operator_id, name, token_hash, created_at, last_seen_at, revoked_at, collected_seq) values (?, ?, ?, ?, ?, ?, ?, null, 0)',
        )
        .run(device.deviceId, device.tenantId, device.operatorId, device.name, tokenHash, device.createdAt, device.lastSeenAt);
    });
  }

  deviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null> {
    return this.#exclusive(() => {
      const row = this.#prepare('select * from devices where token_hash = ?').get(tokenHash) as DeviceRow | undefined;
      return row ? toDevice(row) : null;
    });
  }

  devices(tenantId: string): Promise<DeviceRecord[]> {
    return this.#exclusive(() =>
      (this.#prepare('select * from devices where tenant_id = ? order by created_at').all(tenantId) as DeviceRow[]).map(toDevice),
    );
  }

  revokeDevice(tenantId: string, deviceId: string, at: number): Promise<boolean> {
    return this.#exclusive(
      () =>
        this.#prepare('update devices set revoked_at = ? where tenant_id = ? and device_id = ? and revoked_at is null').run(at, tenantId, deviceId).changes > 0,
    );
  }

  touchDevice(tenantId: string, deviceId: string, at: number): Promise<void> {
    return this.#exclusive(() => {
      this.#prepare('update devices set last_seen_at = ? where tenant_id = ? and device_id = ?').run(at, tenantId, deviceId);
    });
  }

  recordCollected(tenantId: string, deviceId: string, seq: number): Promise<void> {
    return this.#exclusive(() => {
      this.#prepare('update devices set collected_seq = max(collected_seq, ?) where tenant_id = ? and device_id = ?').run(seq, tenantId, deviceId);
    });
  }

  createVisitor(visitor: VisitorRecord, tokenHash: string): Promise<void> {
    return this.#exclusive(() => {
      this.#prepare('insert into visitors (visitor_id, tenant_id, conversation_id, token_hash, created_at) values (?, ?, ?, ?, ?)')
        .run(visitor.visitorId, visitor.tenantId, visitor.conversationId, tokenHash, visitor.createdAt);
    });
  }

  visitorByTokenHash(tokenHash: string): Promise<VisitorRecord | null> {
    return this.#exclusive(() => {
      const row = this.#prepare('select visitor_id as visitorId, tenant_id as tenantId, conversation_id as conversationId, created_at as createdAt from visitors where token_hash = ?')
        .get(tokenHash) as VisitorRecord | undefined;
      return row ?? null;
    });
  }

  #head(tenantId: string): LogHead {
    const head = this.#statements.head.get(tenantId) as LogHead | undefined;
    if (!head) throw new AresError('NOT_FOUND', 'This tenant has no log on the relay.');
    return head;
  }

  head(tenantId: string): Promise<LogHead> {
    return this.#exclusive(() => this.#head(tenantId));
  }

  readLog(tenantId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    return this.#exclusive(() => (this.#statements.readLog.all(tenantId, afterSeq, limit) as EventRow[]).map(toEvent));
  }

  readConversationLog(tenantId: string, conversationId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    return this.#exclusive(() => (this.#statements.readConversationLog.all(tenantId, conversationId, afterSeq, limit) as EventRow[]).map(toEvent));
  }

  conversations(tenantId: string): Promise<ConversationState[]> {
    return this.#exclusive(() =>
      (this.#prepare('select state from conversations where tenant_id = ? order by conversation_id').all(tenantId) as { state: string }[]).map(
        (row) => JSON.parse(row.state) as ConversationState,
      ),
    );
  }

  transaction<T>(tenantId: string, work: (transaction: LogTransaction) => Promise<T>): Promise<T> {
    const s = this.#statements;
    const transaction: LogTransaction = {
      head: async () => this.#head(tenantId),
      lastMutationId: async (clientId) => (s.lastMutation.get(tenantId, clientId) as { id: number } | undefined)?.id ?? null,
      setLastMutationId: async (clientId, deviceId, mutationId) => {
        s.setLastMutation.run(tenantId, clientId, deviceId, mutationId);
      },
      hasEvent: async (eventId) => s.hasEvent.get(tenantId, eventId) !== undefined,
      conversation: async (conversationId) => {
        const row = s.conversation.get(tenantId, conversationId) as { state: string } | undefined;
        return row ? (JSON.parse(row.state) as ConversationState) : null;
      },
      insertEvent: async (event) => {
        eventBodySchema.parse(event.body);
        s.insertEvent.run(tenantId, event.seq, event.eventId, event.conversationId, event.occurredAt, event.acceptedAt, JSON.stringify(event.body));
      },
      setHeadSeq: async (seq) => {
        s.setHead.run(seq, tenantId);
      },
      saveConversation: async (state) => {
        s.saveConversation.run(tenantId, state.conversationId, JSON.stringify(state), state.unansweredSinceSeq, state.autoReplied ? 1 : 0);
      },
      claimChannelMessage: async (channel, externalId) => s.claimChannel.run(tenantId, channel, externalId).changes > 0,
    };
    return this.#mutex.run(async () => {
      this.#database.exec('begin immediate');
      try {
        const result = await work(transaction);
        this.#database.exec('commit');
        return result;
      } catch (error) {
        if (this.#database.inTransaction) this.#database.exec('rollback');
        throw error;
      }
    });
  }

  autoReplyCandidates(now: number, limit: number): Promise<AutoReplyCandidate[]> {
    return this.#exclusive(
      () =>
        this.#prepare(
            `select c.tenant_id as tenantId, c.conversation_id as conversationId, t.auto_reply_text as autoReplyText
             from conversations c
             join tenants t on t.tenant_id = c.tenant_id
             join events e on e.tenant_id = c.tenant_id and e.seq = c.unanswered_since_seq
             where c.unanswered_since_seq is not null and c.auto_replied = 0
               and t.auto_reply_after_seconds is not null
               and e.accepted_at <= ? - t.auto_reply_after_seconds * 1000
               and not exists (select 1 from devices d where d.tenant_id = c.tenant_id and d.revoked_at is null and d.collected_seq >= c.unanswered_since_seq)
             limit ?`,
          )
          .all(now, limit) as AutoReplyCandidate[],
    );
  }

  resetLog(tenantId: string, epoch: string): Promise<void> {
    return this.#exclusive(() =>
      this.#database.transaction(() => {
        this.#prepare('delete from events where tenant_id = ?').run(tenantId);
        this.#prepare('delete from conversations where tenant_id = ?').run(tenantId);
        this.#prepare('delete from clients where tenant_id = ?').run(tenantId);
        this.#prepare('delete from channel_messages where tenant_id = ?').run(tenantId);
        this.#prepare('update devices set collected_seq = 0 where tenant_id = ?').run(tenantId);
        this.#prepare('update log_heads set epoch = ?, head_seq = 0, pruned_through_seq = 0 where tenant_id = ?').run(epoch, tenantId);
      })(),
    );
  }

  pruneThrough(tenantId: string, seq: number): Promise<void> {
    return this.#exclusive(() =>
      this.#database.transaction(() => {
        this.#prepare('delete from events where tenant_id = ? and seq <= ?').run(tenantId, seq);
        this.#prepare('update log_heads set pruned_through_seq = max(pruned_through_seq, ?) where tenant_id = ?').run(seq, tenantId);
      })(),
    );
  }

  acquireLease(tenantId: string, deviceId: string, now: number, ttlMilliseconds: number): Promise<LeaseState> {
    return this.#exclusive(() =>
      this.#database.transaction((): LeaseState => {
        const current = this.#prepare('select device_id as deviceId, expires_at as expiresAt from leases where tenant_id = ?').get(tenantId) as
          | { deviceId: string; expiresAt: number }
          | undefined;
        if (current && current.deviceId !== deviceId && current.expiresAt > now) {
          return { held: false, holderDeviceId: current.deviceId, expiresAt: current.expiresAt };
        }
        const expiresAt = now + ttlMilliseconds;
        this.#prepare('insert into leases (tenant_id, device_id, expires_at) values (?, ?, ?) on conflict (tenant_id) do update set device_id = excluded.device_id, expires_at = excluded.expires_at')
          .run(tenantId, deviceId, expiresAt);
        return { held: true, holderDeviceId: deviceId, expiresAt };
      })(),
    );
  }

  releaseLease(tenantId: string, deviceId: string): Promise<void> {
    return this.#exclusive(() => {
      this.#prepare('delete from leases where tenant_id = ? and device_id = ?').run(tenantId, deviceId);
    });
  }

  lease(tenantId: string, now: number): Promise<LeaseState> {
    return this.#exclusive(() => {
      const current = this.#prepare('select device_id as deviceId, expires_at as expiresAt from leases where tenant_id = ?').get(tenantId) as
        | { deviceId: string; expiresAt: number }
        | undefined;
      if (!current || current.expiresAt <= now) return { held: false, holderDeviceId: null, expiresAt: null };
      return { held: true, holderDeviceId: current.deviceId, expiresAt: current.expiresAt };
    });
  }
}
