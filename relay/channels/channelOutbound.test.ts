import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBody, LoggedEvent } from '../../shared/schemas/sync.js';
import { messengerAccount, startChannelRelay, textMessage, whatsappAccount, whatsappNotification, type ChannelRelay } from '../testing/channelTestSupport.js';

let relay: ChannelRelay | null = null;
afterEach(async () => {
  await relay?.stop();
  relay = null;
});

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMilliseconds = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const customer = '4915112345678';
const conversationId = `whatsapp:${whatsappAccount.phoneNumberId}:${customer}`;
let mutationId = 0;
const clientId = randomUUID();

async function customerWrites(channelRelay: ChannelRelay, secondsAgo = 0): Promise<void> {
  const body = JSON.stringify(whatsappNotification([{ messages: [textMessage(`wamid.${randomUUID()}`, customer, 'Is my order ready?', Math.floor(Date.now() / 1000) - secondsAgo)] }]));
  expect((await channelRelay.post('whatsapp', body)).status).toBe(200);
}

async function reply(channelRelay: ChannelRelay, conversation: string, body: EventBody): Promise<void> {
  mutationId += 1;
  await channelRelay.relay.client(channelRelay.ownerToken).sync.push.mutate({
    clientId,
    mutations: [{ mutationId, event: { eventId: randomUUID(), conversationId: conversation, occurredAt: Date.now(), body } }],
  });
}

const statusesOf = (events: LoggedEvent[], messageId: string) =>
  events.flatMap((event) => (event.body.type === 'message.status' && event.body.targetMessageId === messageId ? [{ status: event.body.status, reason: event.body.reason }] : []));

