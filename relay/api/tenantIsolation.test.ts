import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedIn } from '../../shared/schemas/relayAccounts.js';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';

let relay: TestRelay;
let alpha: SignedIn;
let beta: SignedIn;
let alphaConversationId = '';
let alphaVisitorToken = '';

async function visitorSession(widgetKey: string) {
  const response = await fetch(`${relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey }) });
  return (await response.json()) as { visitorToken: string; conversationId: string };
}

beforeAll(async () => {
  relay = await startTestRelay();
  alpha = await relay.client().account.registerTenant.mutate({ businessName: 'Alpha', ownerName: 'Al', email: 'al@alpha.test', password: 'alpha password 123', deviceName: 'a' });
  beta = await relay.client().account.registerTenant.mutate({ businessName: 'Beta', ownerName: 'Be', email: 'be@beta.test', password: 'beta password 1234', deviceName: 'b' });
  const visitor = await visitorSession(alpha.widgetKey);
  alphaConversationId = visitor.conversationId;
  alphaVisitorToken = visitor.visitorToken;
  await fetch(`${relay.url}/widget/v1/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${visitor.visitorToken}` },
    body: JSON.stringify({ clientMessageId: 'alpha-message-1', text: 'secret alpha question' }),
  });
});
afterAll(async () => {
  await relay.stop();
});

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return { error: (error.data as { aresCode?: string }).aresCode };
    throw error;
  }
}

describe('every relay procedure is scoped to the caller’s tenant', () => {
  it('gives another tenant’s device nothing of Alpha, whatever ids it passes', async () => {
    const betaClient = relay.client(beta.deviceToken);
    const alphaHead = await relay.client(alpha.deviceToken).sync.head.query();
    const results = {
      me: await outcome(betaClient.account.me.query()),
      operators: await outcome(betaClient.account.operators.query()),
      devices: await outcome(betaClient.account.devices.query()),
      revokeAlphaDevice: await outcome(betaClient.account.revokeDevice.mutate({ id: alpha.deviceId })),
      removeAlphaOwner: await outcome(betaClient.account.removeOperator.mutate({ id: alpha.operatorId })),
      settings: await outcome(betaClient.account.settings.query()),
      pullWithAlphaEpoch: await outcome(betaClient.sync.pull.query({ cursor: { epoch: alphaHead.epoch, seq: alphaHead.headSeq }, limit: 100 })),
      pullFromZero: await outcome(betaClient.sync.pull.query({ cursor: { epoch: 'x', seq: 0 }, limit: 100 })),
      head: await outcome(betaClient.sync.head.query()),
      conversations: await outcome(betaClient.sync.conversations.query()),
      pushIntoAlphaConversation: await outcome(
        betaClient.sync.push.mutate({
          clientId: crypto.randomUUID(),
          mutations: [{ mutationId: 1, event: { eventId: crypto.randomUUID(), conversationId: alphaConversationId, occurredAt: 1, body: { type: 'conversation.takeover', staffName: 'Be' } } }],
        }),
      ),
      lease: await outcome(betaClient.sync.lease.query()),
      acknowledge: await outcome(betaClient.sync.acknowledge.mutate({ cursor: { epoch: alphaHead.epoch, seq: alphaHead.headSeq } })),
    };
    const serialized = JSON.stringify(results);
    expect(serialized).not.toContain('secret alpha question');
    expect(serialized).not.toContain(alpha.tenantId);
    expect(serialized).not.toContain(alpha.operatorId);
    expect(serialized).not.toContain(alpha.deviceId);
    expect(serialized).not.toContain('al@alpha.test');
    expect(results.revokeAlphaDevice).toEqual({ error: 'NOT_FOUND' });
    expect(results.removeAlphaOwner).toEqual({ error: 'NOT_FOUND' });
    // Beta's push landed in Beta's own log; Alpha's conversation and devices are untouched.
    expect((await relay.client(alpha.deviceToken).sync.conversations.query()).map((state) => state.holder)).toEqual([null]);
    expect((await relay.client(alpha.deviceToken).account.devices.query()).every((device) => !device.revoked)).toBe(true);
    const alphaPull = await relay.client(alpha.deviceToken).sync.pull.query({ cursor: { epoch: alphaHead.epoch, seq: 0 }, limit: 100 });
    expect(alphaPull.kind === 'events' && alphaPull.events.length).toBe(1);
  });

  it('keeps a live subscription to the caller’s own tenant', async () => {
    const betaClient = relay.client(beta.deviceToken);
    const betaHead = await betaClient.sync.head.query();
    const pages: unknown[] = [];
    const subscription = betaClient.sync.live.subscribe({ cursor: { epoch: betaHead.epoch, seq: 0 } }, { onData: (page) => pages.push(page) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    subscription.unsubscribe();
    expect(JSON.stringify(pages)).not.toContain('secret alpha question');
  });

  it('does not let one visitor read or write another visitor’s conversation', async () => {
    const stranger = await visitorSession(alpha.widgetKey);
    const response = await fetch(`${relay.url}/widget/v1/messages?after=0`, { headers: { Authorization: `Bearer ${stranger.visitorToken}` } });
    const body = (await response.json()) as { messages: unknown[] };
    expect(body.messages).toEqual([]);
    const noToken = await fetch(`${relay.url}/widget/v1/messages?after=0`);
    expect(noToken.status).toBe(401);
    const own = await fetch(`${relay.url}/widget/v1/messages?after=0`, { headers: { Authorization: `Bearer ${alphaVisitorToken}` } });
    expect(JSON.stringify(await own.json())).toContain('secret alpha question');
  });

  it('accepts a replayed visitor message only once', async () => {
    const send = () =>
      fetch(`${relay.url}/widget/v1/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${alphaVisitorToken}` },
        body: JSON.stringify({ clientMessageId: 'alpha-message-1', text: 'secret alpha question' }),
      }).then((response) => response.json() as Promise<{ duplicate: boolean }>);
    expect((await send()).duplicate).toBe(true);
    const head = await relay.client(alpha.deviceToken).sync.head.query();
    expect(head.headSeq).toBe(1);
  });
});
