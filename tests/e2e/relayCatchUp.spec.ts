import { expect, test } from '@playwright/test';
import { createRelayTestClient, pushStaffMessages } from '../../relay/testing/relayTestHarness.js';
import { createTenant, ownerPassword } from './relayConnect.js';
import { useWebModeWithRelay } from './webModeWithRelay.js';

/**
 * A second desktop joins a business whose relay log already holds 60,000 events (twelve pages):
 * the Relay screen says how many are left while it catches up, and stops saying so once in step.
 */
test.setTimeout(180_000);

const backlog = 60_000;
const owner = { businessName: 'Bakery', ownerName: 'Olive', email: 'olive@bakery.test', password: ownerPassword, deviceName: 'first desktop' };
const setup = useWebModeWithRelay(() => ({ environment: { RELAY_RATE_LIMIT_SCALE: '0' } }));

async function fillRelayLog(relayUrl: string): Promise<void> {
  const anonymous = createRelayTestClient(relayUrl);
  const { deviceToken } = await anonymous.client.account.registerTenant.mutate(owner);
  await anonymous.close();
  const writer = createRelayTestClient(relayUrl, deviceToken);
  await pushStaffMessages(writer.client, backlog, { conversations: 300, authorName: owner.ownerName });
  await writer.close();
}

test('a desktop joining a business with a long history shows how much is left to catch up', async ({ page }) => {
  await fillRelayLog(setup.relay.url);
  await createTenant(page, setup.web.url, 'Bakery');
  await page.getByRole('navigation').getByRole('button', { name: 'Relay' }).click();
  await page.getByLabel('Relay address').fill(setup.relay.url);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(ownerPassword);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  const progress = page.getByLabel('Catch-up progress');
  await expect(progress).toBeVisible();
  await expect(page.getByText(/^[\d,]+ of 60,000 events to go$/)).toBeVisible();
  expect(Number(await progress.getAttribute('max'))).toBe(backlog);
  await expect(page.getByLabel('Sync state')).toHaveText('Online', { timeout: 60_000 });
  await expect(progress).toHaveCount(0);
});
