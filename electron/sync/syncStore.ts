import { randomUUID } from 'node:crypto';
import type { ConversationEvent, Cursor, EventPage, LoggedEvent, Mutation, MutationResult } from '../../shared/schemas/sync.js';
import type { TenantDatabase } from '../vault/index.js';
import { prepared } from './preparedStatements.js';
import type { SyncProjector } from './syncProjector.js';

export interface RelayConnection {
  relayUrl: string;
  deviceToken: string;
  deviceId: string;
  tenantId: string;
  tenantName: string;
  operatorName: string;
  role: string;
  widgetKey: string;
  connectedAt: number;
}

export type PageOutcome = 'applied' | 'gap' | 'stale';

/**
 * The desktop's sync state in the encrypted tenant database: connection, cursor, outbox and the
 * events already seen. Every method that changes more than one table does it in one transaction.
 */
export class SyncStore {
  readonly database: TenantDatabase;
  readonly #projector: SyncProjector;
  readonly #now: () => number;
  /** How the database commits changes made here (the tenant database: FULL); pages from the relay use NORMAL. */
  readonly #ownSynchronous: number;

  constructor(database: TenantDatabase, projector: SyncProjector, now: () => number = Date.now) {
    this.database = database;
    this.#ownSynchronous = database.pragma('synchronous', { simple: true }) as number;
    this.#projector = projector;
    this.#now = now;
  }

  connection(): RelayConnection | null {
    const row = prepared(this.database, 'select relay_url as relayUrl, device_token as deviceToken, device_id as deviceId, tenant_id as tenantId, tenant_name as tenantName, operator_name as operatorName, role, widget_key as widgetKey, connected_at as connectedAt from sync_connection where id = 1',
      )
      .get() as RelayConnection | undefined;
    return row ?? null;
  }

  saveConnection(connection: RelayConnection): void {
    prepared(this.database, `insert into sync_connection (id, relay_url, device_token, device_id, tenant_id, tenant_name, operator_name, role, widget_key, connected_at)
         values (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set relay_url = excluded.relay_url, device_token = excluded.device_token, device_id = excluded.device_id,
           tenant_id = excluded.tenant_id, tenant_name = excluded.tenant_name, operator_name = excluded.operator_name, role = excluded.role,
           widget_key = excluded.widget_key, connected_at = excluded.connected_at`,
      )
      .run(
        connection.relayUrl,
        connection.deviceToken,
        connection.deviceId,
        connection.tenantId,
        connection.tenantName,
        connection.operatorName,
        connection.role,
        connection.widgetKey,
        connection.connectedAt,
      );
  }

  clearConnection(): void {
    prepared(this.database, 'delete from sync_connection').run();
  }

  /** This database's client id at the relay; mutation ids count up from 1 per client. */
  clientId(): string {
    const row = prepared(this.database, 'select client_id as clientId from sync_client where id = 1').get() as { clientId: string } | undefined;
    if (row) return row.clientId;
    const clientId = randomUUID();
    prepared(this.database, 'insert into sync_client (id, client_id, last_mutation_id) values (1, ?, 0)').run(clientId);
    return clientId;
  }

