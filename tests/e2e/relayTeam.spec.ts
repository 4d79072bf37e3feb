import { expect, test } from '@playwright/test';
import { signMetaPayload } from '../../relay/channels/meta/webhookSignature.js';
import { carlaWrites, connectBakeryOwner, useWhatsappRelay } from './whatsappRelaySetup.js';

/**
 * The owner's side of the relay account in Chromium (web mode, the real relay process): invite a
 * colleague, see them join, revoke a device, remove them; and on WhatsApp, the template picker once the
 * 24-hour window is closed, sending through the relay to the Graph API simulator.
 */
const whatsapp = { phoneNumberId: '106540352242922', businessAccountId: '102290129340398', accessToken: 'EAAG-e2e-whatsapp-token', appSecret: 'e2e-whatsapp-app-secret' };
test.setTimeout(180_000);

const setup = useWhatsappRelay(whatsapp);

/** The relay's public tRPC API over HTTP, as a colleague's own app would call it. */
async function relayCall(path: string, input: unknown, token?: string): Promise<{ status: number; data: unknown }> {
  const response = await fetch(`${setup.relay.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { result?: { data: unknown } };
  return { status: response.status, data: body.result?.data };
}

test('an owner invites a colleague, sees them join, revokes a device, and removes them', async ({ page }) => {
  await connectBakeryOwner(page, setup);
  const staff = page.getByRole('table', { name: 'Staff' });
  await expect(staff).toContainText('olive@bakery.test');

  await page.getByLabel("Colleague's email").fill('ann@bakery.test');
  await page.getByLabel('Role').selectOption('agent');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Invitation' })).toContainText('ann@bakery.test');
  const inviteCode = await page.getByLabel('Invitation code').inputValue();
  expect(inviteCode).toMatch(/^inv_/);
  await expect(staff).toContainText('Invited');

  // Ann joins from her own computer with the code.
  const joined = await relayCall('account.acceptInvitation', { inviteCode, name: 'Ann Agent', password: 'another long password', deviceName: 'Ann laptop' });
  expect(joined.status).toBe(200);
  const annToken = (joined.data as { deviceToken: string }).deviceToken;
  const onPhone = await relayCall('account.login', { email: 'ann@bakery.test', password: 'another long password', deviceName: 'Ann phone' });
  const annPhoneToken = (onPhone.data as { deviceToken: string }).deviceToken;

  // Lists load when the screen opens: leave and come back to see her.
  await page.getByRole('navigation').getByRole('button', { name: 'Inbox' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Relay' }).click();
  await expect(staff).toContainText('Ann Agent');
  const devices = page.getByRole('table', { name: 'Devices' });
  await expect(devices).toContainText('Ann laptop');
  await expect(devices).toContainText('(this computer)');

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Revoke Ann laptop' }).click();
  await expect(devices.getByRole('row', { name: /Ann laptop/ })).toContainText('Revoked');
  // Her token stops working at once.
  expect((await fetch(`${setup.relay.url}/trpc/account.settings`, { headers: { Authorization: `Bearer ${annToken}` } })).status).toBe(401);

  // Removing Ann signs out every device she still has, and she leaves the staff list.
  await expect(staff.getByRole('button', { name: 'Remove olive@bakery.test' })).toHaveCount(0);
  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    void dialog.accept();
  });
  await staff.getByRole('button', { name: 'Remove ann@bakery.test' }).click();
  await expect(staff).not.toContainText('ann@bakery.test');
  expect(question).toContain('Remove Ann Agent (ann@bakery.test) from the business? Their device is signed out at once');
  await expect(devices.getByRole('row', { name: /Ann phone/ })).toContainText('Revoked');
  expect((await fetch(`${setup.relay.url}/trpc/account.settings`, { headers: { Authorization: `Bearer ${annPhoneToken}` } })).status).toBe(401);

  // The automatic reply is saved at the relay.
  await page.getByLabel('Send an automatic reply when nobody has picked a message up').check();
  await page.getByLabel('After (minutes)').fill('2');
  await page.getByLabel('Reply text').fill('Thanks! We will answer within the hour.');
  await page.getByRole('button', { name: 'Save automatic reply' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
});

test('a WhatsApp conversation past the 24-hour window offers the templates and sends one', async ({ page }) => {
  await connectBakeryOwner(page, setup);
  await page.getByRole('navigation').getByRole('button', { name: 'Channels' }).click();
  await page.getByLabel('Phone number id').fill(whatsapp.phoneNumberId);
  await page.getByLabel('WhatsApp Business Account id').fill(whatsapp.businessAccountId);
  await page.getByLabel('Access token', { exact: true }).fill(whatsapp.accessToken);
  await page.getByLabel('App secret', { exact: true }).fill(whatsapp.appSecret);
  await page.getByLabel('Templates (one per line: name language parameter-count)').fill('order_update en_US 1');
  await page.getByRole('button', { name: 'Connect WhatsApp' }).click();
  const callbackUrl = await page.getByLabel('whatsapp callback URL').inputValue();

  // The customer last wrote 26 hours ago (a webhook signed like Meta's).
  const body = carlaWrites(whatsapp, 'wamid.e2e-old', 'Is my cake ready?', 26 * 3600);
  const posted = await fetch(callbackUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signMetaPayload(body, whatsapp.appSecret) }, body });
  expect(posted.status).toBe(200);

  await page.getByRole('navigation').getByRole('button', { name: 'Inbox' }).click();
  await page.getByRole('button', { name: /Carla Customer/ }).first().click();
  await expect(page.getByLabel('Messages')).toContainText('Is my cake ready?');
  await expect(page.getByText('The WhatsApp 24-hour window is closed')).toBeVisible();
  const picker = page.getByRole('form', { name: 'WhatsApp template' });
  await expect(picker.getByLabel('Template')).toContainText('order_update (en_US)');
  await picker.getByLabel('Parameter {{1}}').fill('ready for pickup');
  await picker.getByRole('button', { name: 'Send template' }).click();
  await expect(page.getByLabel('Messages')).toContainText('[Template order_update] ready for pickup', { timeout: 20_000 });
  await expect.poll(() => setup.simulator.requests.length, { timeout: 20_000 }).toBe(1);
  expect(setup.simulator.requests[0]!.body).toMatchObject({ type: 'template', template: { name: 'order_update', components: [{ parameters: [{ text: 'ready for pickup' }] }] } });
});
