import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';
import { relaySuiteStorage } from '../testing/testStorage.js';

let relay: TestRelay;
beforeEach(async () => {
  relay = await startTestRelay();
});
afterEach(async () => {
  await relay.stop();
});

const owner = { businessName: 'Bakery', ownerName: 'Olive Owner', email: 'olive@bakery.test', password: 'a long enough password', deviceName: 'Front desk' };

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return (error.data as { aresCode?: string }).aresCode;
    throw error;
  }
  return undefined;
}

describe('relay accounts', () => {
  it('answers /healthz with JSON saying the storage is reachable', async () => {
    const response = await fetch(`${relay.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', storage: { kind: relaySuiteStorage, reachable: true } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('registers a tenant with its owner and signs in with email and password', async () => {
    const registered = await relay.client().account.registerTenant.mutate(owner);
    expect(registered.role).toBe('owner');
    const me = await relay.client(registered.deviceToken).account.me.query();
    expect(me.tenantName).toBe('Bakery');
    const again = await relay.client().account.login.mutate({ email: 'OLIVE@bakery.test', password: owner.password, deviceName: 'Laptop' });
    expect(again.tenantId).toBe(registered.tenantId);
    expect(again.deviceToken).not.toBe(registered.deviceToken);
  });

  it('refuses a wrong password with the same message as an unknown email', async () => {
    await relay.client().account.registerTenant.mutate(owner);
    const wrong = relay.client().account.login.mutate({ email: owner.email, password: 'not the password', deviceName: 'x' });
    await expect(wrong).rejects.toThrow('The email or password is not correct.');
    const unknown = relay.client().account.login.mutate({ email: 'nobody@bakery.test', password: 'not the password', deviceName: 'x' });
    await expect(unknown).rejects.toThrow('The email or password is not correct.');
  });

  it('stores the password only as a scrypt hash with its parameters', async () => {
    await relay.client().account.registerTenant.mutate(owner);
    const operator = await relay.services.storage.operatorByEmail(owner.email);
    expect(operator?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(operator?.passwordHash).not.toContain(owner.password);
  });

  it('lets owners invite staff with roles and keeps agents from inviting or revoking others', async () => {
    const ownerDevice = await relay.client().account.registerTenant.mutate(owner);
    const ownerClient = relay.client(ownerDevice.deviceToken);
    const invitation = await ownerClient.account.invite.mutate({ email: 'ann@bakery.test', role: 'agent' });
    const agent = await relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'Ann laptop' });
    expect(agent.role).toBe('agent');
    expect(await errorCode(relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Eve', password: 'another long password', deviceName: 'x' }))).toBe('UNAUTHORIZED');
    const agentClient = relay.client(agent.deviceToken);
    expect(await errorCode(agentClient.account.invite.mutate({ email: 'x@bakery.test', role: 'agent' }))).toBe('FORBIDDEN');
    expect(await errorCode(agentClient.account.revokeDevice.mutate({ id: ownerDevice.deviceId }))).toBe('FORBIDDEN');
    expect((await agentClient.account.devices.query()).map((device) => device.name)).toEqual(['Ann laptop']);
    expect((await ownerClient.account.operators.query()).map((operator) => operator.role)).toEqual(['owner', 'agent']);
  });

  it('revokes a device so its token stops working at once', async () => {
    const first = await relay.client().account.registerTenant.mutate(owner);
    const second = await relay.client().account.login.mutate({ email: owner.email, password: owner.password, deviceName: 'Laptop' });
    const devices = await relay.client(first.deviceToken).account.devices.query();
    expect(devices).toHaveLength(2);
    await relay.client(first.deviceToken).account.revokeDevice.mutate({ id: second.deviceId });
    expect(await errorCode(relay.client(second.deviceToken).account.me.query())).toBe('UNAUTHORIZED');
  });

  it('removes a staff member and signs out all of their devices, but never yourself, the last owner, or by an agent', async () => {
    const ownerDevice = await relay.client().account.registerTenant.mutate(owner);
    const ownerClient = relay.client(ownerDevice.deviceToken);
    const join = async (email: string, role: 'owner' | 'admin' | 'agent', name: string) => {
      const { inviteCode } = await ownerClient.account.invite.mutate({ email, role });
      return relay.client().account.acceptInvitation.mutate({ inviteCode, name, password: 'another long password', deviceName: `${name} laptop` });
    };
    const ann = await join('ann@bakery.test', 'agent', 'Ann');
    const annPhone = await relay.client().account.login.mutate({ email: 'ann@bakery.test', password: 'another long password', deviceName: 'Ann phone' });
    const adam = await join('adam@bakery.test', 'admin', 'Adam');

    expect(await errorCode(relay.client(ann.deviceToken).account.removeOperator.mutate({ id: adam.operatorId }))).toBe('FORBIDDEN');
    expect(await errorCode(relay.client(adam.deviceToken).account.removeOperator.mutate({ id: ownerDevice.operatorId }))).toBe('FORBIDDEN');
    expect(await errorCode(ownerClient.account.removeOperator.mutate({ id: ownerDevice.operatorId }))).toBe('FORBIDDEN');

    await relay.client(adam.deviceToken).account.removeOperator.mutate({ id: ann.operatorId });
    expect(await errorCode(relay.client(ann.deviceToken).account.me.query())).toBe('UNAUTHORIZED');
    expect(await errorCode(relay.client(annPhone.deviceToken).account.me.query())).toBe('UNAUTHORIZED');
    expect(await errorCode(relay.client().account.login.mutate({ email: 'ann@bakery.test', password: 'another long password', deviceName: 'again' }))).toBe('UNAUTHORIZED');
    expect((await ownerClient.account.operators.query()).map((operator) => operator.email)).toEqual(['olive@bakery.test', 'adam@bakery.test']);
    expect((await ownerClient.account.devices.query()).filter((device) => device.operatorId === ann.operatorId).map((device) => device.revoked)).toEqual([true, true]);
    expect(await errorCode(ownerClient.account.removeOperator.mutate({ id: ann.operatorId }))).toBe('NOT_FOUND');
  });

  it('ends the live subscription of a removed person before it delivers another customer message', async () => {
    const ownerDevice = await relay.client().account.registerTenant.mutate(owner);
    const { inviteCode } = await relay.client(ownerDevice.deviceToken).account.invite.mutate({ email: 'ann@bakery.test', role: 'agent' });
    const ann = await relay.client().account.acceptInvitation.mutate({ inviteCode, name: 'Ann', password: 'another long password', deviceName: 'Ann laptop' });
    const session = (await (await fetch(`${relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey: ownerDevice.widgetKey }) })).json()) as {
      visitorToken: string;
    };
    const write = (text: string) =>
      fetch(`${relay.url}/widget/v1/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.visitorToken}` }, body: JSON.stringify({ clientMessageId: crypto.randomUUID(), text }) });
    const annClient = relay.client(ann.deviceToken);
    const head = await annClient.sync.head.query();
    let received = '';
    let failure: string | undefined;
    const subscription = annClient.sync.live.subscribe(
      { cursor: { epoch: head.epoch, seq: head.headSeq } },
      {
        onData: (page) => (received += JSON.stringify(page)),
        onError: (error) => (failure = (error.data as { aresCode?: string } | undefined)?.aresCode ?? error.message),
      },
    );
    try {
      await write('before the removal');
      await vi.waitFor(() => expect(received).toContain('before the removal'), { timeout: 5000 });
      await relay.client(ownerDevice.deviceToken).account.removeOperator.mutate({ id: ann.operatorId });
      await write('after the removal');
      await vi.waitFor(() => expect(failure).toBe('UNAUTHORIZED'), { timeout: 5000 });
      expect(received).not.toContain('after the removal');
    } finally {
      subscription.unsubscribe();
    }
  });

  it('keeps one owner when two owners remove each other at the same moment', async () => {
    const olive = await relay.client().account.registerTenant.mutate(owner);
    const { inviteCode } = await relay.client(olive.deviceToken).account.invite.mutate({ email: 'otto@bakery.test', role: 'owner' });
    const otto = await relay.client().account.acceptInvitation.mutate({ inviteCode, name: 'Otto', password: 'another long password', deviceName: 'Otto laptop' });
    const outcomes = await Promise.allSettled([
      relay.client(olive.deviceToken).account.removeOperator.mutate({ id: otto.operatorId }),
      relay.client(otto.deviceToken).account.removeOperator.mutate({ id: olive.operatorId }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const owners = (await relay.services.storage.operators(olive.tenantId)).filter((operator) => operator.role === 'owner');
    expect(owners).toHaveLength(1);
    await expect(relay.services.storage.removeOperator(olive.tenantId, owners[0]!.operatorId, Date.now())).rejects.toThrow('The business needs at least one owner');
  });

  it('rate-limits repeated logins for one account and answers 429', async () => {
    await relay.client().account.registerTenant.mutate(owner);
    const codes: (string | undefined)[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      codes.push(await errorCode(relay.client().account.login.mutate({ email: owner.email, password: 'wrong password!', deviceName: 'x' })));
    }
    expect(codes.slice(0, 10).every((code) => code === 'UNAUTHORIZED')).toBe(true);
    expect(codes.at(-1)).toBe('RATE_LIMITED');
    const response = await fetch(`${relay.url}/trpc/account.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: owner.email, password: 'wrong password!', deviceName: 'x' }),
    });
    expect(response.status).toBe(429);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses oversized bodies and never returns a stack trace', async () => {
    const response = await fetch(`${relay.url}/trpc/account.login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024), deviceName: 'x' }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).not.toContain('stack');
  });
});
