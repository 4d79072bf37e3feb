import { expect, type Page } from '@playwright/test';

export const passphrase = 'correct horse battery staple';
export const ownerPassword = 'a long enough password';

/** Opens web mode on a fresh data folder and creates the tenant; the Workspace shows after. */
export async function createTenant(page: Page, webUrl: string, businessName: string): Promise<void> {
  await page.goto(webUrl);
  await page.getByLabel('Business name').fill(businessName);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create tenant' }).click();
}

/**
 * From the Workspace: Relay → "Create a relay account" for the business, then waits for the first
 * sync to be Online. Returns the widget snippet the Relay screen then shows.
 */
export async function registerAtRelay(page: Page, relayUrl: string, account: { businessName: string; email: string; ownerName?: string }): Promise<string> {
  await page.getByRole('navigation').getByRole('button', { name: 'Relay' }).click();
  await page.getByLabel('Create a relay account').check();
  await page.getByLabel('Relay address').fill(relayUrl);
  await page.getByLabel('Business name').fill(account.businessName);
  await page.getByLabel('Your name').fill(account.ownerName ?? 'Olive Owner');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(ownerPassword);
  await page.getByRole('button', { name: 'Create account and connect' }).click();
  // Registering hashes a password with scrypt on the relay and the first sync follows: slow on a busy CI machine.
  await expect(page.getByLabel('Sync state')).toHaveText('Online', { timeout: 45_000 });
  // The relay's log is still empty, and the desktop knows it is in step with it.
  await expect(page.getByLabel('Last synced')).not.toHaveText('Not yet');
  return page.getByLabel('Widget snippet').inputValue();
}
