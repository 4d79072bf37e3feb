import { expect, test } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { startRelayProcess, type RelayProcess } from './relayProcess.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

const passphrase = 'correct horse battery staple';

let web: WebModeProcess;
let relay: RelayProcess;

test.beforeEach(async () => {
  [web, relay] = await Promise.all([startWebMode(), startRelayProcess()]);
});
test.afterEach(async () => {
  await Promise.all([web.stop(), relay.stop()]);
  await rm(relay.dataDirectory, { recursive: true, force: true });
});

test('a slow answer to "Create account and connect" does not hide the live sync state', async ({ page }) => {
  // The answer to the connect request is the status at the moment of connecting; the live status
  // arrives on another connection. Holding the answer back makes the live one arrive first.
  await page.route('**/trpc/sync.register**', async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await route.fulfill({ response });
  });
  await page.goto(web.url);
  await page.getByLabel('Business name').fill('Bakery');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Relay' }).click();
  await page.getByLabel('Create a relay account').check();
  await page.getByLabel('Relay address').fill(relay.url);
  await page.getByLabel('Business name').fill('Bakery');
  await page.getByLabel('Your name').fill('Olive Owner');
  await page.getByLabel('Email').fill('olive@bakery.test');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account and connect' }).click();
  await expect(page.getByLabel('Sync state')).toHaveText('Online', { timeout: 45_000 });
  await page.waitForTimeout(5_000);
  await expect(page.getByLabel('Sync state')).toHaveText('Online');
});
