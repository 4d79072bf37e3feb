import Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationEvent, Cursor, EventBody, LoggedEvent } from '../../../shared/schemas/sync.js';
import type { ConversationState } from '../../../shared/sync/conversationState.js';
import { inboxProjector, listConversations } from '../../../electron/inbox/index.js';
import { SyncEngine, SyncStore } from '../../../electron/sync/index.js';
import { tenantMigrations } from '../../../electron/vault/migrations/index.js';
import { applyMigrations } from '../../../electron/vault/tenantDatabase.js';
import { SqliteRelayStorage } from '../../../relay/storage/sqliteRelayStorage.js';
import { InMemoryLogNotifier } from '../../../relay/sync/logNotifier.js';
import { RelayLog } from '../../../relay/sync/relayLog.js';
import { FakeScheduler, seededRandom } from './fakeScheduler.js';
import { FaultyTransport, type NetworkFaults } from './faultyTransport.js';

export interface SimulatedDesktop {
  name: string;
  database: Database.Database;
  store: SyncStore;
  transport: FaultyTransport;
  engine: SyncEngine;
  /** Cursor history, to check it never moves back within an epoch. */
  cursors: Cursor[];
}

/**
 * One relay (the real log on real SQLite) and several desktops (the real engine, store and inbox
 * projection on real SQLite), joined by faulty in-process networks on one fake clock.
 */
export class SimulatedWorld {
  readonly scheduler = new FakeScheduler();
  readonly random: () => number;
  readonly desktops: SimulatedDesktop[] = [];
  readonly tenantId = randomUUID();
  readonly sentExternalIds = new Set<string>();
  storage!: SqliteRelayStorage;
  log!: RelayLog;
  #directory = '';

  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }

  async start(): Promise<void> {
    this.#directory = await mkdtemp(join(tmpdir(), 'ares-simulation-'));
    this.storage = new SqliteRelayStorage(this.#directory);
    await this.storage.createTenant(
      { tenantId: this.tenantId, name: 'Simulated', widgetKey: `wk_${this.seed}_simulation`, autoReplyAfterSeconds: null, autoReplyText: 'later', createdAt: 0 },
      { operatorId: randomUUID(), tenantId: this.tenantId, email: `owner-${this.seed}@example.test`, name: 'Owner', role: 'owner', passwordHash: null, inviteCodeHash: null, inviteExpiresAt: null, createdAt: 0 },
      randomUUID(),
    );
    this.log = new RelayLog({ storage: this.storage, notifier: new InMemoryLogNotifier(), now: () => this.scheduler.now() });
  }

  addDesktop(name: string, faults: NetworkFaults): SimulatedDesktop {
    const database = new Database(':memory:');
    applyMigrations(database, tenantMigrations);
    const store = new SyncStore(database, inboxProjector, () => this.scheduler.now());
    const transport = new FaultyTransport({ log: this.log, tenantId: this.tenantId, author: { deviceId: randomUUID(), operatorName: name }, scheduler: this.scheduler, random: this.random, faults });
    const desktop: SimulatedDesktop = { name, database, store, transport, engine: this.#engine(store, transport), cursors: [] };
    this.desktops.push(desktop);
    desktop.engine.start();
    return desktop;
  }

  #engine(store: SyncStore, transport: FaultyTransport): SyncEngine {
    return new SyncEngine({ store, transport, scheduler: this.scheduler });
  }

  /** kill -9 of a desktop: its in-memory engine is gone; its database (committed transactions) stays. */
  restartDesktop(desktop: SimulatedDesktop): void {
    desktop.engine.stop();
    desktop.engine = this.#engine(desktop.store, desktop.transport);
    desktop.engine.start();
  }

  /** A customer message from a channel; `externalId` may repeat (a redelivered webhook). */
  async customerMessage(conversationId: string, externalId: string, text: string): Promise<void> {
    this.sentExternalIds.add(externalId);
    await this.log.appendInbound(this.tenantId, { channel: 'web', externalId, conversationId, customerLabel: `Visitor ${conversationId}`, text, occurredAt: this.scheduler.now() });
  }

  /** A staff action on a desktop: local change plus outbox in one transaction, then a push. */
  staffAction(desktop: SimulatedDesktop, conversationId: string, body: EventBody): ConversationEvent {
    const event: ConversationEvent = { eventId: randomUUID(), conversationId, occurredAt: this.scheduler.now(), body };
    desktop.store.recordLocal(event);
    desktop.engine.kick();
    return event;
  }

  knownConversations(desktop: SimulatedDesktop): string[] {
    return (desktop.database.prepare('select conversation_id as id from inbox_conversations').all() as { id: string }[]).map((row) => row.id);
  }

  confirmedStates(desktop: SimulatedDesktop): ConversationState[] {
    return (desktop.database.prepare('select state from inbox_conversations order by conversation_id').all() as { state: string }[]).map((row) => JSON.parse(row.state) as ConversationState);
  }

  displayed(desktop: SimulatedDesktop) {
    return listConversations(desktop.database, desktop.store.unconfirmedEvents());
  }

  async relayLog(): Promise<LoggedEvent[]> {
    const events: LoggedEvent[] = [];
    for (let after = 0; ; ) {
      const page = await this.storage.readLog(this.tenantId, after, 5000);
      if (page.length === 0) return events;
      events.push(...page);
      after = page.at(-1)!.seq;
    }
  }

  recordCursors(): void {
    for (const desktop of this.desktops) {
      const cursor = desktop.store.cursor();
      const last = desktop.cursors.at(-1);
      if (cursor && (!last || last.epoch !== cursor.epoch || last.seq !== cursor.seq)) desktop.cursors.push(cursor);
    }
  }

  async stop(): Promise<void> {
    for (const desktop of this.desktops) {
      desktop.engine.stop();
      desktop.database.close();
    }
    await this.storage.close();
    await rm(this.#directory, { recursive: true, force: true });
  }
}
