import { expect, test } from '@playwright/test';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AresCore } from '../../electron/core/aresCore.js';
import { seededCustomer, seedTenant } from '../../electron/portability/testing/seedTenant.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

const passphrase = 'correct horse battery staple';

let web: WebModeProcess;
let folder: string;
test.beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ares-privacy-e2e-'));
  const dataDirectory = join(folder, 'data');
  // A tenant with conversations, documents and a catalog, written by the real core before the app starts.
  const core = new AresCore({ dataDirectory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
  await core.createTenant('Acme Bikes', passphrase);
  seedTenant(core.requireSession().database, { conversations: 40, messagesPerConversation: 4, documents: 5, documentBytes: 20_000, products: 30, now: Date.now() });
  await core.dispose();
  web = await startWebMode({ dataDirectory });
});
test.afterEach(async () => {
  await web.stop();
  await rm(folder, { recursive: true, force: true });
});

test('exports with progress, restores into a new tenant and erases a customer', async ({ page }) => {
  // The suggested export path answers late, as on a busy machine: it must not replace the path the user typed.
  await page.route(/suggestedExportPath/, async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.fulfill({ response });
  });
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Acme Bikes', exact: true }).click();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: 'Data & privacy' }).click();
  await expect(page.getByRole('heading', { name: 'Export all data' })).toBeVisible();

  const archive = join(folder, 'acme-export.zip');
  const suggestionAnswered = page.waitForResponse(/suggestedExportPath/);
  await page.getByLabel('Save to').fill(archive);
  await suggestionAnswered;
  await expect(page.getByLabel('Save to')).toHaveValue(archive);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expect(page.getByText(`Exported to ${archive}`)).toBeVisible();
  await expect(page.getByText(/40 conversations/)).toBeVisible();
  expect((await stat(archive)).size).toBeGreaterThan(1000);

  await page.getByLabel('Archive or backup file').fill(archive);
  await page.getByLabel('New tenant name').fill('Acme Copy');
  await page.getByLabel('New tenant passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm new tenant passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(page.getByText(/Restored into the new tenant "Acme Copy": .*40 conversations/)).toBeVisible();

  // A retention rule typed before an erasure is still there after it, and saves.
  const retentionDays = page.getByLabel('Delete conversations after this many days without activity');
  await retentionDays.fill('400');

  const customer = seededCustomer(3);
  await page.getByLabel('Find a customer').fill(customer.phone);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.getByRole('button', { name: new RegExp(customer.label) }).click();
  await expect(page.getByRole('list', { name: 'Everything held about this customer' })).toContainText(customer.phone);
  await expect(page.getByRole('button', { name: 'Erase customer' })).toBeDisabled();
  await page.getByLabel('Type "ERASE" to erase this customer').fill('ERASE');
  await page.getByRole('button', { name: 'Erase customer' }).click();
  await expect(page.getByText(/Erased 1 conversations and 5 messages/)).toBeVisible();
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByText('No customer matches.')).toBeVisible();
  await expect(retentionDays).toHaveValue('400');
  await page.getByRole('button', { name: 'Save retention' }).click();
  await expect(page.getByText('Retention saved and applied.')).toBeVisible();
  await expect(retentionDays).toHaveValue('400');

  // The privacy log lists what was done, newest first, without the customer's details (retention deleted nothing).
  const log = page.getByRole('list', { name: 'Privacy log' });
  await expect(log.getByRole('listitem')).toHaveCount(2);
  await expect(log.getByRole('listitem').nth(0)).toContainText('A customer erased');
  await expect(log.getByRole('listitem').nth(1)).toContainText(/All data exported — .*conversations: 40/);
  await expect(log).not.toContainText(customer.phone);

  // The restored tenant is there to unlock, with its own passphrase.
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('button', { name: 'Acme Copy', exact: true }).click();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: 'Data & privacy' }).click();
  await page.getByLabel('Find a customer').fill(customer.phone);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(page.getByRole('button', { name: new RegExp(customer.label) })).toBeVisible();
});

test('a tampered archive is refused with a clear message and no tenant is created', async ({ page }) => {
  const notAnArchive = join(folder, 'broken.zip');
  await import('node:fs/promises').then((fs) => fs.writeFile(notAnArchive, 'PK\u0003\u0004 but not really a zip'));
  await page.goto(web.url);
  await page.getByRole('button', { name: 'Acme Bikes', exact: true }).click();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: 'Data & privacy' }).click();
  await page.getByLabel('Archive or backup file').fill(notAnArchive);
  await page.getByLabel('New tenant name').fill('Should Not Exist');
  await page.getByLabel('New tenant passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm new tenant passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText(/not a readable zip|not an Ares export/);
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('button', { name: 'Should Not Exist', exact: true })).toHaveCount(0);
});
