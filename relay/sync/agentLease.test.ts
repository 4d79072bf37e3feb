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

  it('is freed at once when the holding device is revoked or its operator removed', async () => {
    const owner = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive', email: 'o@b.test', password: 'a long enough password', deviceName: 'one' });
    const laptop = await relay.client().account.login.mutate({ email: 'o@b.test', password: 'a long enough password', deviceName: 'laptop' });
    const ownerClient = relay.client(owner.deviceToken);
    expect((await relay.client(laptop.deviceToken).sync.acquireLease.mutate({ ttlSeconds: 300 })).held).toBe(true);
    await ownerClient.account.revokeDevice.mutate({ id: laptop.deviceId });
    expect(await ownerClient.sync.lease.query()).toMatchObject({ held: false, holderDeviceId: null });

    const invitation = await ownerClient.account.invite.mutate({ email: 'ann@b.test', role: 'agent' });
    const ann = await relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'desk' });
    expect((await relay.client(ann.deviceToken).sync.acquireLease.mutate({ ttlSeconds: 300 })).held).toBe(true);
    const annOperator = (await ownerClient.account.operators.query()).find((operator) => operator.name === 'Ann Agent')!;
    await ownerClient.account.removeOperator.mutate({ id: annOperator.operatorId });
    expect(await ownerClient.sync.lease.query()).toMatchObject({ held: false, holderDeviceId: null });
  });
});
