import { expect, test, type Page } from '@playwright/test';
import { startWebMode, type WebModeProcess } from './webMode.js';

const passphrase = 'correct horse battery staple';
const newPassphrase = 'violet lantern orbit cactus';

let web: WebModeProcess;
test.beforeEach(async () => {
  web = await startWebMode();
});
test.afterEach(async () => {
  await web.stop();
});

async function createTenant(page: Page, name: string) {
  await page.getByLabel('Business name').fill(name);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create tenant' }).click();
}

test('a tenant is created, locked, unlocked, re-keyed and deleted', async ({ page }) => {
  await page.goto(web.url);
  // The token leaves the address bar as soon as it has been exchanged for a cookie.
  await expect(page).toHaveURL(`${web.origin}/`);
  await expect(page.getByRole('heading', { name: 'Create a tenant' })).toBeVisible();

  await page.getByLabel('Business name').fill('Acme Bikes');
  await page.getByLabel('Passphrase', { exact: true }).fill('password');
  await expect(page.getByText('Very weak')).toBeVisible();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill('something else');
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two passphrases are different.');

  await createTenant(page, 'Acme Bikes');
  await expect(page.getByRole('navigation')).toContainText('Acme Bikes');
  // Staff land in the inbox, the screen they live in.
  await expect(page.getByRole('heading', { name: 'Inbox', level: 1 })).toBeVisible();

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a tenant' })).toBeVisible();
  await page.getByRole('button', { name: 'Acme Bikes', exact: true }).click();
  await page.getByLabel('Passphrase').fill('wrong words entirely');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('passphrase is not correct');
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Security' }).click();
  await expect(page.getByRole('heading', { name: 'Security' })).toBeVisible();

  await page.getByLabel('Current passphrase').fill(passphrase);
  await page.getByLabel('New passphrase', { exact: true }).fill(newPassphrase);
  await page.getByLabel('Confirm new passphrase').fill(newPassphrase);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByText('Passphrase changed.')).toBeVisible();

  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('button', { name: 'Acme Bikes', exact: true }).click();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('passphrase is not correct');
  await page.getByLabel('Passphrase').fill(newPassphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Inbox', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Lock' }).click();

  await page.getByRole('button', { name: 'Delete Acme Bikes' }).click();
  const deleteButton = page.getByRole('button', { name: 'Delete forever' });
  await page.getByLabel('Type "Acme Bikes" to confirm').fill('Acme Bikes');
  await page.getByLabel('Passphrase').fill(newPassphrase);
  await deleteButton.click();
  // With no tenant left, the picker goes straight to creating one.
  await expect(page.getByRole('heading', { name: 'Create a tenant' })).toBeVisible();
});

test('the idle-lock setting is saved and "remember on this device" explains why it is off in a browser', async ({ page }) => {
  await page.goto(web.url);
  await createTenant(page, 'Beta Books');
  await page.getByRole('navigation').getByRole('button', { name: 'Security' }).click();
  await page.getByLabel('Lock after this many idle minutes').fill('5');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('checkbox')).toBeDisabled();
  await expect(page.getByText(/needs the OS keychain/)).toBeVisible();
  await page.reload();
  await page.getByRole('navigation').getByRole('button', { name: 'Security' }).click();
  await expect(page.getByLabel('Lock after this many idle minutes')).toHaveValue('5');
});

test('a browser without the token gets nothing', async ({ page }) => {
  const response = await page.goto(web.origin + '/');
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('Access token missing');
});
