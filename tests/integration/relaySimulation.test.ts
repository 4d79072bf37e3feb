import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBody, EventPage } from '../../shared/schemas/sync.js';
import { inboxProjector } from '../../electron/inbox/index.js';
import { SyncStore } from '../../electron/sync/index.js';
import { tenantMigrations } from '../../electron/vault/migrations/index.js';
import { applyMigrations } from '../../electron/vault/tenantDatabase.js';
import { calmNetwork, type NetworkFaults } from './simulation/faultyTransport.js';
import { SimulatedWorld, type SimulatedDesktop } from './simulation/simulatedWorld.js';

const hostileNetwork: NetworkFaults = {
  dropRequest: 0.1,
  dropResponse: 0.1,
  duplicate: 0.1,
  dropPage: 0.1,
  duplicatePage: 0.1,
  breakStream: 0.02,
  minimumDelay: 1,
  maximumDelay: 300,
};

const workloadMilliseconds = 60_000;
/** Invariant 10: after faults heal, everything settles within this much simulated time. */
const healBoundMilliseconds = 30_000;

let world: SimulatedWorld | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
});

function pick<T>(random: () => number, items: T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Invariant 7: a change the relay acknowledged stays visible until the log brings it (or something newer) back. */
function checkNeverOlderThanOwnChange(world: SimulatedWorld, desktop: SimulatedDesktop): void {
  const cursor = desktop.store.cursor();
  const acknowledged = desktop.database
    .prepare("select event_id as eventId, seq, event from sync_events where local = 1 and state = 'acked' and seq is not null")
    .all() as { eventId: string; seq: number; event: string }[];
  for (const row of acknowledged) {
    expect(desktop.database.prepare('select 1 from inbox_messages where event_id = ?').get(row.eventId), `${desktop.name} lost its own change`).toBeDefined();
    if (cursor && cursor.seq >= row.seq) throw new Error(`${desktop.name}: event at seq ${row.seq} is behind the cursor but not applied`);
  }
  const displayed = world.displayed(desktop);
  for (const conversation of displayed) {
    const lastStatusChange = desktop.store
      .unconfirmedEvents(conversation.conversationId)
      .filter((event) => ['conversation.takeover', 'conversation.handback', 'conversation.resolve', 'staff.message'].includes(event.body.type))
      .at(-1);
    // A staff reply puts the conversation in human hands, so it counts as a status change too.
    if (lastStatusChange?.body.type === 'staff.message') expect(conversation.status).toBe('human');
    if (lastStatusChange?.body.type === 'conversation.takeover') expect(conversation.holder).toBe(lastStatusChange.body.staffName);
    if (lastStatusChange?.body.type === 'conversation.handback') expect(conversation.status).toBe('ai');
    if (lastStatusChange?.body.type === 'conversation.resolve') expect(conversation.status).toBe('resolved');
  }
}

async function checkConverged(world: SimulatedWorld): Promise<void> {
  const log = await world.relayLog();
  const head = await world.storage.head(world.tenantId);
  // 4: gap-free, increasing seq.
  expect(log.map((event) => event.seq)).toEqual(Array.from({ length: head.headSeq }, (_, index) => index + 1));
  // 1 and 3: every webhook once, replays created nothing.
  const customerMessageIds = log.flatMap((event) => (event.body.type === 'customer.message' ? [event.body.messageId] : []));
  expect(new Set(customerMessageIds).size).toBe(customerMessageIds.length);
  expect(new Set(customerMessageIds)).toEqual(new Set([...world.sentExternalIds].map((id) => `web:${id}`)));
  const relayStates = await world.storage.conversations(world.tenantId);
  const loggedIds = new Set(log.map((event) => event.eventId));
  const rejectedIds = new Set(log.flatMap((event) => (event.body.type === 'conversation.rejected' ? [event.body.rejectedEventId] : [])));

  for (const desktop of world.desktops) {
    // 10 and 2: nothing stuck; every local change applied or explicitly rejected.
    expect(desktop.store.pendingCount(), `${desktop.name} outbox`).toBe(0);
    expect(desktop.store.cursor(), `${desktop.name} cursor`).toEqual({ epoch: head.epoch, seq: head.headSeq });
    const local = desktop.database.prepare('select event_id as eventId, state from sync_events where local = 1').all() as { eventId: string; state: string }[];
    for (const event of local) {
      if (event.state === 'applied') expect(loggedIds.has(event.eventId)).toBe(true);
      else {
        expect(event.state).toBe('rejected');
        expect(rejectedIds.has(event.eventId)).toBe(true);
      }
    }
    // 3 and 5: each logged event exactly once on every desktop, in seq order per conversation.
    const rows = desktop.database.prepare('select event_id as eventId, conversation_id as conversationId, seq from inbox_messages where seq is not null order by seq').all() as {
      eventId: string;
      conversationId: string;
      seq: number;
    }[];
    expect(rows.map((row) => row.eventId)).toEqual(log.map((event) => event.eventId));
    // 6: the same conversations as the relay at the same seq.
    expect(world.confirmedStates(desktop)).toEqual(relayStates);
  }
  // 4: no desktop's cursor ever went back within an epoch.
  for (const desktop of world.desktops) {
    for (let index = 1; index < desktop.cursors.length; index += 1) {
      const [before, after] = [desktop.cursors[index - 1]!, desktop.cursors[index]!];
      if (before.epoch === after.epoch) expect(after.seq, `${desktop.name} cursor moved back`).toBeGreaterThanOrEqual(before.seq);
    }
  }
}

async function runHostileScenario(seed: number) {
  world = new SimulatedWorld(seed);
  await world.start();
  const random = world.random;
  const desktops = ['Ann', 'Bob', 'Cat'].map((name) => world!.addDesktop(name, hostileNetwork));
  const conversations = Array.from({ length: 8 }, (_, index) => `conversation-${index}`);
  const at = (milliseconds: number, work: () => unknown) => world!.scheduler.setTimeout(() => void work(), milliseconds);

  for (let index = 0; index < 50; index += 1) {
    const externalId = `message-${seed}-${index}`;
    const conversationId = pick(random, conversations);
    at(random() * workloadMilliseconds, () => world!.customerMessage(conversationId, externalId, `Question ${index}`));
    // Platforms deliver at least once: some webhooks arrive again later.
    if (random() < 0.25) at(random() * workloadMilliseconds, () => world!.customerMessage(conversationId, externalId, `Question ${index}`));
  }
  for (let index = 0; index < 90; index += 1) {
    at(random() * workloadMilliseconds, () => {
      const desktop = pick(random, desktops);
      const known = world!.knownConversations(desktop);
      if (known.length === 0) return;
      const roll = random();
      const body: EventBody =
        roll < 0.55
          ? { type: 'staff.message', messageId: `staff-${seed}-${index}`, authorName: desktop.name, text: `Answer ${index}` }
          : roll < 0.8
            ? { type: 'conversation.takeover', staffName: desktop.name }
            : roll < 0.9
              ? { type: 'conversation.handback', staffName: desktop.name }
              : roll < 0.95
                ? { type: 'conversation.resolve', staffName: desktop.name }
                : { type: 'conversation.note', authorName: desktop.name, text: `Note ${index}` };
      world!.staffAction(desktop, pick(random, known), body);
    });
  }
  for (const desktop of desktops) {
    for (let outage = 0; outage < 3; outage += 1) {
      const start = random() * workloadMilliseconds;
      at(start, () => desktop.transport.disconnect());
      at(start + 1000 + random() * 10_000, () => {
        desktop.transport.online = true;
        desktop.engine.kick();
      });
    }
    at(random() * workloadMilliseconds, () => world!.restartDesktop(desktop));
  }

  await world.scheduler.runUntil(workloadMilliseconds, () => {
    world!.recordCursors();
    for (const desktop of desktops) checkNeverOlderThanOwnChange(world!, desktop);
  });

  // Faults heal: calm network, everyone online.
  for (const desktop of desktops) {
    desktop.transport.faults = calmNetwork;
    desktop.transport.online = true;
    desktop.engine.kick();
  }
  await world.scheduler.runUntil(workloadMilliseconds + healBoundMilliseconds, () => world!.recordCursors());
  await checkConverged(world);
  return world;
}

describe('sync invariants under a seeded hostile network (simulation)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: drops, duplicates, reordering, outages and desktop crashes still converge`, async () => {
      const finished = await runHostileScenario(seed);
      const log = await finished.relayLog();
      expect(log.length).toBeGreaterThan(50);
      expect(log.some((event) => event.body.type === 'conversation.rejected') || log.some((event) => event.body.type === 'conversation.takeover')).toBe(true);
    });
  }

  it('8: applying a stream twice, or in overlapping pages, equals applying it once', async () => {
    const finished = await runHostileScenario(11);
    const log = await finished.relayLog();
    const { epoch } = await finished.storage.head(finished.tenantId);
    const fresh = () => {
      const database = new Database(':memory:');
      applyMigrations(database, tenantMigrations);
      const store = new SyncStore(database, inboxProjector);
      store.startAt({ epoch, seq: 0 });
      return { database, store };
    };
    const page = (fromSeq: number, throughSeq: number): EventPage => ({
      kind: 'events',
      epoch,
      fromSeq,
      throughSeq,
      headSeq: log.length,
      events: log.filter((event) => event.seq > fromSeq && event.seq <= throughSeq),
    });
    const once = fresh();
    once.store.applyPage(page(0, log.length));
    const messy = fresh();
    const half = Math.floor(log.length / 2);
    expect(messy.store.applyPage(page(half, log.length))).toBe('gap');
    for (const [from, through] of [[0, half], [Math.floor(half / 2), log.length], [0, log.length], [half, log.length]] as const) messy.store.applyPage(page(from, through));
    const dump = (database: Database.Database) => ({
      conversations: database.prepare('select * from inbox_conversations order by conversation_id').all(),
      messages: database.prepare('select * from inbox_messages order by seq').all(),
    });
    expect(dump(messy.database)).toEqual(dump(once.database));
    expect(messy.store.cursor()).toEqual(once.store.cursor());
  });

  it('9: a reset epoch and a cursor older than the kept log both lead to a full resync', async () => {
    world = new SimulatedWorld(21);
    await world.start();
    const desktop = world.addDesktop('Ann', calmNetwork);
    for (let index = 0; index < 5; index += 1) await world.customerMessage('c1', `m${index}`, `hello ${index}`);
    await world.scheduler.runUntil(5_000, () => world!.recordCursors());
    expect(desktop.store.cursor()?.seq).toBe(5);
    world.staffAction(desktop, 'c1', { type: 'staff.message', messageId: 'staff-1', authorName: 'Ann', text: 'answer' });
    await world.scheduler.runUntil(10_000);

    // The relay's log is reset (restored from nothing): a new epoch.
    const oldEpoch = desktop.store.cursor()!.epoch;
    desktop.transport.disconnect();
    await world.log.resetLog(world.tenantId);
    await world.customerMessage('c2', 'after-reset', 'new log');
    desktop.transport.online = true;
    desktop.engine.kick();
    await world.scheduler.runUntil(40_000);
    const cursor = desktop.store.cursor()!;
    expect(cursor.epoch).not.toBe(oldEpoch);
    // Old-epoch events are gone from the desktop's projection, its own reply was pushed again.
    const log = await world.relayLog();
    expect(log.map((event) => event.body.type)).toEqual(['customer.message', 'staff.message']);
    expect(world.confirmedStates(desktop)).toEqual(await world.storage.conversations(world.tenantId));

    // A cursor older than what the relay keeps: pruned history forces a resync too.
    const second = world.addDesktop('Bob', calmNetwork);
    second.transport.disconnect();
    await world.scheduler.runUntil(45_000);
    second.store.startAt({ epoch: cursor.epoch, seq: 0 });
    for (let index = 0; index < 3; index += 1) await world.customerMessage('c3', `late${index}`, `late ${index}`);
    await world.storage.pruneThrough(world.tenantId, 2);
    second.transport.online = true;
    second.engine.kick();
    await world.scheduler.runUntil(80_000);
    const head = await world.storage.head(world.tenantId);
    expect(second.store.cursor()).toEqual({ epoch: head.epoch, seq: head.headSeq });
    const secondMessages = second.database.prepare('select seq from inbox_messages order by seq').all() as { seq: number }[];
    expect(secondMessages.map((row) => row.seq)).toEqual([3, 4, 5]);
  });
});
