/**
 * What a desktop pays to apply live pages of customer messages (issue 4): the real SyncStore and
 * inbox projector on a tenant's SQLCipher database, with the same schema on plain SQLite as the
 * floor. No network: this is the desktop's share of the 1,000 msg/s latency phase.
 *
 *   npx tsx bench/syncApply.ts [--events 3000] [--preload 10000] [--page-sizes 1,10,100]
 *
 * `--preload` events are applied first (in pages of 10, not measured): what a page costs depends
 * on how large the indexes it writes into already are. Prints one JSON object per database and
 * page size (`apply`: CPU and wall milliseconds per page and per event), then, on plain SQLite,
 * the WAL pages one commit writes per structure (`walPages`: the pages SQLCipher would encrypt,
 * authenticate and later checkpoint; counted from the WAL file, so the same on every run).
 * `--page-sizes` sets the events per page, i.e. per transaction: 10 for a live page at
 * 1,000 msg/s, more when a desktop falls behind and applies what has queued at once.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '3000' },
    preload: { type: 'string', default: '10000' },
    'page-sizes': { type: 'string', default: '1,10,100' },
  },
});
const pageSizes = values['page-sizes'].split(',').map(Number);
if (pageSizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error('--page-sizes takes whole numbers of events, e.g. 1,10,100');
const eventCount = Number(values.events);
const preloadCount = Number(values.preload);
const conversations = 50;
const visitorIds = Array.from({ length: conversations }, () => randomUUID());
const round = (value: number) => Math.round(value * 1000) / 1000;

function plainDatabase(folder: string): TenantDatabase {
  const database = new Database(join(folder, 'plain.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('secure_delete = ON');
  applyMigrations(database, tenantMigrations);
  return database;
}

/** A tenant database with a sync store at seq 0 and a writer of pages of customer messages, as the relay sends them. */
async function syncedTenant(kind: 'sqlcipher' | 'plain') {
  const folder = await mkdtemp(join(tmpdir(), 'ares-bench-apply-'));
  const database = kind === 'plain' ? plainDatabase(folder) : openTenantDatabase(folder, randomBytes(32));
  const store = new SyncStore(database, inboxProjector);
  store.startAt({ epoch: 'bench', seq: 0 });
  let seq = 0;
  const customerMessage = (): LoggedEvent => {
    seq += 1;
    const conversation = seq % conversations;
    // As the relay writes them: a time-ordered event id; the widget's message id is the visitor's id and a random client id.
    const body = { type: 'customer.message', messageId: `web:${visitorIds[conversation]}:${randomUUID()}`, channel: 'web', customerLabel: `Visitor ${conversation}`, text: `bench message ${seq}: where is my order?` } as const;
    return { eventId: timeOrderedId(), conversationId: `conversation-${conversation}`, occurredAt: Date.now(), acceptedAt: Date.now(), seq, body };
  };
  const applyPage = (eventsPerPage: number) => {
    const fromSeq = seq;
    const events = Array.from({ length: eventsPerPage }, customerMessage);
    const outcome = store.applyPage({ kind: 'events', epoch: 'bench', fromSeq, throughSeq: seq, headSeq: seq, events });
    if (outcome !== 'applied') throw new Error(`a page was ${outcome}`);
  };
  for (let preloaded = 0; preloaded < preloadCount; preloaded += 10) applyPage(10);
  return {
    database,
    applyPage,
    file: join(folder, kind === 'plain' ? 'plain.db' : 'tenant.db'),
    async remove() {
      database.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

async function measureApply(kind: 'sqlcipher' | 'plain', eventsPerPage: number) {
  const tenant = await syncedTenant(kind);
  const pages = Math.ceil(eventCount / eventsPerPage);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let page = 0; page < pages; page += 1) tenant.applyPage(eventsPerPage);
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMilliseconds = (cpu.user + cpu.system) / 1000;
  await tenant.remove();
  return { database: kind, eventsPerPage, pages, cpuMillisecondsPerPage: round(cpuMilliseconds / pages), cpuMillisecondsPerEvent: round(cpuMilliseconds / (pages * eventsPerPage)), wallMillisecondsPerPage: round(wall / pages) };
}

/** WAL frames of `pages` commits, each attributed to the table or index that owns the page (SQLite's dbstat). */
async function countWalPages(eventsPerPage: number) {
  const pages = 50;
  const tenant = await syncedTenant('plain');
  tenant.database.pragma('wal_checkpoint(TRUNCATE)');
  tenant.database.pragma('wal_autocheckpoint = 0');
  for (let page = 0; page < pages; page += 1) tenant.applyPage(eventsPerPage);
  const wal = readFileSync(`${tenant.file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const owners = new Map((tenant.database.prepare('select pageno, name from dbstat').raw().all() as [number, string][]).map(([pageNumber, name]) => [pageNumber, name]));
  const byStructure = new Map<string, number>();
  let frames = 0;
  const walHeaderBytes = 32;
  const frameHeaderBytes = 24;
  for (let offset = walHeaderBytes; offset + frameHeaderBytes + pageSize <= wal.length; offset += frameHeaderBytes + pageSize) {
    const owner = owners.get(wal.readUInt32BE(offset)) ?? '(free list)';
    byStructure.set(owner, (byStructure.get(owner) ?? 0) + 1);
    frames += 1;
  }
  await tenant.remove();
  const perCommit = [...byStructure].sort((a, b) => b[1] - a[1]).map(([name, count]) => [name, round(count / pages)]);
  return { eventsPerPage, commits: pages, framesPerCommit: round(frames / pages), framesPerCommitByStructure: Object.fromEntries(perCommit) };
}

const context = { preloadedEvents: preloadCount, conversations };
for (const kind of ['sqlcipher', 'plain'] as const) {
  for (const eventsPerPage of pageSizes) {
    process.stdout.write(`${JSON.stringify({ phase: 'apply', ...(await measureApply(kind, eventsPerPage)), ...context, loadAverage: +loadavg()[0]!.toFixed(2) })}\n`);
  }
}
for (const eventsPerPage of pageSizes) process.stdout.write(`${JSON.stringify({ phase: 'walPages', ...(await countWalPages(eventsPerPage)), ...context })}\n`);
