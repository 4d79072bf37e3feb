import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AresCore } from '../core/aresCore.js';
import { createCoreCaller } from '../core/appRouter.js';
import type { TenantDatabase } from '../vault/index.js';
import { filesContaining, strongPassphrase, temporaryDirectory, testKdfParameters } from '../vault/testSupport.js';
import { applyErasureEvent, pendingCorrections, pendingErasures } from './customers/customerData.js';
import { applyRetention, RetentionScheduler, type RetentionClock } from './retention/retention.js';
import { inboxProjector } from '../inbox/index.js';
import type { LoggedEvent } from '../../shared/schemas/sync.js';
import { seededConversationId, seededCustomer, seedTenant } from './testing/seedTenant.js';

const now = Date.UTC(2025, 5, 1);

/** Every value of every row of every table, as one string per table: what a full scan of the store sees. */
function dumpDatabase(database: TenantDatabase): Map<string, string> {
  const tables = database.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  return new Map(tables.map(({ name }) => [name, JSON.stringify(database.prepare(`select * from "${name}"`).all(), (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('latin1') : value))]));
}

describe('a customer’s data on request', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let core: AresCore;
  let caller: ReturnType<typeof createCoreCaller>;
  beforeEach(async () => {
    directory = await temporaryDirectory();
    core = new AresCore({ dataDirectory: join(directory.path, 'data'), kdfParameters: testKdfParameters });
    await core.createTenant('Acme Bikes', strongPassphrase);
    seedTenant(core.requireSession().database, { conversations: 6, messagesPerConversation: 4, documents: 1, documentBytes: 500, products: 0, now });
    caller = createCoreCaller({ core });
  });
  afterEach(async () => {
    await core.dispose();
    await directory.remove();
  });

  it('finds a customer by name or by something they wrote, and shows everything held without staff names or notes', async () => {
    const customer = seededCustomer(2);
    expect((await caller.portability.findCustomers({ query: customer.label.toUpperCase() })).map((c) => c.displayName)).toEqual([customer.label]);
    const [found] = await caller.portability.findCustomers({ query: customer.phone });
    const record = await caller.portability.customer({ customerId: found!.customerId });
    expect(record.conversations).toHaveLength(1);
    expect(record.conversations[0]!.messages.map((message) => message.from)).toEqual(['customer', 'business', 'customer', 'business']);
    const file = await caller.portability.exportCustomer({ customerId: found!.customerId, format: 'json' });
    expect(file.content).toContain(customer.phone);
    expect(file.content).not.toMatch(/Staffer Dana|Private note/);
  });

  it('corrects the customer’s name everywhere it is shown', async () => {
    const [found] = await caller.portability.findCustomers({ query: seededCustomer(1).label });
    const corrected = await caller.portability.correctCustomer({ customerId: found!.customerId, displayName: 'Right Name' });
    expect(corrected.displayName).toBe('Right Name');
    expect((await caller.portability.findCustomers({ query: 'Right Name' })).map((c) => c.customerId)).toEqual([corrected.customerId]);
  });

  it('erases a customer leaving no trace in the database or any file, only an audit entry without personal data', async () => {
    const customer = seededCustomer(3);
    const conversationId = seededConversationId(3);
    const [found] = await caller.portability.findCustomers({ query: customer.label });
    // A reply a staff member started typing quotes the customer too.
    await caller.liveInbox.saveDraft({ conversationId, text: `Draft quoting ${customer.phone}` });
    const erased = await caller.portability.eraseCustomer({ customerId: found!.customerId, confirm: 'ERASE' });
    expect(erased).toMatchObject({ conversations: 1, messages: 5 });

    const database = core.requireSession().database;
    const markers = [customer.label, customer.phone, `order 3-0`, `order 3-1`, found!.customerId, 'Draft quoting'];
    for (const [table, content] of dumpDatabase(database)) for (const marker of markers) expect(content, `${table} holds ${marker}`).not.toContain(marker);
    // The other customers are untouched.
    expect(dumpDatabase(database).get('inbox_messages')).toContain(seededCustomer(4).phone);
    await core.lock();
    for (const marker of markers) expect(await filesContaining(join(directory.path, 'data'), marker)).toEqual([]);
    await core.unlock('Acme Bikes', strongPassphrase);

    const audit = await caller.portability.audit();
    expect(audit[0]).toMatchObject({ action: 'customer.erased', detail: { conversations: 1, messages: 5, erasureId: erased.erasureId } });
    // The erasure waits in the queue for sync, naming only the conversation id.
    expect(pendingErasures(core.requireSession().database)).toEqual([expect.objectContaining({ type: 'customer.erased', erasureId: erased.erasureId, conversationIds: [conversationId] })]);
  });

  it('queues a correction for sync until it is sent, and an erasure drops the queued name too', async () => {
    const database = core.requireSession().database;
    const [found] = await caller.portability.findCustomers({ query: seededCustomer(5).label });
    await caller.portability.correctCustomer({ customerId: found!.customerId, displayName: 'Corrected Carmen' });
    expect(pendingCorrections(database)).toEqual([expect.objectContaining({ conversationId: seededConversationId(5), customerLabel: 'Corrected Carmen' })]);
    const [corrected] = await caller.portability.findCustomers({ query: 'Corrected Carmen' });
    await caller.portability.eraseCustomer({ customerId: corrected!.customerId, confirm: 'ERASE' });
    expect(pendingCorrections(database)).toEqual([]);
    for (const [table, content] of dumpDatabase(database)) expect(content, `${table} holds the corrected name`).not.toContain('Corrected Carmen');
  });

  it('applies an erasure that arrived from another desktop once, however often it arrives', () => {
    const database = core.requireSession().database;
    const event = { type: 'customer.erased' as const, erasureId: crypto.randomUUID(), conversationIds: [seededConversationId(0)], requestedAt: now };
    applyErasureEvent(database, event, now);
    applyErasureEvent(database, event, now);
    expect(database.prepare('select count(*) as count from inbox_conversations where conversation_id = ?').get(seededConversationId(0))).toEqual({ count: 0 });
    expect(database.prepare("select count(*) as count from privacy_audit where action = 'customer.erased'").get()).toEqual({ count: 1 });
    expect(pendingErasures(database)).toEqual([]);
  });

  it('refuses an erasure without the typed confirmation', async () => {
    const [found] = await caller.portability.findCustomers({ query: seededCustomer(0).label });
    await expect(caller.portability.eraseCustomer({ customerId: found!.customerId, confirm: 'yes' as 'ERASE' })).rejects.toThrow(/Type ERASE/);
  });
});

