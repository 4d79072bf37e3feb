import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayStorage } from '../storage/relayStorage.js';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';
import { InMemoryLogNotifier } from './logNotifier.js';
import { RelayLog } from './relayLog.js';

let relay: TestRelay;
beforeEach(async () => {
  relay = await startTestRelay({ rateLimitScale: 0 });
});
afterEach(async () => {
  await relay.stop();
});

/** The relay's own storage, counting the transactions that reach it. */
function countingLog(storage: RelayStorage): { log: RelayLog; transactions: () => number } {
  let transactions = 0;
  const counted = new Proxy(storage, {
    get(target, property, receiver) {
      if (property === 'transaction') {
        return (tenantId: string, work: Parameters<RelayStorage['transaction']>[1]) => {
          transactions += 1;
          return target.transaction(tenantId, work);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const notifier = new InMemoryLogNotifier();
  const log = new RelayLog({ storage: counted, notifier });
  return { log, transactions: () => transactions };
}

async function tenant(): Promise<string> {
  const owner = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive', email: 'o@b.test', password: 'a long enough password', deviceName: 'one' });
  return owner.tenantId;
}

describe('group commit of a tenant\'s appends', () => {
  it('commits channel messages that arrive together in one transaction with gap-free seq in commit order, duplicates once', async () => {
    const tenantId = await tenant();
    const { log, transactions } = countingLog(relay.services.storage);
    const message = (index: number) => ({ channel: 'web' as const, externalId: `m-${index % 150}`, conversationId: `c-${index % 7}`, customerLabel: 'Visitor', text: `hello ${index}`, occurredAt: Date.now() });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, index) => log.appendInbound(tenantId, message(index))));
    const fresh = answers.filter((answer) => !answer.duplicate);
    expect(fresh).toHaveLength(150);
    expect(fresh.map((answer) => answer.seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 150 }, (_, index) => index + 1));
    // All 200 queued in the same turn of the event loop: one group, one transaction.
    expect(transactions()).toBe(1);
    const stored = await relay.services.storage.readLog(tenantId, 0, 1000);
    expect(stored.map((event) => event.seq)).toEqual(Array.from({ length: 150 }, (_, index) => index + 1));
    expect((await relay.services.storage.head(tenantId)).headSeq).toBe(150);
  });

  it('answers only after the commit: every answered seq is readable and live readers are woken in order', async () => {
    const tenantId = await tenant();
    const { log } = countingLog(relay.services.storage);
    const woken: number[] = [];
    log.notifier.subscribe(tenantId, (seq) => woken.push(seq));
    await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        const answer = await log.appendInbound(tenantId, { channel: 'web', externalId: `x-${index}`, conversationId: 'c', customerLabel: 'Visitor', text: 'hi', occurredAt: Date.now() });
        const [event] = await relay.services.storage.readLog(tenantId, answer.seq! - 1, 1);
        expect(event?.seq).toBe(answer.seq);
      }),
    );
    expect(woken).toEqual([...woken].sort((a, b) => a - b));
    expect(woken.at(-1)).toBe(50);
  });

  it('fails only the bad item of a group; the others still commit', async () => {
    const tenantId = await tenant();
    const { log } = countingLog(relay.services.storage);
    const good = (index: number) =>
      log.appendClaimed(tenantId, [
        { channel: 'whatsapp', externalId: `ok-${index}`, events: [{ eventId: crypto.randomUUID(), conversationId: 'c', occurredAt: 1, body: { type: 'customer.reaction', targetMessageId: 'whatsapp:1', emoji: '👍' } }] },
      ]);
    const bad = log.appendClaimed(tenantId, [
      // A body the shared schema refuses: storage validates on write, so this transaction must fail.
      { channel: 'whatsapp', externalId: 'bad', events: [{ eventId: crypto.randomUUID(), conversationId: 'c', occurredAt: 1, body: { type: 'customer.reaction' } as never }] },
    ]);
    const outcomes = await Promise.allSettled([good(1), good(2), bad, good(3), good(4)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const stored = await relay.services.storage.readLog(tenantId, 0, 100);
    expect(stored.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    // The failed claim was rolled back with its events: a redelivery is not taken for a duplicate.
    const again = await log.appendClaimed(tenantId, [
      { channel: 'whatsapp', externalId: 'bad', events: [{ eventId: crypto.randomUUID(), conversationId: 'c', occurredAt: 1, body: { type: 'customer.reaction', targetMessageId: 'whatsapp:1', emoji: '👍' } }] },
    ]);
    expect(again.duplicates).toBe(0);
  });

  it('stops a push at a failed mutation: later ones of the same push are not applied', async () => {
    const tenantId = await tenant();
    const { log } = countingLog(relay.services.storage);
    const author = { deviceId: 'device', operatorName: 'Olive' };
    const mutation = (mutationId: number, valid = true) => ({
      mutationId,
      event: { eventId: crypto.randomUUID(), conversationId: 'c', occurredAt: 1, body: valid ? { type: 'conversation.note' as const, noteId: `n${mutationId}`, authorName: 'x', text: 'note' } : ({ type: 'conversation.note' } as never) },
    });
    await expect(log.push(tenantId, author, { clientId: 'client', mutations: [mutation(1), mutation(2, false), mutation(3)] })).rejects.toThrow();
    expect((await relay.services.storage.readLog(tenantId, 0, 100)).length).toBe(1);
    const retried = await log.push(tenantId, author, { clientId: 'client', mutations: [mutation(2), mutation(3)] });
    expect(retried.results.map((result) => result.status)).toEqual(['applied', 'applied']);
  });
});
