import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cursor, PullResult } from '../../shared/schemas/sync.js';
import { maybeRelayPrivacyOf } from '../privacy/relayPrivacy.js';
import { erasureConversationKey } from '../privacy/privacyStore.js';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';
import { dropPostgresSchema, freshPostgresUrl, postgresAvailable } from '../testing/testStorage.js';
import { InMemoryLogNotifier } from './logNotifier.js';
import { RelayLog } from './relayLog.js';

let relay: TestRelay;
beforeEach(async () => {
  relay = await startTestRelay({ rateLimitScale: 0 });
});
afterEach(async () => {
  await relay.stop();
});

const message = (index: number) => ({ channel: 'web' as const, externalId: `m-${index}`, conversationId: 'c-1', customerLabel: 'Visitor', text: `hello ${index}`, occurredAt: Date.now() });

describe('a live reader on one relay instance', () => {
  it('gets events another instance committed, though its own in-memory tail never saw them', async () => {
    const { tenantId } = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive', email: 'o@b.test', password: 'a long enough password', deviceName: 'one' });
    // Two instances: one database, one notice channel (as PostgreSQL NOTIFY gives), separate memory.
    const notifier = new InMemoryLogNotifier();
    const instanceA = new RelayLog({ storage: relay.services.storage, notifier });
    const instanceB = new RelayLog({ storage: relay.services.storage, notifier });

    await instanceB.appendInbound(tenantId, message(1));
    const { epoch } = await relay.services.storage.head(tenantId);
    const controller = new AbortController();
    const seen: number[] = [];
    const reader = (async () => {
      for await (const page of instanceB.live(tenantId, { epoch, seq: 1 }, controller.signal) as AsyncGenerator<PullResult>) {
        if (page.kind !== 'events') continue;
        seen.push(...page.events.map((event) => event.seq));
        if (seen.includes(2)) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await instanceA.appendInbound(tenantId, message(2));
    await expect.poll(() => seen, { timeout: 5_000 }).toContain(2);
    controller.abort();
    await reader;
  });
});

/** Everything a live reader starting at `cursor` gets until it has reached the head (bounded). */
async function liveUntilHead(log: RelayLog, tenantId: string, cursor: Cursor): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5_000);
  const pages: PullResult[] = [];
  try {
    for await (const page of log.live(tenantId, cursor, controller.signal)) {
      pages.push(page);
      if (page.kind === 'resync' || page.throughSeq >= page.headSeq) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return JSON.stringify(pages);
}

describe('erasure and the in-memory tail', () => {
  it('a live reader on any instance gets no erased text once the erasure is applied', async () => {
    const { tenantId } = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive', email: 'o@b.test', password: 'a long enough password', deviceName: 'one' });
    const privacy = maybeRelayPrivacyOf(relay.services)!;
    // This relay's log is one instance; a second shares its storage and notices, not its memory.
    const other = new RelayLog({ storage: relay.services.storage, notifier: relay.services.log.notifier });
    const secret = 'call me on +1 555 0100 about order 7781';
    // Each instance's tail holds what it committed: this one seq 1-2, the other seq 3.
    await relay.services.log.appendInbound(tenantId, { ...message(1), text: secret });
    await relay.services.log.appendInbound(tenantId, { ...message(2), conversationId: 'c-kept', text: 'keep me' });
    await other.appendInbound(tenantId, { ...message(3), text: `${secret} (again)` });
    const { epoch } = await relay.services.storage.head(tenantId);
    const readers = [
      { log: relay.services.log, from: { epoch, seq: 0 } },
      { log: other, from: { epoch, seq: 2 } },
    ];
    for (const { log, from } of readers) expect(await liveUntilHead(log, tenantId, from)).toContain('555 0100');

    const erasureId = crypto.randomUUID();
    await privacy.applyErasure(tenantId, 4, { type: 'customer.erased', erasureId, conversationKeys: [erasureConversationKey(erasureId, 'c-1')], requestedAt: 0 });

    for (const { log, from } of readers) {
      // The other instance learns through the notice, which PostgreSQL delivers asynchronously.
      await expect.poll(() => liveUntilHead(log, tenantId, from), { timeout: 5_000 }).not.toContain('555 0100');
      expect(await liveUntilHead(log, tenantId, from)).toContain('event.erased');
    }
    expect(await liveUntilHead(relay.services.log, tenantId, { epoch, seq: 0 })).toContain('keep me');
    // Commits after the erasure are served from memory again.
    await other.appendInbound(tenantId, { ...message(4), conversationId: 'c-kept', text: 'after the erasure' });
    expect(await liveUntilHead(other, tenantId, { epoch, seq: 3 })).toContain('after the erasure');
  });
});

describe.skipIf(!postgresAvailable())('erasure and the in-memory tail of two relay processes on one PostgreSQL database', () => {
  it('the instance that did not apply the erasure learns it through NOTIFY and serves no erased text', async () => {
    const databaseUrl = freshPostgresUrl();
    const shared = { databaseUrl, rateLimitScale: 0 };
    const first = await startTestRelay(shared);
    const second = await startTestRelay(shared);
    try {
      const { tenantId } = await first.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive', email: 'o@b.test', password: 'a long enough password', deviceName: 'one' });
      // The webhook landed on the second instance: its tail holds the text.
      await second.services.log.appendInbound(tenantId, { ...message(1), text: 'call me on +1 555 0100' });
      const { epoch } = await second.services.storage.head(tenantId);
      expect(await liveUntilHead(second.services.log, tenantId, { epoch, seq: 0 })).toContain('555 0100');

      const erasureId = crypto.randomUUID();
      await maybeRelayPrivacyOf(first.services)!.applyErasure(tenantId, 2, { type: 'customer.erased', erasureId, conversationKeys: [erasureConversationKey(erasureId, 'c-1')], requestedAt: 0 });
      await expect.poll(() => liveUntilHead(second.services.log, tenantId, { epoch, seq: 0 }), { timeout: 5_000 }).not.toContain('555 0100');
    } finally {
      await first.stop();
      await second.stop();
      await dropPostgresSchema(databaseUrl);
    }
  });
});