describe('replies sent through the Graph API', () => {
  it('sends a staff reply inside the 24-hour window with the right path, token and body, and logs it as sent', async () => {
    relay = await startChannelRelay();
    await customerWrites(relay);
    await reply(relay, conversationId, { type: 'staff.message', messageId: 'reply-1', authorName: 'Olive Owner', text: 'Yes, pick it up at noon.' });
    await waitFor(async () => statusesOf(await relay!.log(), 'reply-1').length > 0, 'the sent status');
    const [request] = relay.simulator.requests;
    expect(request).toMatchObject({
      path: `/v21.0/${whatsappAccount.phoneNumberId}/messages`,
      token: whatsappAccount.accessToken,
      answeredStatus: 200,
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: customer, type: 'text', text: { preview_url: false, body: 'Yes, pick it up at noon.' } },
    });
    expect(statusesOf(await relay.log(), 'reply-1')).toEqual([{ status: 'sent', reason: undefined }]);
  });

  it('retries a rate-limited send with backoff and sends it once', async () => {
    relay = await startChannelRelay();
    relay.simulator.failNext('rateLimited', 2);
    await customerWrites(relay);
    await reply(relay, conversationId, { type: 'ai.message', messageId: 'reply-2', text: 'Your order ships today.' });
    await waitFor(async () => statusesOf(await relay!.log(), 'reply-2').some((status) => status.status === 'sent'), 'the send after two rate limits');
    expect(relay.simulator.requests.map((request) => request.answeredStatus)).toEqual([429, 429, 200]);
  });

  it('marks a send failed with the platform reason when the window closed (131047), and sends it after a retry from the desktop', async () => {
    relay = await startChannelRelay();
    relay.simulator.failNext('windowClosed');
    await customerWrites(relay);
    await reply(relay, conversationId, { type: 'staff.message', messageId: 'reply-3', authorName: 'Olive Owner', text: 'Still there?' });
    const failed = await waitFor(async () => statusesOf(await relay!.log(), 'reply-3').find((status) => status.status === 'failed'), 'the failure');
    expect(failed.reason).toContain('131047');
    expect(relay.simulator.requests).toHaveLength(1);
    const owner = relay.relay.client(relay.ownerToken);
    expect((await owner.channels.outbound.query()).find((send) => send.messageId === 'reply-3')).toMatchObject({ status: 'failed', attempts: 1 });
    await owner.channels.retrySend.mutate({ messageId: 'reply-3' });
    await waitFor(async () => statusesOf(await relay!.log(), 'reply-3').some((status) => status.status === 'sent'), 'the retried send');
    expect(statusesOf(await relay.log(), 'reply-3').map((status) => status.status)).toEqual(['failed', 'queued', 'sent']);
    await expect(owner.channels.retrySend.mutate({ messageId: 'reply-3' })).rejects.toThrow(/Only a failed send/);
  });

  it('gives up after the last attempt and keeps the last platform error', async () => {
    relay = await startChannelRelay({ outboundMaximumAttempts: 3 });
    relay.simulator.failNext('serverError', 5);
    await customerWrites(relay);
    await reply(relay, conversationId, { type: 'staff.message', messageId: 'reply-4', authorName: 'Olive Owner', text: 'Hello?' });
    const failed = await waitFor(async () => statusesOf(await relay!.log(), 'reply-4').find((status) => status.status === 'failed'), 'giving up');
    expect(failed.reason).toMatch(/unexpected error.*code 2/);
    expect(relay.simulator.requests).toHaveLength(3);
  });

  it('refuses free text outside the 24-hour window without calling Meta, and sends a configured template instead', async () => {
    relay = await startChannelRelay();
    await customerWrites(relay, 26 * 60 * 60);
    await reply(relay, conversationId, { type: 'staff.message', messageId: 'reply-5', authorName: 'Olive Owner', text: 'Sorry for the wait' });
    const refused = await waitFor(async () => statusesOf(await relay!.log(), 'reply-5').find((status) => status.status === 'failed'), 'the refusal');
    expect(refused.reason).toMatch(/24-hour customer service window is closed/);
    expect(relay.simulator.requests).toHaveLength(0);
    const owner = relay.relay.client(relay.ownerToken);
    expect(await owner.channels.templates.query()).toEqual([{ name: 'order_update', language: 'en_US', bodyParameterCount: 1, description: 'Order status' }]);
    await expect(owner.channels.sendTemplate.mutate({ conversationId, templateName: 'order_update', parameters: [] })).rejects.toThrow(/takes 1 parameter/);
    const { messageId } = await owner.channels.sendTemplate.mutate({ conversationId, templateName: 'order_update', parameters: ['ready for pickup'] });
    await waitFor(async () => statusesOf(await relay!.log(), messageId).some((status) => status.status === 'sent'), 'the template send');
    expect(relay.simulator.requests[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: customer,
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'ready for pickup' }] }] },
    });
  });

  it('answers on Messenger with RESPONSE in the window, HUMAN_AGENT for a person within 7 days, and refuses the AI there', async () => {
    relay = await startChannelRelay();
    const person = '6543210987654321';
    const messengerConversation = `messenger:${messengerAccount.pageId}:${person}`;
    const messengerWrites = async (mid: string, millisecondsAgo: number) => {
      const body = JSON.stringify({
        object: 'page',
        entry: [{ id: messengerAccount.pageId, time: Date.now(), messaging: [{ sender: { id: person }, recipient: { id: messengerAccount.pageId }, timestamp: Date.now() - millisecondsAgo, message: { mid, text: 'hi' } }] }],
      });
      expect((await relay!.post('messenger', body)).status).toBe(200);
    };
    await messengerWrites('m_recent', 60_000);
    await reply(relay, messengerConversation, { type: 'staff.message', messageId: 'fb-1', authorName: 'Olive Owner', text: 'Hello from the shop' });
    await waitFor(async () => relay!.simulator.requests.length === 1, 'the Messenger send');
    expect(relay.simulator.requests[0]).toMatchObject({
      path: `/v21.0/${messengerAccount.pageId}/messages`,
      token: messengerAccount.pageAccessToken,
      body: { recipient: { id: person }, messaging_type: 'RESPONSE', message: { text: 'Hello from the shop' } },
    });

    await relay.stop();
    relay = await startChannelRelay();
    await messengerWrites('m_old', 3 * 24 * 60 * 60 * 1000);
    // The AI first: once a person has answered, the conversation is theirs and the AI stays silent.
    await reply(relay, messengerConversation, { type: 'ai.message', messageId: 'fb-3', text: 'An AI answering late' });
    await reply(relay, messengerConversation, { type: 'staff.message', messageId: 'fb-2', authorName: 'Olive Owner', text: 'A person answering late' });
    await waitFor(async () => statusesOf(await relay!.log(), 'fb-3').some((status) => status.status === 'failed'), 'the AI refusal');
    await waitFor(async () => relay!.simulator.requests.length === 1, 'the tagged send');
    expect(relay.simulator.requests[0]!.body).toEqual({ recipient: { id: person }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'A person answering late' } });
    expect(statusesOf(await relay.log(), 'fb-3')[0]!.reason).toMatch(/only a person may answer/);
  });
});
