import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTestModels, tinyModelId } from '../../electron/knowledge/testing/testModels.js';
import { startWebMode, type WebModeProcess } from './webMode.js';

const passphrase = 'correct horse battery staple';
/** The generated model under a second id: a model to switch to, made without any download. */
const secondModelId = 'ares-test/tiny-bert-copy';

let models: string;
test.beforeAll(() => {
  models = mkdtempSync(join(tmpdir(), 'ares-e2e-models-'));
  const generated = join(ensureTestModels(), ...tinyModelId.split('/'));
  cpSync(generated, join(models, ...tinyModelId.split('/')), { recursive: true });
  cpSync(generated, join(models, ...secondModelId.split('/')), { recursive: true });
});
test.afterAll(() => rmSync(models, { recursive: true, force: true }));

let web: WebModeProcess;
test.beforeEach(async () => {
  web = await startWebMode({ environment: { ARES_MODELS_DIR: models, ARES_EMBEDDING_MODEL: tinyModelId } });
});
test.afterEach(async () => {
  await web.stop();
});

async function createTenant(page: Page) {
  await page.goto(web.url);
  await page.getByLabel('Business name').fill('Acme Bikes');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirm passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create tenant' }).click();
}

const faq = `# Returns

## Refund policy
You can send back any unused item within 30 days and we pay your money back.

# Shipping

## Delivery
Parcels leave our warehouse within two business days.
`;

test('imports files with per-file progress, searches, opens a hit, deletes a source', async ({ page }) => {
  await createTenant(page);
  await page.getByRole('navigation').getByRole('button', { name: 'Knowledge' }).click();
  await expect(page.getByText(`${tinyModelId}`, { exact: true })).toBeVisible();

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

// Headers the app cannot guess: "Ref" is the SKU and "Label" the name.
const catalog = `Ref,Label,Cost,Colour
A-100,Trail Helmet,49.90,red
A-200,City Lock,19.00,black
A-300,Bottle Cage,7.50,black
`;

test('checks and changes a catalog\'s column mapping, sees the products, and switches the model with re-embedding progress', async ({ page }) => {
  await createTenant(page);
  await page.getByRole('navigation').getByRole('button', { name: 'Products' }).click();
  await expect(page.getByText('No products yet.')).toBeVisible();
  await page.getByRole('navigation').getByRole('button', { name: 'Knowledge' }).click();

  await page.getByLabel('Choose files').setInputFiles([{ name: 'catalog.csv', mimeType: 'text/csv', buffer: Buffer.from(catalog) }]);
  await expect(page.getByRole('status').filter({ hasText: 'Import finished.' })).toBeVisible();
  const sources = page.getByRole('region', { name: 'Sources' });
  await expect(sources.getByText('columns guessed', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Check the columns of catalog.csv' }).click();

  const mapping = page.getByRole('region', { name: 'Columns of catalog.csv' });
  await expect(mapping.getByRole('status')).toContainText('guessed from the header names');
  const preview = mapping.getByRole('table', { name: 'Catalog preview' });
  await expect(preview.getByRole('cell', { name: 'Trail Helmet' })).toBeVisible();
  await expect(mapping.getByLabel('Field for column Cost')).toHaveValue('price');
  await expect(mapping.getByLabel('Field for column Ref')).toHaveValue('');
  await mapping.getByLabel('Field for column Ref').selectOption('sku');
  await mapping.getByLabel('Field for column Label').selectOption('name');
  await mapping.getByRole('button', { name: 'Apply and re-index' }).click();
  await expect(mapping.getByRole('status')).toContainText('This mapping is confirmed.');
  await expect(sources.getByText('columns guessed', { exact: true })).toHaveCount(0);
  await mapping.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('navigation').getByRole('button', { name: 'Products' }).click();
  const products = page.getByRole('table');
  await expect(products.getByRole('cell', { name: 'Trail Helmet' })).toBeVisible();
  await products.getByRole('button', { name: 'Price' }).click();
  await expect(products.getByRole('row').nth(1)).toContainText('Bottle Cage');
  await products.getByRole('button', { name: /Price/ }).click();
  await expect(products.getByRole('row').nth(1)).toContainText('Trail Helmet');
  await page.getByLabel('Filter products').fill('A-200');
  await expect(products.getByRole('row')).toHaveCount(2);
  await expect(products.getByRole('row').nth(1)).toContainText('City Lock');
  await page.getByLabel('Filter products').fill('nothing like this');
  await expect(page.getByText('No products match this filter.')).toBeVisible();

  await page.getByRole('navigation').getByRole('button', { name: 'Knowledge' }).click();
  const model = page.getByRole('region', { name: 'Embedding model' });
  await model.getByLabel('Change the model').selectOption(secondModelId);
  await model.getByRole('button', { name: 'Switch model…' }).click();
  const confirmation = model.getByRole('alertdialog');
  await expect(confirmation).toContainText('All 3 passages are embedded again in the background');
  await confirmation.getByRole('button', { name: 'Switch and re-embed' }).click();
  await expect(model.getByText(secondModelId, { exact: true })).toBeVisible();
  await expect(model.getByText('Re-embedding finished: 3 passages use this model.')).toBeVisible();
  await expect(sources.getByRole('row').nth(1)).toContainText('Ready');

  await page.getByLabel('Question').fill('A-300');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first()).toContainText('Bottle Cage');
});
