import { expect, test } from '@playwright/test';
import { ensureTestModels, tinyModelId } from '../../electron/knowledge/testing/testModels.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

const passphrase = 'correct horse battery staple';

let web: WebModeProcess;
test.beforeEach(async () => {
  web = await startWebMode({ environment: { ARES_MODELS_DIR: ensureTestModels(), ARES_EMBEDDING_MODEL: tinyModelId } });
});
test.afterEach(async () => {
  await web.stop();
});

const faq = `# Returns

## Refund policy
You can send back any unused item within 30 days and we pay your money back.

# Shipping

## Delivery
Parcels leave our warehouse within two business days.
`;

test('imports files with per-file progress, searches, opens a hit, deletes a source', async ({ page }) => {
  await page.goto(web.url);
  await page.getByLabel('Business name').fill('Acme Bikes');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create tenant' }).click();
  await page.getByRole('navigation').getByRole('button', { name: 'Knowledge' }).click();
  await expect(page.getByText(`${tinyModelId}`)).toBeVisible();

  await page.getByLabel('Choose files').setInputFiles([
    { name: 'faq.md', mimeType: 'text/markdown', buffer: Buffer.from(faq) },
    { name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from('sku,name,price\n24-MB01,Joust Duffle Bag,34\n') },
    { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not an image') },
  ]);
  const files = page.getByRole('list', { name: 'Files being imported' });
  await expect(page.getByRole('status').filter({ hasText: 'Import finished.' })).toBeVisible();
  await expect(files.getByRole('listitem').filter({ hasText: 'faq.md' })).toContainText('Done');
  await expect(files.getByRole('listitem').filter({ hasText: 'catalog.csv' })).toContainText('1 products');
  await expect(files.getByRole('listitem').filter({ hasText: 'photo.png' })).toContainText('unsupported type (.png)');

  const sources = page.getByRole('region', { name: 'Sources' });
  await expect(sources.getByRole('row')).toHaveCount(3);

  await page.getByLabel('Question').fill('how long do I have to get my money back?');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const results = page.getByRole('list', { name: 'Search results' });
  const refundHit = results.getByRole('listitem').filter({ hasText: '30 days' });
  await expect(refundHit).toBeVisible();
  await expect(refundHit).toContainText('Returns › Refund policy');
  await expect(refundHit.locator('mark').first()).toBeVisible();
  await refundHit.getByRole('button', { name: 'Open source' }).click();
  const viewer = page.getByRole('region', { name: 'faq.md' });
  await expect(viewer.locator('[aria-current="location"]')).toContainText('30 days');

  await page.getByRole('navigation').getByRole('button', { name: 'Products' }).click();
  await expect(page.getByRole('cell', { name: 'Joust Duffle Bag' })).toBeVisible();
  await page.getByRole('navigation').getByRole('button', { name: 'Knowledge' }).click();

  await page.getByRole('button', { name: 'Delete faq.md' }).click();
  await expect(page.getByRole('region', { name: 'Sources' }).getByRole('row')).toHaveCount(2);
  await page.getByLabel('Question').fill('refund policy');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  // Vector search still returns the nearest remaining passage (the catalog), never the deleted FAQ.
  await expect(results.getByRole('listitem').first()).toContainText('catalog.csv');
  await expect(results.getByRole('listitem').filter({ hasText: 'faq.md' })).toHaveCount(0);
});
