import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount, startVisitor, waitFor, type Desktop } from './relayTestSupport.js';

let relay: TestRelay;
const desktops: Desktop[] = [];
beforeEach(async () => {
  relay = await startTestRelay();
});
afterEach(async () => {
  await Promise.all(desktops.splice(0).map((desktop) => desktop.dispose()));
  await relay.stop();
});

async function connectedPair() {
  const first = await createDesktop('Bakery');
  desktops.push(first);
  const registered = await first.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
  if (!registered.connected) throw new Error('not connected');
  const ownerToken = first.sync().store.connection()!.deviceToken;
  const invitation = await relay.client(ownerToken).account.invite.mutate({ email: 'ann@bakery.test', role: 'agent' });
  await relay.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'setup' });
  const second = await createDesktop('Bakery on Ann laptop');
  desktops.push(second);
  await second.caller.sync.connect({ relayUrl: relay.url, email: 'ann@bakery.test', password: 'another long password' });
  const widgetKey = first.sync().store.connection()!.widgetKey;
  return { first, second, ownerToken, widgetKey };
}

describe('conversation sync between the relay and desktops', () => {
  it('refuses a plain-HTTP relay address that is not loopback', async () => {
    const desktop = await createDesktop('Shop');
    desktops.push(desktop);
    await expect(desktop.caller.sync.connect({ relayUrl: 'http://relay.example.com', email: 'a@b.test', password: 'x' })).rejects.toThrow(/HTTPS/);
  });

  it('brings a visitor message to every desktop and a staff reply back to the visitor', async () => {
    const { first, second, widgetKey } = await connectedPair();
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('Do you have gluten-free bread?');
    const [conversation] = await waitFor(async () => {
      const list = await first.caller.inbox.conversations();
      return list.length === 1 ? list : null;
    }, 'the conversation on the first desktop');
    expect(conversation!.lastMessagePreview).toBe('Do you have gluten-free bread?');
    await first.caller.inbox.reply({ conversationId: visitor.conversationId, text: 'Yes, every Friday.' });
    await waitFor(async () => (await visitor.messages()).some((message) => message.from === 'staff' && message.text === 'Yes, every Friday.'), 'the reply at the visitor');
    const secondMessages = await waitFor(async () => {
      const messages = await second.caller.inbox.messages({ conversationId: visitor.conversationId });
      return messages.length === 2 ? messages : null;
    }, 'both messages on the second desktop');
    expect(secondMessages.map((message) => [message.kind, message.text, message.authorName])).toEqual([
      ['customer', 'Do you have gluten-free bread?', expect.stringMatching(/^Web visitor/)],
      ['staff', 'Yes, every Friday.', 'Olive Owner'],
    ]);
    const status = await first.caller.sync.status();
    expect(status.connected && status.sync.pendingOutbox).toBe(0);
  });

  it('decides a take-over race at the relay and shows the loser a rejection', async () => {
    const { first, second, ownerToken, widgetKey } = await connectedPair();
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('I need a person');
    for (const desktop of [first, second]) await waitFor(async () => (await desktop.caller.inbox.conversations()).length === 1, 'the conversation');
    await first.caller.inbox.takeOver({ conversationId: visitor.conversationId });
    await waitFor(async () => (await relay.client(ownerToken).sync.conversations.query())[0]?.holder === 'Olive Owner', 'the owner holding it');
    await second.caller.inbox.takeOver({ conversationId: visitor.conversationId });
    const rejected = await waitFor(async () => {
      const messages = await second.caller.inbox.messages({ conversationId: visitor.conversationId });
      return messages.find((message) => message.text.startsWith('Not applied'));
    }, 'a visible rejection');
    expect(rejected.text).toContain('Olive Owner has already taken over');
    await waitFor(async () => (await second.caller.inbox.conversations())[0]?.holder === 'Olive Owner', 'the second desktop showing the winner');
    const relayStates = await relay.client(ownerToken).sync.conversations.query();
    for (const desktop of [first, second]) {
      await desktop.caller.sync.syncNow();
      const [state] = await desktop.caller.inbox.conversations();
      const { hasUnconfirmedChanges, lastActivityAt: _ignored, ...confirmed } = state!;
      expect(hasUnconfirmedChanges).toBe(false);
      expect(confirmed).toEqual(relayStates[0]);
    }
  });

  it('keeps offline changes in the outbox and pushes them when the tenant is unlocked again', async () => {
    const { first, widgetKey } = await connectedPair();
    const visitor = await startVisitor(relay.url, widgetKey);
    await visitor.send('hello');
    await waitFor(async () => (await first.caller.inbox.conversations()).length === 1, 'the conversation');
    await relay.close();
    await first.caller.inbox.reply({ conversationId: visitor.conversationId, text: 'written offline' });
    await waitFor(async () => {
      const status = await first.caller.sync.status();
      return status.connected && status.sync.state === 'offline' && status.sync.pendingOutbox === 1;
    }, 'an offline desktop with one pending change');
    relay = await startTestRelay({ dataDir: relay.dataDirectory, port: relay.port });
    await first.core.lock();
    await first.core.unlock('Bakery', 'correct horse battery staple');
    await first.caller.sync.status();
    await waitFor(async () => (await visitor.messages()).some((message) => message.text === 'written offline'), 'the offline reply at the visitor');
  });
});
