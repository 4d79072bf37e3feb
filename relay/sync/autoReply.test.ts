import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../testing/relayTestHarness.js';
import { sendDueAutoReplies } from './autoReplier.js';

let relay: TestRelay;
beforeEach(async () => {
  relay = await startTestRelay({ autoReplyCheckSeconds: 3600 });
});
afterEach(async () => {
  await relay.stop();
});

async function visitorWrites(widgetKey: string, text: string) {
  const session = (await (await fetch(`${relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey }) })).json()) as {
    visitorToken: string;
  };
  await fetch(`${relay.url}/widget/v1/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.visitorToken}` },
    body: JSON.stringify({ clientMessageId: crypto.randomUUID(), text }),
  });
  return session.visitorToken;
}

describe('the automatic "we will get back to you" reply', () => {
  it('is sent once to a conversation no desktop collected in time, and never to one that was collected', async () => {
    const owner = await relay.client().account.registerTenant.mutate({ businessName: 'Bakery', ownerName: 'Olive', email: 'o@b.test', password: 'a long enough password', deviceName: 'd' });
    const client = relay.client(owner.deviceToken);
    await client.account.updateSettings.mutate({ autoReplyAfterSeconds: 10, autoReplyText: 'We will get back to you soon.' });
    const waiting = await visitorWrites(owner.widgetKey, 'anyone there?');
    // Nothing yet: the delay has not passed.
    expect(await sendDueAutoReplies(relay.services)).toBe(0);
    const later = { ...relay.services, now: () => Date.now() + 11_000 };
    expect(await sendDueAutoReplies(later)).toBe(1);
    expect(await sendDueAutoReplies(later)).toBe(0);
    const messages = (await (await fetch(`${relay.url}/widget/v1/messages?after=0`, { headers: { Authorization: `Bearer ${waiting}` } })).json()) as { messages: { from: string; text: string }[] };
    expect(messages.messages.map((message) => message.text)).toEqual(['anyone there?', 'We will get back to you soon.']);

    // A desktop that pulled past the message has collected it: no automatic reply.
    await visitorWrites(owner.widgetKey, 'second visitor');
    const head = await client.sync.head.query();
    await client.sync.acknowledge.mutate({ cursor: { epoch: head.epoch, seq: head.headSeq } });
    expect(await sendDueAutoReplies({ ...relay.services, now: () => Date.now() + 60_000 })).toBe(0);
  });
});
