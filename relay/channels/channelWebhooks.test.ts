import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChannelRelay, statusUpdate, textMessage, whatsappNotification, type ChannelRelay } from '../testing/channelTestSupport.js';
import { signMetaPayload } from './meta/webhookSignature.js';

let relay: ChannelRelay;
beforeAll(async () => {
  relay = await startChannelRelay();
});
afterAll(async () => {
  await relay?.stop();
});

const customer = '16315551181';

describe('Meta webhook verification on the relay', () => {
  it('answers the subscription handshake with the challenge only for the generated verify token', async () => {
    const url = `${relay.relay.url}${relay.callbackPath.whatsapp}`;
    const good = await fetch(`${url}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(relay.verifyToken.whatsapp)}&hub.challenge=1158201444`);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('1158201444');
    expect((await fetch(`${url}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444`)).status).toBe(403);
    expect((await fetch(`${url}?hub.mode=unsubscribe&hub.verify_token=${encodeURIComponent(relay.verifyToken.whatsapp)}&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${relay.relay.url}/webhooks/whatsapp/${'0'.repeat(32)}?hub.mode=subscribe`)).status).toBe(404);
  });

  it('refuses a missing header, a wrong secret and a re-serialised body with 401, and stores nothing', async () => {
    const body = JSON.stringify(whatsappNotification([{ messages: [textMessage('wamid.unsigned', customer, 'hello')] }]));
    expect((await relay.post('whatsapp', body, { signature: null })).status).toBe(401);
    expect((await relay.post('whatsapp', body, { secret: 'not-the-app-secret' })).status).toBe(401);
    const signature = signMetaPayload(body, 'whatsapp-app-secret-for-tests');
    expect((await relay.post('whatsapp', JSON.stringify(JSON.parse(body), null, 2), { signature })).status).toBe(401);
    expect((await relay.post('whatsapp', body, { signature: signature.replace('sha256=', '') })).status).toBe(401);
    expect((await relay.post('whatsapp', body, { signature: signature.toUpperCase() })).status).toBe(401);
    // A Messenger secret does not open the WhatsApp callback.
    expect((await relay.post('whatsapp', body, { secret: 'messenger-app-secret-for-tests' })).status).toBe(401);
    expect((await relay.log()).some((event) => event.body.type === 'customer.message' && event.body.messageId === 'whatsapp:wamid.unsigned')).toBe(false);
    const status = await relay.relay.client(relay.ownerToken).channels.status.query();
    expect(status.connections.find((connection) => connection.channel === 'whatsapp')!.webhooks.rejectedCount).toBeGreaterThanOrEqual(6);
  });

  it('commits every entry and message of a batch before answering 200, once per message id', async () => {
    const body = JSON.stringify(
      whatsappNotification([
        { contacts: [{ profile: { name: 'Ada' }, wa_id: customer }], messages: [textMessage('wamid.batch1', customer, 'first'), textMessage('wamid.batch2', customer, 'second')] },
        { messages: [textMessage('wamid.batch3', '4915112345678', 'third, second entry')] },
      ]),
    );
    const first = await relay.post('whatsapp', body);
    expect(first).toEqual({ status: 200, text: 'EVENT_RECEIVED' });
    const messages = (await relay.log()).filter((event) => event.body.type === 'customer.message' && event.body.messageId.startsWith('whatsapp:wamid.batch'));
    expect(messages.map((event) => [event.conversationId, event.body.type === 'customer.message' && event.body.text])).toEqual([
      ['whatsapp:106540352242922:16315551181', 'first'],
      ['whatsapp:106540352242922:16315551181', 'second'],
      ['whatsapp:106540352242922:4915112345678', 'third, second entry'],
    ]);
    expect(messages[0]!.body.type === 'customer.message' && messages[0]!.body.customerLabel).toBe('Ada');
    const headBefore = await relay.relay.services.storage.head(relay.tenantId);
    for (let redelivery = 0; redelivery < 3; redelivery += 1) expect((await relay.post('whatsapp', body)).status).toBe(200);
    expect((await relay.relay.services.storage.head(relay.tenantId)).headSeq).toBe(headBefore.headSeq);
  });

  it('keeps a delivery status from moving backwards: read stays read, duplicates add nothing', async () => {
    const id = 'wamid.outbound-status-1';
    for (const status of ['read', 'delivered', 'sent', 'read', 'delivered']) {
      expect((await relay.post('whatsapp', JSON.stringify(whatsappNotification([{ statuses: [statusUpdate(id, customer, status)] }])))).status).toBe(200);
    }
    const statuses = (await relay.log()).filter((event) => event.body.type === 'message.status' && event.body.targetMessageId === `whatsapp:${id}`);
    expect(statuses.map((event) => event.body.type === 'message.status' && event.body.status)).toEqual(['read']);
  });

  it('moves forward through sent, delivered and read when they arrive in order, and ignores a late failure', async () => {
    const id = 'wamid.outbound-status-2';
    for (const status of ['sent', 'sent', 'delivered', 'read', 'failed']) {
      await relay.post('whatsapp', JSON.stringify(whatsappNotification([{ statuses: [statusUpdate(id, customer, status)] }])));
    }
    const statuses = (await relay.log()).filter((event) => event.body.type === 'message.status' && event.body.targetMessageId === `whatsapp:${id}`);
    expect(statuses.map((event) => event.body.type === 'message.status' && event.body.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('ignores messages addressed to another phone number of the same business account', async () => {
    const body = JSON.stringify(whatsappNotification([{ messages: [textMessage('wamid.other-number', customer, 'not for us')] }], '999999999999'));
    expect((await relay.post('whatsapp', body)).status).toBe(200);
    expect((await relay.log()).some((event) => event.body.type === 'customer.message' && event.body.messageId === 'whatsapp:wamid.other-number')).toBe(false);
  });

  it('answers 5xx when the database is unavailable, so Meta delivers again, and 200 once it is back', async () => {
    const storage = relay.relay.services.storage;
    const original = storage.transaction.bind(storage);
    storage.transaction = (async () => {
      throw new Error('database is down');
    }) as typeof storage.transaction;
    const body = JSON.stringify(whatsappNotification([{ messages: [textMessage('wamid.while-down', customer, 'are you there?')] }]));
    try {
      expect((await relay.post('whatsapp', body)).status).toBe(503);
    } finally {
      storage.transaction = original;
    }
    expect((await relay.post('whatsapp', body)).status).toBe(200);
    expect((await relay.log()).filter((event) => event.body.type === 'customer.message' && event.body.messageId === 'whatsapp:wamid.while-down')).toHaveLength(1);
  });
});
