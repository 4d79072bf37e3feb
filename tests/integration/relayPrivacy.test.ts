import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eraseCustomer } from '../../electron/portability/customers/customerData.js';
import type { TenantDatabase } from '../../electron/vault/index.js';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount, startVisitor, waitFor, type Desktop } from './relayTestSupport.js';

let relay: TestRelay;
const desktops: Desktop[] = [];
beforeEach(async () => {
  relay = await startTestRelay();
});
afterEach(async () => {
  await Promise.all(desktops.splice(0).map((desktop) => desktop.dispose()));
  await relay.stop();
});

async function connectedPair() {
  const first = await createDesktop('Bakery');
  desktops.push(first);
  await first.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
  const ownerToken = first.sync().store.connection()!.deviceToken;
  const invitation = await relay.client(ownerToken).account.invite.mutate({ email: 'ann@bakery.test', role: 'agent' });
  await relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'setup' });
  const second = await createDesktop('Bakery on Ann laptop');
  desktops.push(second);
  await second.caller.sync.connect({ relayUrl: relay.url, email: 'ann@bakery.test', password: 'another long password' });
  return { first, second, ownerToken, widgetKey: first.sync().store.connection()!.widgetKey };
}

/** Every value of every row of every table of a decrypted desktop database, as one string. */
function dumpDesktop(database: TenantDatabase): string {
  const tables = database.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  return tables.map(({ name }) => `${name}: ${JSON.stringify(database.prepare(`select * from "${name}"`).all(), (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('latin1') : value))}`).join('\n');
}

/** What a full scan of the relay's storage sees: every byte of its files (SQLite), or every row of every table (PostgreSQL). */
async function dumpRelay(): Promise<string> {
  const storage = relay.services.storage;
  if (storage.kind === 'postgres') {
    const pool = (storage as unknown as { pool: pg.Pool }).pool;
    const tables = (await pool.query('select table_name from information_schema.tables where table_schema = current_schema()')).rows as { table_name: string }[];
    const parts: string[] = [];
    for (const { table_name: table } of tables) parts.push(`${table}: ${JSON.stringify((await pool.query(`select * from "${table}"`)).rows)}`);
    return parts.join('\n');
  }
  const parts: string[] = [];
  for (const name of await readdir(relay.dataDirectory)) parts.push((await readFile(join(relay.dataDirectory, name))).toString('latin1'));
  return parts.join('\n');
}

function comparable(list: { conversationId: string }[]) {
  return list.map(({ hasUnconfirmedChanges: _changes, lastActivityAt: _activity, ...state }: { conversationId: string; hasUnconfirmedChanges?: boolean; lastActivityAt?: unknown }) => state);
}

