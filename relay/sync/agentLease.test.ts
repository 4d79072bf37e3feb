import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';

let relay: TestRelay;
beforeEach(async () => {
  relay = await startTestRelay();
});
afterEach(async () => {
  await relay.stop();
});

describe('the agent-runner lease', () => {
  it('lets exactly one device per tenant run the agent until it releases or the lease expires', async () => {
    const owner = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive', email: 'o@b.test', password: 'a long enough password', deviceName: 'one' });
    const second = await relay.client().account.login.mutate({ email: 'o@b.test', password: 'a long enough password', deviceName: 'two' });
    const first = await relay.client(owner.deviceToken).sync.acquireLease.mutate({ ttlSeconds: 30 });
    expect(first).toMatchObject({ held: true, holderDeviceId: owner.deviceId });
    const refused = await relay.client(second.deviceToken).sync.acquireLease.mutate({ ttlSeconds: 30 });
    expect(refused).toMatchObject({ held: false, holderDeviceId: owner.deviceId });
    // Renewing by the holder works; after release the other device gets it.
    expect((await relay.client(owner.deviceToken).sync.acquireLease.mutate({ ttlSeconds: 30 })).held).toBe(true);
    await relay.client(owner.deviceToken).sync.releaseLease.mutate();
    expect(await relay.client(second.deviceToken).sync.acquireLease.mutate({ ttlSeconds: 30 })).toMatchObject({ held: true, holderDeviceId: second.deviceId });
    // An expired lease is free for the taking.
    const storage = relay.services.storage;
    const tenantId = owner.tenantId;
    expect((await storage.acquireLease(tenantId, owner.deviceId, Date.now() + 31_000, 30_000)).held).toBe(true);
  });
});