  /** The change and its outbox entry in one transaction: a crash keeps both or neither. */
  recordLocal(event: ConversationEvent): number {
    return this.database.transaction(() => {
      this.clientId();
      prepared(this.database, 'update sync_client set last_mutation_id = last_mutation_id + 1 where id = 1').run();
      const { id } = prepared(this.database, 'select last_mutation_id as id from sync_client where id = 1').get() as { id: number };
      prepared(this.database, 'insert into sync_outbox (mutation_id, event_id, event, created_at) values (?, ?, ?, ?)').run(id, event.eventId, JSON.stringify(event), this.#now());
      prepared(this.database, "insert into sync_events (event_id, conversation_id, seq, state, local, event) values (?, ?, null, 'pending', 1, ?)")
        .run(event.eventId, event.conversationId, JSON.stringify(event));
      this.#projector.applyLocal(this.database, event);
      return id;
    })();
  }

  outbox(limit: number): Mutation[] {
    const rows = prepared(this.database, 'select mutation_id as mutationId, event from sync_outbox order by mutation_id limit ?').all(limit) as { mutationId: number; event: string }[];
    return rows.map((row) => ({ mutationId: row.mutationId, event: JSON.parse(row.event) as ConversationEvent }));
  }

  pendingCount(): number {
    return (prepared(this.database, 'select count(*) as count from sync_outbox').get() as { count: number }).count;
  }

  /** Entries leave the outbox only once the relay said they are done (applied, duplicate or rejected). */
  settle(results: MutationResult[]): void {
    this.database.transaction(() => {
      for (const result of results) {
        const row = prepared(this.database, 'select event_id as eventId from sync_outbox where mutation_id = ?').get(result.mutationId) as { eventId: string } | undefined;
        if (!row) continue;
        prepared(this.database, 'delete from sync_outbox where mutation_id = ?').run(result.mutationId);
        if (result.status === 'rejected') {
          prepared(this.database, "update sync_events set state = 'rejected' where event_id = ? and state != 'applied'").run(row.eventId);
          this.#projector.markRejected(this.database, row.eventId);
        } else {
          const seq = result.status === 'applied' ? result.seq : null;
          prepared(this.database, "update sync_events set state = 'acked', seq = coalesce(?, seq) where event_id = ? and state = 'pending'").run(seq, row.eventId);
        }
      }
    })();
  }

  cursor(): Cursor | null {
    const row = prepared(this.database, 'select epoch, seq from sync_cursor where id = 1').get() as Cursor | undefined;
    return row ?? null;
  }

  lastSyncedAt(): number | null {
    const row = prepared(this.database, 'select last_synced_at as at from sync_cursor where id = 1').get() as { at: number | null } | undefined;
    return row?.at ?? null;
  }

  /**
   * Applies one page in one transaction. Events already seen (by eventId) or at or below the cursor
   * are skipped, so overlapping or repeated pages change nothing; a page that starts past the
   * cursor is a gap and is not applied at all. The cursor only moves forward.
   */
  applyPage(page: EventPage): PageOutcome {
    return this.#withoutWaitingForDisk(() => this.#applyPageNow(page));
  }

  #applyPageNow(page: EventPage): PageOutcome {
    return this.database.transaction((): PageOutcome => {
      const cursor = this.cursor();
      if (!cursor || cursor.epoch !== page.epoch) return 'stale';
      if (page.fromSeq > cursor.seq) return 'gap';
      if (page.throughSeq <= cursor.seq) {
        // Nothing new, and the relay says there is nothing more: this desktop is in step as of now.
        if (page.headSeq <= cursor.seq) prepared(this.database, 'update sync_cursor set last_synced_at = ? where id = 1').run(this.#now());
        return 'applied';
      }
      for (const event of page.events) {
        if (event.seq <= cursor.seq) continue;
        this.#applyConfirmed(event);
      }
      prepared(this.database, 'update sync_cursor set seq = ?, last_synced_at = ? where id = 1').run(page.throughSeq, this.#now());
      return 'applied';
    })();
  }

  /**
   * Commits without waiting for the disk. Only for what the relay's log still holds: a power cut
   * can then undo the last pages, but never half of one, and the cursor goes back with them, so
   * the next pull fetches them again. Changes made on this desktop keep the database's own setting.
   */
  #withoutWaitingForDisk<T>(apply: () => T): T {
    prepared(this.database, 'pragma synchronous = NORMAL').run();
    try {
      return apply();
    } finally {
      prepared(this.database, `pragma synchronous = ${this.#ownSynchronous}`).run();
    }
  }

  #applyConfirmed(event: LoggedEvent): void {
    const json = JSON.stringify(event);
    // Most events are new to this desktop (catch-up, other people's changes): one statement for them.
    const inserted =
      prepared(this.database, "insert into sync_events (event_id, conversation_id, seq, state, local, event) values (?, ?, ?, 'applied', 0, ?) on conflict (event_id) do nothing")
        .run(event.eventId, event.conversationId, event.seq, json).changes > 0;
    if (!inserted) {
      const existing = prepared(this.database, 'select state from sync_events where event_id = ?').get(event.eventId) as { state: string } | undefined;
      if (existing?.state === 'applied') return;
      prepared(this.database, "update sync_events set state = 'applied', seq = ?, event = ? where event_id = ?").run(event.seq, json, event.eventId);
    }
    if (event.body.type === 'conversation.rejected') {
      const changed = prepared(this.database, "update sync_events set state = 'rejected' where event_id = ? and local = 1 and state in ('pending', 'acked')").run(event.body.rejectedEventId).changes;
      if (changed > 0) this.#projector.markRejected(this.database, event.body.rejectedEventId);
    }
    this.#projector.applyConfirmed(this.database, event);
  }

  /** First contact with a log: start at its beginning (or where it still starts, if pruned). */
  startAt(restartFrom: Cursor): void {
    prepared(this.database, 'insert into sync_cursor (id, epoch, seq, last_synced_at) values (1, ?, ?, null) on conflict (id) do update set epoch = excluded.epoch, seq = excluded.seq').run(restartFrom.epoch, restartFrom.seq);
  }

  /**
   * Full resync: drop everything that came from the log and start again at `restartFrom`. Changes
   * of this desktop that the new log does not have yet go back into the outbox, so none is lost.
   */
  resync(restartFrom: Cursor, reason: 'epoch' | 'pruned'): void {
    this.database.transaction(() => {
      this.#projector.reset(this.database);
      prepared(this.database, "delete from sync_events where state = 'applied' and local = 0").run();
      const requeued = new Set<string>();
      if (reason === 'epoch') {
        const unsent = prepared(this.database, "select event_id as eventId, event from sync_events where local = 1 and state in ('acked', 'applied') order by coalesce(seq, 0)")
          .all() as { eventId: string; event: string }[];
        for (const row of unsent) {
          const event = JSON.parse(row.event) as LoggedEvent;
          const original: ConversationEvent = { eventId: event.eventId, conversationId: event.conversationId, occurredAt: event.occurredAt, body: event.body };
          prepared(this.database, 'delete from sync_events where event_id = ?').run(row.eventId);
          this.recordLocal(original);
          requeued.add(row.eventId);
        }
      } else {
        prepared(this.database, "delete from sync_events where state = 'applied'").run();
      }
      for (const row of prepared(this.database, "select event_id as eventId, event from sync_events where state in ('pending', 'acked') order by rowid").all() as { eventId: string; event: string }[]) {
        if (!requeued.has(row.eventId)) this.#projector.applyLocal(this.database, JSON.parse(row.event) as ConversationEvent);
      }
      this.startAt(restartFrom);
    })();
  }

  /** Local changes that the log has not confirmed yet, oldest first (for showing state no older than them). */
  unconfirmedEvents(conversationId?: string): ConversationEvent[] {
    const rows = (
      conversationId
        ? prepared(this.database, "select event from sync_events where conversation_id = ? and state in ('pending', 'acked') order by rowid").all(conversationId)
        : prepared(this.database, "select event from sync_events where state in ('pending', 'acked') order by rowid").all()
    ) as { event: string }[];
    return rows.map((row) => JSON.parse(row.event) as ConversationEvent);
  }
}
