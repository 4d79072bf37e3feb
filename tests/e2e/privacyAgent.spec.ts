import { expect, test } from '@playwright/test';
import { createTenant } from './relayConnect.js';
import { useWebModeWithRelay } from './webModeWithRelay.js';

/**
 * An agent's desktop (web mode, the real relay process) asked to erase or correct a customer: the
 * Data & privacy screen says why it may not, and the customer is still there.
 */
test.setTimeout(120_000);

const setup = useWebModeWithRelay();

/** A mutation of the relay's public tRPC API over HTTP, as the owner's own app would call it. */
async function relayMutation<T>(path: string, input: unknown, token?: string): Promise<T> {
  const response = await fetch(`${setup.relay.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

test('an agent is told that only owners and admins may erase or correct a customer', async ({ page }) => {
  const owner = await relayMutation<{ deviceToken: string; widgetKey: string }>('account.registerTenant', {
    businessName: 'Bakery',
    ownerName: 'Olive Owner',
    email: 'olive@bakery.test',
    password: 'a long enough password',
    deviceName: 'owner laptop',
  });
  const { inviteCode } = await relayMutation<{ inviteCode: string }>('account.invite', { email: 'ann@bakery.test', role: 'agent' }, owner.deviceToken);
  // A customer writes through the web widget.
  const session = (await (await fetch(`${setup.relay.url}/widget/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ widgetKey: owner.widgetKey }) })).json()) as {
    visitorToken: string;
  };
  const sent = await fetch(`${setup.relay.url}/widget/v1/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.visitorToken}` },
    body: JSON.stringify({ clientMessageId: crypto.randomUUID(), text: 'I am Dora, please forget me' }),
  });
  expect(sent.status).toBeLessThan(300);

  await createTenant(page, setup.web.url, 'Bakery on Ann laptop');
  await page.getByRole('navigation').getByRole('button', { name: 'Relay' }).click();
  await page.getByLabel('I have an invitation').check();
  await page.getByLabel('Relay address').fill(setup.relay.url);
  await page.getByLabel('Invitation code').fill(inviteCode);
  await page.getByLabel('Your name').fill('Ann Agent');
  await page.getByLabel('Choose a password').fill('another long password');
  await page.getByRole('button', { name: 'Join and connect' }).click();
  await expect(page.getByLabel('Sync state')).toHaveText('Online', { timeout: 45_000 });

  await page.getByRole('navigation').getByRole('button', { name: 'Data & privacy' }).click();
  const card = page.getByRole('region', { name: "A customer's data" });
  await expect(async () => {
    await card.getByLabel('Find a customer').fill('Dora');
    await card.getByRole('button', { name: 'Find', exact: true }).click();
    await expect(card.locator('.privacy-customer-list button').first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await card.locator('.privacy-customer-list button').first().click();
  await expect(card.getByRole('list', { name: 'Everything held about this customer' })).toContainText('please forget me');

  await card.getByLabel('Type "ERASE" to erase this customer').fill('ERASE');
  await card.getByRole('button', { name: 'Erase customer' }).click();
  await expect(card.getByRole('alert')).toContainText("Only owners and admins can erase a customer's data: you are signed in to the relay as an agent.");
  await card.getByLabel('Correct name').fill('Dora D.');
  await card.getByRole('button', { name: 'Save correction' }).click();
  await expect(card.getByRole('alert').filter({ hasText: 'correct' })).toContainText("Only owners and admins can correct a customer's details");
  // Nothing changed: the customer is still held under their name.
  await expect(card.getByRole('list', { name: 'Everything held about this customer' })).toContainText('please forget me');
});
