import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PullResult } from '../../shared/schemas/sync.js';
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
