import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { signMetaPayload } from '../../relay/channels/meta/webhookSignature.js';
import { GraphApiSimulator } from '../../relay/testing/graphApiSimulator.js';
import { textMessage, whatsappAccount, whatsappNotification } from '../../relay/testing/channelTestSupport.js';
import { startTestRelay, type TestRelay } from '../../relay/testing/relayTestHarness.js';
import { createDesktop, ownerAccount, waitFor, type Desktop } from './relayTestSupport.js';

/**
 * What the inbox composer does on WhatsApp, through the desktop's procedures against a real relay
 * sending to the Graph API simulator: the template picker once the 24-hour window is closed, and
 * Retry on a reply the platform refused.
 */
let relay: TestRelay | null = null;
let simulator: GraphApiSimulator | null = null;
let desktop: Desktop | null = null;
afterEach(async () => {
  await desktop?.dispose();
  await relay?.stop();
  await simulator?.stop();
  desktop = relay = simulator = null;
});

const customer = '4915112345678';
const conversationId = `whatsapp:${whatsappAccount.phoneNumberId}:${customer}`;

async function connectedDesktop(): Promise<{ desktop: Desktop; customerWrites: (text: string, secondsAgo?: number) => Promise<void> }> {
  simulator = new GraphApiSimulator();
  const graphApiBaseUrl = await simulator.start();
  simulator.addAccount(whatsappAccount.phoneNumberId, 'whatsapp', whatsappAccount.accessToken);
  relay = await startTestRelay({ graphApiBaseUrl, outboundRetryBaseMilliseconds: 20, outboundPollMilliseconds: 50, rateLimitScale: 0 });
  desktop = await createDesktop('Bakery');
  await desktop.caller.sync.register({ relayUrl: relay.url, ...ownerAccount });
  const view = await desktop.caller.channels.configureWhatsapp({
    phoneNumberId: whatsappAccount.phoneNumberId,
    businessAccountId: whatsappAccount.businessAccountId,
    accessToken: whatsappAccount.accessToken,
    appSecret: whatsappAccount.appSecret,
    templates: [{ name: 'order_update', language: 'en_US', bodyParameterCount: 1, description: 'Order status' }],
  });
  const customerWrites = async (text: string, secondsAgo = 0) => {
    const body = JSON.stringify(whatsappNotification([{ messages: [textMessage(`wamid.${randomUUID()}`, customer, text, Math.floor(Date.now() / 1000) - secondsAgo)] }]));
    const response = await fetch(view.callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signMetaPayload(body, whatsappAccount.appSecret) }, body });
    expect(response.status).toBe(200);
  };
  return { desktop, customerWrites };
}

const messages = async (caller: Desktop['caller']) => (await caller.liveInbox.messages({ conversationId, limit: 100 })).messages;

describe('the WhatsApp composer in the desktop', () => {
  it('offers the configured templates when the 24-hour window is closed and sends one through the relay', async () => {
    const { desktop, customerWrites } = await connectedDesktop();
    await customerWrites('Is my cake ready?', 26 * 60 * 60);
    const details = await waitFor(() => desktop.caller.liveInbox.conversation({ conversationId }).catch(() => null), 'the conversation on the desktop');
    expect(details.whatsappWindowClosesAt).toBeLessThan(Date.now());

    expect(await desktop.caller.channels.templates()).toEqual([{ name: 'order_update', language: 'en_US', bodyParameterCount: 1, description: 'Order status' }]);
    await expect(desktop.caller.channels.sendTemplate({ conversationId, templateName: 'order_update', parameters: [] })).rejects.toThrow(/takes 1 parameter/);
    const { messageId } = await desktop.caller.channels.sendTemplate({ conversationId, templateName: 'order_update', parameters: ['ready for pickup'] });

    const shown = await waitFor(async () => (await messages(desktop.caller)).find((message) => message.messageId === messageId), 'the template message on the desktop');
    expect(shown).toMatchObject({ kind: 'staff', authorName: 'Olive Owner', text: '[Template order_update] ready for pickup' });
    await waitFor(() => simulator!.requests.length === 1, 'the template at the Graph API');
    expect(simulator!.requests[0]!.body).toMatchObject({ type: 'template', template: { name: 'order_update', components: [{ parameters: [{ type: 'text', text: 'ready for pickup' }] }] } });
  });

  it('shows a refused reply as failed with the platform reason, and Retry sends it', async () => {
    const { desktop, customerWrites } = await connectedDesktop();
    await customerWrites('Is my cake ready?');
    await waitFor(() => desktop.caller.liveInbox.conversation({ conversationId }).catch(() => null), 'the conversation on the desktop');
    simulator!.failNext('windowClosed');
    await desktop.caller.liveInbox.takeOver({ conversationId });
    await desktop.caller.liveInbox.reply({ conversationId, text: 'Yes, come at noon.' });

    const failed = await waitFor(async () => (await messages(desktop.caller)).find((message) => message.text === 'Yes, come at noon.' && message.delivery === 'failed'), 'the failed reply');
    expect(failed.failureReason).toContain('131047');

    const retried = await desktop.caller.channels.retrySend({ messageId: failed.messageId });
    expect(retried).toMatchObject({ messageId: failed.messageId, status: expect.stringMatching(/queued|sending|sent/) });
    // "sent" here is the platform's answer overriding "failed" (the tick never goes back otherwise).
    await waitFor(async () => (await messages(desktop.caller)).find((message) => message.messageId === failed.messageId && message.delivery === 'sent'), 'the reply sent after Retry');
    expect(simulator!.requests.map((request) => request.answeredStatus)).toEqual([400, 200]);
    // Retrying what is not failed says so.
    await expect(desktop.caller.channels.retrySend({ messageId: failed.messageId })).rejects.toThrow(/Only a failed send/);
  });
});