describe('retention', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let core: AresCore;
  // The API's own run uses the real clock, so the data is seeded relative to it.
  const now = Date.now();
  beforeEach(async () => {
    directory = await temporaryDirectory();
    core = new AresCore({ dataDirectory: join(directory.path, 'data'), kdfParameters: testKdfParameters });
    await core.createTenant('Acme Bikes', strongPassphrase);
    // Ten conversations, one per day: conversation i last active i days before `now`.
    seedTenant(core.requireSession().database, { conversations: 10, messagesPerConversation: 2, documents: 0, documentBytes: 0, products: 0, now, hoursApart: 24 });
  });
  afterEach(async () => {
    await core.dispose();
    await directory.remove();
  });

  function fakeClock(start: number) {
    const clock = { time: start, ticks: [] as (() => void)[], cleared: false };
    const retentionClock: RetentionClock = {
      now: () => clock.time,
      setInterval: (callback) => {
        clock.ticks.push(callback);
        return 1;
      },
      clearInterval: () => {
        clock.cleared = true;
      },
    };
    return { clock, retentionClock, advance: (milliseconds: number) => ((clock.time += milliseconds), clock.ticks.forEach((tick) => tick())) };
  }

  const remaining = (database: TenantDatabase) => (database.prepare('select conversation_id as id from inbox_conversations order by last_activity_at desc').all() as { id: string }[]).map((row) => row.id);

  it('deletes exactly the conversations older than the limit, with their messages, and keeps the rest', async () => {
    const database = core.requireSession().database;
    const caller = createCoreCaller({ core });
    await caller.portability.setRetention({ conversationDays: 30, attachmentDays: null });
    expect(remaining(database)).toHaveLength(10);

    const { retentionClock, advance, clock } = fakeClock(now);
    const scheduler = new RetentionScheduler(database, { clock: retentionClock });
    // Already ran today (setRetention ran it): the start does nothing new. Move 25 days on and tick.
    advance(25 * 86_400_000 + 1);
    // Conversations 5..9 are now more than 30 days old (last active 5..9 days before `now`).
    expect(remaining(database)).toEqual([0, 1, 2, 3, 4].map(seededConversationId));
    expect(database.prepare("select count(*) as count from inbox_messages where conversation_id = 'conversation-7'").get()).toEqual({ count: 0 });
    expect(database.prepare("select count(*) as count from sync_events where conversation_id = 'conversation-7'").get()).toEqual({ count: 0 });
    expect(database.prepare("select count(*) as count from inbox_messages").get()).toEqual({ count: 5 * 3 });

    // Within the same day a tick does not run again.
    database.prepare("update inbox_conversations set last_activity_at = 0 where conversation_id = 'conversation-0'").run();
    advance(60_000);
    expect(remaining(database)).toHaveLength(5);
    // A day later: conversation 0 (marked long inactive) and conversation 4 (now past 30 days) go.
    advance(86_400_000);
    expect(remaining(database)).toEqual([1, 2, 3].map(seededConversationId));
    scheduler.dispose();
    expect(clock.cleared).toBe(true);
    const status = await caller.portability.retention();
    expect(status.lastDeleted).toEqual({ conversations: 2, messages: 6, attachments: 0 });
  });

  it('deletes the attachment details of media messages older than the attachment limit, and nothing else', async () => {
    const database = core.requireSession().database;
    const media = (index: number, daysAgo: number, caption: string): LoggedEvent => ({
      eventId: crypto.randomUUID(),
      conversationId: 'whatsapp:15550100',
      occurredAt: now - daysAgo * 86_400_000,
      acceptedAt: now - daysAgo * 86_400_000,
      seq: 1000 + index,
      body: {
        type: 'customer.message',
        messageId: `whatsapp:wamid-${index}`,
        channel: 'whatsapp',
        customerLabel: 'Carla',
        text: `[Image] scan.jpg ${caption}`,
        content: { kind: 'image', mediaId: `media-${index}`, mimeType: 'image/jpeg', fileName: 'scan.jpg', caption },
      },
    });
    // The customer edited the old photo's caption on WhatsApp: the edit carries the attachment too, and rewrote the message.
    const edit: LoggedEvent = {
      eventId: crypto.randomUUID(),
      conversationId: 'whatsapp:15550100',
      occurredAt: now - 19 * 86_400_000,
      acceptedAt: now - 19 * 86_400_000,
      seq: 1003,
      body: {
        type: 'customer.edit',
        targetMessageId: 'whatsapp:wamid-1',
        text: '[Image] scan.jpg my passport, page 2',
        content: { kind: 'image', mediaId: 'media-1', mimeType: 'image/jpeg', fileName: 'scan.jpg', caption: 'my passport, page 2' },
      },
    };
    database.transaction(() => {
      for (const event of [media(1, 20, 'my passport'), media(2, 2, 'my id card'), edit]) {
        database.prepare("insert into sync_events (event_id, conversation_id, seq, state, local, event) values (?, ?, ?, 'applied', 0, ?)").run(event.eventId, event.conversationId, event.seq, JSON.stringify(event));
        inboxProjector.applyConfirmed(database, event);
      }
    })();
    const caller = createCoreCaller({ core });
    const status = await caller.portability.setRetention({ conversationDays: null, attachmentDays: 7 });
    expect(status.lastDeleted).toEqual({ conversations: 0, messages: 0, attachments: 2 });

    const dump = [...dumpDatabase(database).values()].join('\n');
    for (const detail of ['my passport', 'media-1"']) expect(dump).not.toContain(detail);
    // The newer placeholder, the other conversations and the message itself stay.
    expect(dump).toContain('my id card');
    expect(remaining(database)).toHaveLength(11);
    const texts = (database.prepare("select text from inbox_messages where conversation_id = 'whatsapp:15550100' and kind = 'customer' order by seq").all() as { text: string }[]).map((row) => row.text);
    expect(texts).toEqual(['[image] Attachment details deleted by the retention rule.', '[Image] scan.jpg my id card']);
    // Searching for the caption no longer finds it.
    expect(await caller.portability.findCustomers({ query: 'my passport' })).toEqual([]);
    // A second run has nothing left to delete.
    expect(applyRetention(database, now)).toMatchObject({ attachments: 0 });
  });

  it('leaves a newer edit of an old media message until the edit itself is older than the limit', async () => {
    const database = core.requireSession().database;
    const daysAgo = (days: number) => now - days * 86_400_000;
    const content = (caption: string) => ({ kind: 'image' as const, mediaId: 'media-card', mimeType: 'image/jpeg', fileName: 'card.jpg', caption });
    const original: LoggedEvent = {
      eventId: crypto.randomUUID(),
      conversationId: 'whatsapp:15550111',
      occurredAt: daysAgo(20),
      acceptedAt: daysAgo(20),
      seq: 2001,
      body: { type: 'customer.message', messageId: 'whatsapp:wamid-card', channel: 'whatsapp', customerLabel: 'Dana', text: '[Image] card.jpg front of my card', content: content('front of my card') },
    };
    const edit: LoggedEvent = {
      eventId: crypto.randomUUID(),
      conversationId: 'whatsapp:15550111',
      occurredAt: daysAgo(5),
      acceptedAt: daysAgo(5),
      seq: 2002,
      body: { type: 'customer.edit', targetMessageId: 'whatsapp:wamid-card', text: '[Image] card.jpg back of my card', content: content('back of my card') },
    };
    database.transaction(() => {
      for (const event of [original, edit]) {
        database.prepare("insert into sync_events (event_id, conversation_id, seq, state, local, event) values (?, ?, ?, 'applied', 0, ?)").run(event.eventId, event.conversationId, event.seq, JSON.stringify(event));
        inboxProjector.applyConfirmed(database, event);
      }
    })();
    const timeline = () => (database.prepare("select text from inbox_messages where conversation_id = 'whatsapp:15550111' order by seq").all() as { text: string }[]).map((row) => row.text);
    await createCoreCaller({ core }).portability.setRetention({ conversationDays: null, attachmentDays: 7 });

    // The original's details are gone from its event; the message shows the 5-day-old edit, which the 7-day rule does not reach yet.
    expect([...dumpDatabase(database).values()].join('\n')).not.toContain('front of my card');
    expect(timeline()).toEqual(['[Image] card.jpg back of my card', 'The customer edited a message: [Image] card.jpg back of my card']);

    // Three days later the edit is 8 days old: now its caption goes too, everywhere, and the timeline still says what happened.
    expect(applyRetention(database, now + 3 * 86_400_000)).toMatchObject({ attachments: 1 });
    expect([...dumpDatabase(database).values()].join('\n')).not.toContain('back of my card');
    expect(timeline()).toEqual(['[image] Attachment details deleted by the retention rule.', 'The customer edited a message: [image] Attachment details deleted by the retention rule.']);
  });

  it('keeps everything when no rule is set', () => {
    const database = core.requireSession().database;
    const { retentionClock, advance } = fakeClock(now);
    const scheduler = new RetentionScheduler(database, { clock: retentionClock });
    advance(3650 * 86_400_000);
    expect(remaining(database)).toHaveLength(10);
    scheduler.dispose();
  });
});
