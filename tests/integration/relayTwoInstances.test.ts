import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMetaPayload } from '../../relay/channels/meta/webhookSignature.js';
import { GraphApiSimulator } from '../../relay/testing/graphApiSimulator.js';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { dropPostgresSchema, freshPostgresUrl, postgresAvailable } from '../../relay/testing/testStorage.js';
import { createDesktop, ownerAccount, waitFor, type Desktop } from './relayTestSupport.js';

const whatsapp = { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAG-two-instances', appSecret: 'two-instances-app-secret' };
const customer = '4915112345678';
const conversationId = `whatsapp:${whatsapp.phoneNumberId}:${customer}`;

/**
 * Two relay processes' worth of services on ONE PostgreSQL database, as behind a load balancer:
 * desktops attached to different instances converge, and a webhook taken by either instance
 * reaches both (LISTEN/NOTIFY carries only tenant and seq; each instance reads the log).
 */
describe.skipIf(!postgresAvailable())('two relay instances on one PostgreSQL database', () => {
  const desktops: Desktop[] = [];
  const simulator = new GraphApiSimulator();
  let databaseUrl = '';
  let first: TestRelay;
  let second: TestRelay;

  beforeAll(async () => {
    databaseUrl = freshPostgresUrl();
    const graphApiBaseUrl = await simulator.start();
    simulator.addAccount(whatsapp.phoneNumberId, 'whatsapp', whatsapp.accessToken);
    // Every instance must open the others' sealed secrets: one configured master key for all.
    const shared = { databaseUrl, graphApiBaseUrl, masterKey: 'c0ffee'.repeat(10) + 'c0ff', outboundPollMilliseconds: 100, outboundRetryBaseMilliseconds: 20, rateLimitScale: 0 };
    first = await startTestRelay(shared);
    second = await startTestRelay(shared);
  });

  afterAll(async () => {
    await Promise.all(desktops.map((desktop) => desktop.dispose()));
    await first?.stop();
    await second?.stop();
    await simulator.stop();
    if (databaseUrl) await dropPostgresSchema(databaseUrl);
  });

  it('converges desktops attached to different instances, with one send per reply', async () => {
    const owner = await createDesktop('Bakery');
    desktops.push(owner);
    await owner.caller.sync.register({ relayUrl: first.url, ...ownerAccount });
    const ownerToken = owner.sync().store.connection()!.deviceToken;
    const invitation = await first.client(ownerToken).account.invite.mutate({ email: 'ann@bakery.test', role: 'agent' });
    // Accepted on the second instance: accounts live in the shared database.
    await second.client().account.acceptInvitation.mutate({ inviteCode: invitation.inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'setup' });
    const agent = await createDesktop('Bakery on Ann laptop');
    desktops.push(agent);
    await agent.caller.sync.connect({ relayUrl: second.url, email: 'ann@bakery.test', password: 'another long password' });

    const connection = await first.client(ownerToken).channels.configureWhatsapp.mutate({ ...whatsapp, templates: [] });
    const path = new URL(connection.callbackUrl).pathname;
    // Meta reaches whichever instance the load balancer picks: here the second one.
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: whatsapp.businessAccountId, changes: [{ field: 'messages', value: { metadata: { phone_number_id: whatsapp.phoneNumberId }, contacts: [{ wa_id: customer, profile: { name: 'Ada' } }], messages: [{ id: 'wamid.two-instances-1', from: customer, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Is the shop open today?' } }] } }] }],
    });
    const post = (relayUrl: string) =>
      fetch(`${relayUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signMetaPayload(body, whatsapp.appSecret) }, body });
    expect((await post(second.url)).status).toBe(200);
    expect((await post(first.url)).status).toBe(200);

    for (const desktop of [owner, agent]) {
      await waitFor(async () => (await desktop.caller.inbox.conversations()).some((conversation) => conversation.conversationId === conversationId), 'the WhatsApp conversation on both desktops');
    }
    await agent.caller.inbox.reply({ conversationId, text: 'Yes, until six.' });
    await waitFor(async () => (await owner.caller.inbox.messages({ conversationId })).some((message) => message.text === 'Yes, until six.'), 'the reply on the desktop of the other instance');
    await waitFor(async () => simulator.requests.length >= 1, 'the send to WhatsApp');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(simulator.requests.filter((request) => request.answeredStatus === 200)).toHaveLength(1);
    expect(simulator.requests[0]!.body).toMatchObject({ to: customer, text: { body: 'Yes, until six.' } });

    const relayStates = await second.client(ownerToken).sync.conversations.query();
    for (const desktop of [owner, agent]) {
      await waitFor(async () => {
        await desktop.caller.sync.syncNow();
        const states = await desktop.caller.inbox.conversations();
        const latest = await first.client(ownerToken).sync.conversations.query();
        return states.length === latest.length && states.every((state) => latest.some((relayState) => relayState.conversationId === state.conversationId && relayState.lastSeq === state.lastSeq));
      }, 'every desktop at the relay state');
    }
    expect(relayStates.find((state) => state.conversationId === conversationId)?.messageCount).toBeGreaterThanOrEqual(2);
    const head = await first.services.storage.head(owner.sync().store.connection()!.tenantId);
    const log = await second.services.storage.readLog(owner.sync().store.connection()!.tenantId, 0, 1000);
    expect(log.map((event) => event.seq)).toEqual(Array.from({ length: head.headSeq }, (_, index) => index + 1));
    expect(log.filter((event) => event.body.type === 'customer.message')).toHaveLength(1);
  });
});
