import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushStaffMessages, startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import type { SyncStatus } from '../../shared/schemas/relaySync.js';
import { inboxProjector } from '../../electron/inbox/index.js';
import { openTenantDatabase } from '../../electron/vault/tenantDatabase.js';
import { realScheduler, SyncEngine, SyncStore } from '../../electron/sync/index.js';
import { TrpcRelayTransport } from '../../electron/sync/trpcRelayTransport.js';

const backlog = 12_000;
let relay: TestRelay;
let readerToken: string;

beforeAll(async () => {
  relay = await startTestRelay({ rateLimitScale: 0 });
  const owner = { businessName: 'Bakery', ownerName: 'Olive', email: 'olive@example.test', password: 'a long enough password', deviceName: 'writer' };
  const registered = await relay.client().account.registerTenant.mutate(owner);
  readerToken = (await relay.client().account.login.mutate({ email: owner.email, password: owner.password, deviceName: 'reader' })).deviceToken;
  await pushStaffMessages(relay.client(registered.deviceToken), backlog, { conversations: 50, authorName: 'Olive' });
}, 60_000);

afterAll(async () => {
  await relay?.stop();
});

describe('a desktop pulling a backlog larger than one page', () => {
  it('tells how many events are left after each page, and nothing once it is in step', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ares-catch-up-'));
    const database = openTenantDatabase(folder, randomBytes(32));
    const seen: SyncStatus['catchUp'][] = [];
    const engine: SyncEngine = new SyncEngine({
      store: new SyncStore(database, inboxProjector),
      transport: new TrpcRelayTransport(relay.url, readerToken),
      scheduler: realScheduler,
      onChange: () => seen.push(engine.status().catchUp),
    });
    try {
      await engine.syncNow();
      // Pages of 5,000: the start, then after each page.
      expect(seen.filter((progress) => progress !== null)).toEqual([
        { total: backlog, remaining: backlog },
        { total: backlog, remaining: 7_000 },
        { total: backlog, remaining: 2_000 },
        { total: backlog, remaining: 0 },
      ]);
      expect(engine.status()).toMatchObject({ state: 'online', catchUp: null, cursor: { seq: backlog } });
      expect(seen.at(-1)).toBeNull();
    } finally {
      engine.stop();
      database.close();
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
