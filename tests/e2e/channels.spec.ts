import { expect, test } from '@playwright/test';
import { signMetaPayload } from '../../relay/channels/meta/webhookSignature.js';
import { createTenant, registerAtRelay } from './relayConnect.js';
import { carlaWrites, useWhatsappRelay } from './whatsappRelaySetup.js';

/**
 * The Channels screen in Chromium (web mode, the real relay process): connect a WhatsApp number,
 * read the callback URL and verify token Meta's dashboard needs, store the secrets (write-only), see
 * a signed webhook counted as arriving, and answer the customer through the Graph API simulator.
 */
const whatsapp = { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAG-e2e-channels-token', appSecret: 'e2e-channels-app-secret' };
test.setTimeout(180_000);

const setup = useWhatsappRelay(whatsapp);

test('connects a WhatsApp number, shows what Meta needs, keeps the secrets write-only, counts webhooks and sends a reply', async ({ page }) => {
  // Before the tenant has a relay, the screen says what comes first (as a next step, not an error).
  await createTenant(page, setup.web.url, 'Bakery');
  await page.getByRole('navigation').getByRole('button', { name: 'Channels' }).click();
  await expect(page.getByRole('status')).toContainText('Connect this tenant to a relay under Relay first');
  await registerAtRelay(page, setup.relay.url, { businessName: 'Bakery', email: 'olive@bakery.test' });
  await page.getByRole('navigation').getByRole('button', { name: 'Channels' }).click();
  const form = page.getByRole('form', { name: 'WhatsApp Business number' });
  await form.getByLabel('Phone number id').fill(whatsapp.phoneNumberId);
  await form.getByLabel('WhatsApp Business Account id').fill(whatsapp.businessAccountId);
  await form.getByLabel('Access token', { exact: true }).fill(whatsapp.accessToken);
  await form.getByLabel('App secret', { exact: true }).fill(whatsapp.appSecret);
  await form.getByRole('button', { name: 'Connect WhatsApp' }).click();

  // What to paste into Meta's dashboard: the relay's callback URL and a verify token that passes the handshake.
  const callbackInput = page.getByLabel('whatsapp callback URL');
  await expect(callbackInput).toHaveValue(new RegExp(`^${setup.relay.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
  const callbackUrl = await callbackInput.inputValue();
  const verifyToken = await page.getByLabel('whatsapp verify token').inputValue();
  expect(verifyToken.length).toBeGreaterThan(10);
  const handshake = await fetch(`${callbackUrl}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(verifyToken)}&hub.challenge=1158201444`);
  expect(await handshake.text()).toBe('1158201444');
  expect((await fetch(`${callbackUrl}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);

  // The secrets are stored at the relay and never shown again: empty fields, a "stored" hint, nowhere on the page.
  await expect(page.getByRole('button', { name: 'Save WhatsApp settings' })).toBeVisible();
  await expect(page.getByLabel('Access token', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Access token', { exact: true })).toHaveAttribute('placeholder', 'Stored — type to replace');
  await expect(page.getByLabel('App secret', { exact: true })).toHaveValue('');
  await expect(page.getByText('access token ✓, app secret ✓', { exact: false })).toBeVisible();
  const content = await page.content();
  expect(content).not.toContain(whatsapp.accessToken);
  expect(content).not.toContain(whatsapp.appSecret);

  // A webhook signed with the app secret is accepted and counted; a forged one is rejected and counted.
  const status = page.getByRole('form', { name: 'WhatsApp Business number' }).getByRole('status');
  await expect(status).toHaveText('No webhook has arrived yet.');
  const body = carlaWrites(whatsapp, 'wamid.e2e-channels-1', 'Do you have rye bread today?');
  const posted = await fetch(callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signMetaPayload(body, whatsapp.appSecret) }, body });
  expect(posted.status).toBe(200);
  const forged = await fetch(callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signMetaPayload(body, 'not the app secret') }, body });
  expect(forged.status).toBe(401);
  await expect(status).toContainText('Webhooks arriving: 1 received', { timeout: 20_000 });
  await expect(status).toContainText('1 rejected (wrong signature: check the app secret)');

  // The customer's message reaches the inbox; a reply goes out through the Graph API.
  await page.getByRole('navigation').getByRole('button', { name: 'Inbox' }).click();
  await page.getByRole('button', { name: /Carla Customer/ }).first().click();
  const conversation = page.getByRole('region', { name: 'Conversation', exact: true });
  await expect(conversation.getByLabel('Messages')).toContainText('Do you have rye bread today?', { timeout: 20_000 });
  const takeOver = conversation.getByRole('button', { name: 'Take over' });
  if (await takeOver.isVisible()) await takeOver.click();
  await conversation.getByLabel('Reply', { exact: true }).fill('Yes, fresh from the oven at 9.');
  await conversation.getByRole('button', { name: 'Send reply' }).click();
  await expect.poll(() => setup.simulator.requests.filter((request) => request.answeredStatus === 200).length, { timeout: 30_000 }).toBe(1);
  expect(setup.simulator.requests[0]).toMatchObject({ accountId: whatsapp.phoneNumberId, token: whatsapp.accessToken, body: { messaging_product: 'whatsapp', to: '4915112345678', type: 'text', text: { body: 'Yes, fresh from the oven at 9.' } } });
  await page.getByRole('navigation').getByRole('button', { name: 'Channels' }).click();
  await expect(page.getByText(/Replies: 1 sent, 0 waiting, 0 failed/)).toBeVisible({ timeout: 20_000 });
});
