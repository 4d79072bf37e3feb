/**
 * What a desktop pays to apply live pages of customer messages (issue 4): the real SyncStore and
 * inbox projector on a tenant's SQLCipher database, with the same schema on plain SQLite as the
 * floor. No network: this is the desktop's share of the 1,000 msg/s latency phase.
 *
 *   npx tsx bench/syncApply.ts [--events 3000]
 *
 * Prints one JSON object per database and page size: CPU and wall milliseconds per page and per event.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoggedEvent } from '../shared/schemas/sync.js';
import { inboxProjector } from '../electron/inbox/index.js';
import { SyncStore } from '../electron/sync/index.js';
import { timeOrderedId } from '../shared/timeOrderedId.js';
import { tenantMigrations } from '../electron/vault/migrations/index.js';
import { applyMigrations, openTenantDatabase, type TenantDatabase } from '../electron/vault/tenantDatabase.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '3000' } } });
const eventCount = Number(values.events);
const conversations = 50;
const visitorIds = Array.from({ length: conversations }, () => randomUUID());

function plainDatabase(folder: string): TenantDatabase {
  const database = new Database(join(folder, 'plain.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  applyMigrations(database, tenantMigrations);
  return database;
}

async function measure(kind: 'sqlcipher' | 'plain', eventsPerPage: number) {
  const folder = await mkdtemp(join(tmpdir(), 'ares-bench-apply-'));
  const database = kind === 'plain' ? plainDatabase(folder) : openTenantDatabase(folder, randomBytes(32));
  const store = new SyncStore(database, inboxProjector);
  store.startAt({ epoch: 'bench', seq: 0 });
  let seq = 0;
  const customerMessage = (index: number): LoggedEvent => {
    seq += 1;
    // As the relay writes them: a time-ordered event id; the widget's message id is the visitor's id and a random client id.
    const body = { type: 'customer.message', messageId: `web:${visitorIds[index % conversations]}:${randomUUID()}`, channel: 'web', customerLabel: `Visitor ${index % conversations}`, text: `bench message ${seq}: where is my order?` } as const;
    return { eventId: timeOrderedId(), conversationId: `conversation-${index % conversations}`, occurredAt: Date.now(), acceptedAt: Date.now(), seq, body };
  };
  const pages = Math.ceil(eventCount / eventsPerPage);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let page = 0; page < pages; page += 1) {
    const fromSeq = seq;
    const events = Array.from({ length: eventsPerPage }, (_, index) => customerMessage(page * eventsPerPage + index));
    const outcome = store.applyPage({ kind: 'events', epoch: 'bench', fromSeq, throughSeq: seq, headSeq: seq, events });
    if (outcome !== 'applied') throw new Error(`page ${page} was ${outcome}`);
  }
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMilliseconds = (cpu.user + cpu.system) / 1000;
  database.close();
  await rm(folder, { recursive: true, force: true });
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return { database: kind, eventsPerPage, pages, cpuMillisecondsPerPage: round(cpuMilliseconds / pages), cpuMillisecondsPerEvent: round(cpuMilliseconds / (pages * eventsPerPage)), wallMillisecondsPerPage: round(wall / pages) };
}

for (const kind of ['sqlcipher', 'plain'] as const) {
  for (const eventsPerPage of [1, 10, 100]) {
    process.stdout.write(`${JSON.stringify({ phase: 'apply', ...(await measure(kind, eventsPerPage)), loadAverage: +loadavg()[0]!.toFixed(2) })}\n`);
  }
}