describe('privacy rights across the relay and every desktop', () => {
  it('erases a customer on one desktop: no trace on the relay or the other desktop, and all converge', async () => {
    const { first, second, ownerToken, widgetKey } = await connectedPair();
    const erased = await startVisitor(relay.url, widgetKey);
    const kept = await startVisitor(relay.url, widgetKey);
    await erased.send('My order 7781 is late, call me on +1 555 0100');
    await kept.send('Do you bake on Sundays?');
    for (const desktop of [first, second]) await waitFor(async () => (await desktop.caller.inbox.conversations()).length === 2, 'both conversations on each desktop');
    await first.caller.inbox.reply({ conversationId: erased.conversationId, text: 'Sorry about order 7781, Olive here.' });
    await waitFor(async () => (await second.caller.inbox.messages({ conversationId: erased.conversationId })).length === 2, 'the reply on the second desktop');
    const label = (await second.caller.inbox.conversations()).find((conversation) => conversation.conversationId === erased.conversationId)!.customerLabel;
    const markers = ['order 7781', '555 0100', label, erased.conversationId];
    expect(await dumpRelay()).toContain('order 7781');

    const [customer] = await first.caller.portability.findCustomers({ query: '555 0100' });
    const result = await first.caller.portability.eraseCustomer({ customerId: customer!.customerId, confirm: 'ERASE' });
    expect(result.conversations).toBe(1);

    const keptOnly = [kept.conversationId];
    const relayClient = relay.client(ownerToken);
    await waitFor(async () => (await relayClient.sync.conversations.query()).map((state) => state.conversationId).join() === keptOnly.join(), 'the relay forgetting the conversation');
    await waitFor(async () => (await second.caller.inbox.conversations()).map((state) => state.conversationId).join() === keptOnly.join(), 'the other desktop forgetting it');
    await first.caller.sync.syncNow();
    await second.caller.sync.syncNow();
    // Give the post-commit WAL checkpoint of the erasure a moment on the other desktop.
    await new Promise((resolve) => setTimeout(resolve, 50));

    const relayDump = await dumpRelay();
    for (const marker of markers) expect(relayDump, `the relay still holds ${marker}`).not.toContain(marker);
    for (const desktop of [first, second]) {
      const dump = dumpDesktop(desktop.core.requireSession().database);
      for (const marker of markers) expect(dump, `a desktop still holds ${marker}`).not.toContain(marker);
      expect(dump).toContain('Do you bake on Sundays?');
    }
    expect(relayDump).toContain('Do you bake on Sundays?');
    // The visitor's session ended with the erasure.
    expect((await fetch(`${relay.url}/widget/v1/messages?after=0`, { headers: { Authorization: `Bearer ${erased.visitorToken}` } })).status).toBe(401);

    // Converged: both desktops equal the relay.
    const relayStates = await relayClient.sync.conversations.query();
    for (const desktop of [first, second]) expect(comparable(await desktop.caller.inbox.conversations())).toEqual(relayStates);
    // The log stays gap-free: the erased events are tombstones, and a new desktop catches up without them.
    const head = await relayClient.sync.head.query();
    const page = await relayClient.sync.pull.query({ cursor: { epoch: head.epoch, seq: 0 }, limit: 100 });
    if (page.kind !== 'events') throw new Error('expected events');
    expect(page.events.map((event) => event.seq)).toEqual(Array.from({ length: head.headSeq }, (_, index) => index + 1));
    expect(page.events.filter((event) => event.body.type === 'event.erased')).toHaveLength(2);
    const audit = await first.caller.portability.relay.audit();
    expect(audit[0]).toMatchObject({ action: 'customer.erased', detail: { erasureId: result.erasureId, conversations: 1, events: 2, visitors: 1 } });
    for (const marker of markers) expect(JSON.stringify(audit)).not.toContain(marker);
  });

  it('sends an erasure made before the tenant was connected once it connects', async () => {
    const first = await createDesktop('Bakery');
    desktops.push(first);
    await first.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
    const visitor = await startVisitor(relay.url, first.sync().store.connection()!.widgetKey);
    await visitor.send('please forget me, I am Carla');
    await waitFor(async () => (await first.caller.inbox.conversations()).length === 1, 'the conversation');
    await first.caller.sync.disconnect();
    const [customer] = await first.caller.portability.findCustomers({ query: 'Carla' });
    await first.caller.portability.eraseCustomer({ customerId: customer!.customerId, confirm: 'ERASE' });
    await first.caller.sync.connect({ relayUrl: relay.url, email: ownerAccount.email, password: ownerAccount.password });
    const token = first.sync().store.connection()!.deviceToken;
    await waitFor(async () => (await relay.client(token).sync.conversations.query()).length === 0, 'the relay erasing it');
    expect(await dumpRelay()).not.toContain('Carla');
  });

  it('a correction reaches the relay and the other desktop, and a full resync keeps the new name', async () => {
    const { first, second, ownerToken, widgetKey } = await connectedPair();
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Hi, this is Olivia about my cake order');
    for (const desktop of [first, second]) await waitFor(async () => (await desktop.caller.inbox.conversations()).length === 1, 'the conversation on each desktop');
    const [customer] = await first.caller.portability.findCustomers({ query: 'cake order' });
    await first.caller.portability.correctCustomer({ customerId: customer!.customerId, displayName: 'Olivia Baker' });

    const relayClient = relay.client(ownerToken);
    await waitFor(async () => (await relayClient.sync.conversations.query())[0]?.customerLabel === 'Olivia Baker', 'the relay holding the corrected name');
    await waitFor(async () => (await second.caller.inbox.conversations())[0]?.customerLabel === 'Olivia Baker', 'the other desktop showing the corrected name');
    const customerMessages = async (desktop: typeof first) => (await desktop.caller.inbox.messages({ conversationId: visitor.conversationId })).filter((message) => message.kind === 'customer');
    expect((await customerMessages(second)).map((message) => message.authorName)).toEqual(['Olivia Baker']);
    expect((await second.caller.inbox.messages({ conversationId: visitor.conversationId })).map((message) => message.text)).toContain("The customer's name was corrected.");

    // A full resync replays the log from the start: the old name must not come back.
    const { epoch } = await relayClient.sync.head.query();
    first.sync().store.resync({ epoch, seq: 0 }, 'pruned');
    await first.caller.sync.syncNow();
    await waitFor(async () => (await first.caller.inbox.conversations()).length === 1, 'the resynced conversation');
    expect((await first.caller.inbox.conversations())[0]!.customerLabel).toBe('Olivia Baker');
    expect((await customerMessages(first)).map((message) => message.authorName)).toEqual(['Olivia Baker']);
    // A new message of the customer keeps the corrected name on the relay and the desktops.
    await visitor.send('Any news?');
    await waitFor(async () => (await customerMessages(second)).length === 2, 'the new message');
    expect((await second.caller.inbox.conversations())[0]!.customerLabel).toBe('Olivia Baker');
    expect(comparable(await second.caller.inbox.conversations())).toEqual(comparable(await relayClient.sync.conversations.query()));
  });

  it('an agent may not erase or correct a customer: the desktop says why, and the relay refuses a push that gets through', async () => {
    const { first, second, widgetKey } = await connectedPair();
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('I am Dora, please forget me');
    await waitFor(async () => (await second.caller.inbox.conversations()).length === 1, 'the conversation on the agent desktop');
    const [customer] = await second.caller.portability.findCustomers({ query: 'Dora' });
    await expect(second.caller.portability.eraseCustomer({ customerId: customer!.customerId, confirm: 'ERASE' })).rejects.toThrow(/Only owners and admins can erase.*as an agent/);
    await expect(second.caller.portability.correctCustomer({ customerId: customer!.customerId, displayName: 'D.' })).rejects.toThrow(/Only owners and admins can correct/);
    expect(await second.caller.inbox.conversations()).toHaveLength(1);

    // An erasure queued before the role changed (here: written directly) is refused by the relay, visibly.
    eraseCustomer(second.core.requireSession().database, customer!.customerId, Date.now());
    await second.caller.sync.syncNow();
    await waitFor(async () => (await second.caller.portability.audit()).find((entry) => entry.action === 'relay.refused'), 'the refusal in the privacy audit');
    const refusal = (await second.caller.portability.audit()).find((entry) => entry.action === 'relay.refused')!;
    expect(refusal.detail).toEqual({ rejectedType: 'customer.erased', reason: "Only owners and admins can erase a customer's data." });
    // The owner's desktop receives the rejection too, but it was not its erasure.
    await first.caller.sync.syncNow();
    expect((await first.caller.portability.audit()).map((entry) => entry.action)).not.toContain('relay.refused');
    // The refusal is not a conversation, and the relay still has the customer's conversation.
    expect(await second.caller.inbox.conversations()).toEqual([]);
    expect((await relay.services.storage.conversations(second.sync().store.connection()!.tenantId)).map((state) => state.conversationId)).toEqual([visitor.conversationId]);
  });

  it('closes the account on the relay: desktops are told, only the owner may, and it can be cancelled', async () => {
    const { first, second } = await connectedPair();
    await expect(second.caller.portability.relay.closeAccount({ graceDays: 7, confirm: 'CLOSE' })).rejects.toThrow(/Only the owner/);
    const closing = await first.caller.portability.relay.closeAccount({ graceDays: 7, confirm: 'CLOSE' });
    expect(closing.state).toBe('closing');
    await waitFor(async () => (await second.caller.portability.relay.status()).notice?.state === 'closing', 'the other desktop told through sync');
    expect((await second.caller.portability.relay.status()).closure).toMatchObject({ state: 'closing', deleteAt: closing.deleteAt });
    await first.caller.portability.relay.cancelClosure();
    await waitFor(async () => (await second.caller.portability.relay.status()).notice?.state === 'open', 'the cancellation on the other desktop');
    // Their inboxes show no trace of the notices.
    expect(await second.caller.inbox.conversations()).toEqual([]);

    await first.caller.portability.relay.closeAccount({ graceDays: 0, confirm: 'CLOSE' });
    for (const desktop of [first, second]) {
      await expect(desktop.caller.sync.syncNow()).rejects.toThrow(/closed on the relay/);
      // A broken live stream may be reported first; the next attempt meets the closed account.
      await waitFor(async () => {
        const status = await desktop.caller.sync.status();
        return status.connected && /closed on the relay/.test(status.sync.lastError ?? '');
      }, 'the sync status saying the account was closed on the relay');
      expect((await desktop.caller.portability.relay.status()).closure?.state).toBe('closed');
    }
  });
});
