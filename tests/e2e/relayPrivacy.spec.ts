import { expect, test, type Locator, type Page } from '@playwright/test';
import { createTenant, registerAtRelay } from './relayConnect.js';
import { useWebModeWithRelay } from './webModeWithRelay.js';

const setup = useWebModeWithRelay();


/** The owner's desktop, connected to a new relay account, on the "Relay data" card of Data & privacy. */
async function ownerOnRelayDataCard(page: Page): Promise<Locator> {
  await createTenant(page, setup.web.url, 'Bakery');
  await registerAtRelay(page, setup.relay.url, { businessName: 'Bakery', email: 'olive@bakery.test' });
  await page.getByRole('navigation').getByRole('button', { name: 'Data & privacy' }).click();
  return page.getByRole('region', { name: 'Relay data' });
}

async function closeAccount(card: Locator, graceDays: number): Promise<void> {
  await card.getByLabel('Grace period in days').fill(String(graceDays));
  await card.getByLabel('Type "CLOSE" to close the account').fill('CLOSE');
  await card.getByRole('button', { name: 'Close account on the relay' }).click();
}

test('the owner sets relay retention, starts closing the account on the relay and cancels it', async ({ page }) => {
  const card = await ownerOnRelayDataCard(page);
  await card.getByLabel('On the relay, delete conversations after this many days without activity').fill('90');
  await card.getByLabel('On the relay, drop messages every signed-in device has collected after this many days').fill('14');
  await card.getByRole('button', { name: 'Save relay retention' }).click();
  await expect(card.getByRole('status')).toHaveText('Relay retention saved and applied.');

  await closeAccount(card, 7);
  await expect(card.getByRole('alert')).toContainText('closes on');
  await card.getByRole('button', { name: 'Keep the account (cancel closing)' }).click();
  await expect(card.getByRole('button', { name: 'Close account on the relay' })).toBeVisible();
  await expect(card.getByRole('alert')).toHaveCount(0);
  await expect(card.getByLabel('On the relay, delete conversations after this many days without activity')).toHaveValue('90');
});

test('after the owner closes the account now, the Relay screen says so, stops syncing and offers Disconnect', async ({ page }) => {
  const card = await ownerOnRelayDataCard(page);
  await closeAccount(card, 0);
  await expect(card.getByRole('alert')).toContainText('closed on the relay');

  await page.getByRole('navigation').getByRole('button', { name: 'Relay' }).click();
  await expect(page.getByLabel('Sync state')).toHaveText('Account closed on the relay');
  const connection = page.getByRole('region', { name: 'Relay connection' });
  await expect(connection.getByRole('alert')).toContainText('Disconnect it from this relay');
  await expect(connection.getByRole('button', { name: 'Sync now' })).toHaveCount(0);
  await connection.getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByRole('button', { name: 'Connect' })).toBeVisible();
});
