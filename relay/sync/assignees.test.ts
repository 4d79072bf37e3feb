import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';

let relay: TestRelay;
beforeEach(async () => {
  relay = await startTestRelay();
});
afterEach(async () => {
  await relay.stop();
});

describe('assigning a conversation on the relay', () => {
  it('refuses an assignee who is not an operator of the tenant, visibly and with the reason, and accepts a colleague', async () => {
    const owner = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive Owner', email: 'o@b.test', password: 'a long enough password', deviceName: 'desk' });
    const client = relay.client(owner.deviceToken);
    const invitation = await client.account.invite.mutate({ email: 'ann@b.test', role: 'agent' });
    // Another tenant's operator is no colleague either.
    await relay.client().account.registerTenant.mutate({ businessName: 'Other', ownerName: 'Otto Other', email: 'x@o.test', password: 'a long enough password', deviceName: 'desk' });
    const clientId = randomUUID();
    let mutationId = 0;
    const assign = (assigneeName: string) =>
      client.sync.push.mutate({
        clientId,
        mutations: [{ mutationId: ++mutationId, event: { eventId: randomUUID(), conversationId: 'web:c1', occurredAt: 1, body: { type: 'conversation.assign', staffName: 'x', assigneeName } } }],
      });

    expect((await assign('Olive Ownr')).results[0]).toMatchObject({ status: 'rejected', reason: 'Nobody called "Olive Ownr" works for this business on the relay; choose a colleague from the team list.' });
    expect((await assign('Otto Other')).results[0]).toMatchObject({ status: 'rejected' });
    expect((await assign('Ann Agent')).results[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('Nobody called "Ann Agent"') });
    await relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'laptop' });
    expect((await assign('Ann Agent')).results[0]).toMatchObject({ status: 'applied' });

    const head = await client.sync.head.query();
    const page = await client.sync.pull.query({ cursor: { epoch: head.epoch, seq: 0 }, limit: 100 });
    if (page.kind !== 'events') throw new Error('resync');
    expect(page.events.map((event) => event.body.type)).toEqual(['conversation.rejected', 'conversation.rejected', 'conversation.rejected', 'conversation.assign']);
    expect((await client.sync.conversations.query()).find((conversation) => conversation.conversationId === 'web:c1')).toMatchObject({ holder: 'Ann Agent' });
  });

  it('tells apart a colleague whose invitation is still open (named by their email until they accept)', async () => {
    const owner = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive Owner', email: 'o@b.test', password: 'a long enough password', deviceName: 'desk' });
    const client = relay.client(owner.deviceToken);
    await client.account.invite.mutate({ email: 'ann@b.test', role: 'agent' });
    const result = await client.sync.push.mutate({
      clientId: randomUUID(),
      mutations: [{ mutationId: 1, event: { eventId: randomUUID(), conversationId: 'web:c2', occurredAt: 1, body: { type: 'conversation.assign', staffName: 'x', assigneeName: 'ann@b.test' } } }],
    });
    expect(result.results[0]).toMatchObject({ status: 'rejected', reason: 'ann@b.test has not accepted their invitation yet, so the conversation cannot be assigned to them.' });
  });
});
