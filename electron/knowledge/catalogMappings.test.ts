import { cpSync, mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AresCore } from '../core/aresCore.js';
import { createCoreCaller } from '../core/appRouter.js';
import { ensureTestModels, tinyModelId } from './testing/testModels.js';

const passphrase = 'correct horse battery staple';
const base64 = (text: string) => Buffer.from(text).toString('base64');

// Headers the guess gets wrong: "Ref" is the SKU, "Label" the name, "Cost" the price.
const catalog = `Ref,Label,Cost,Colour
A-100,Trail Helmet,49.90,red
A-200,City Lock,19.00,black
`;

describe('catalog column mapping and model choice', () => {
  let dataDirectory: string;
  let core: AresCore;
  let caller: ReturnType<typeof createCoreCaller>;

  beforeAll(() => {
    // Two installed models: the generated one and a copy under another id, as a second model to switch to.
    const models = mkdtempSync(join(tmpdir(), 'ares-models-'));
    cpSync(join(ensureTestModels(), ...tinyModelId.split('/')), join(models, ...tinyModelId.split('/')), { recursive: true });
    cpSync(join(ensureTestModels(), ...tinyModelId.split('/')), join(models, 'ares-test', 'tiny-bert-copy'), { recursive: true });
    process.env.ARES_MODELS_DIR = models;
    process.env.ARES_EMBEDDING_MODEL = tinyModelId;
  });

  beforeEach(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'ares-catalog-'));
    core = new AresCore({ dataDirectory, kdfParameters: { N: 2 ** 14, r: 8, p: 1 } });
    await core.createTenant('Test', passphrase);
    caller = createCoreCaller({ core });
  });

  afterEach(async () => {
    await core.dispose();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it('shows the guessed mapping with the first rows, then re-indexes the catalog with a changed one', async () => {
    const { sourceId } = await caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    expect((await caller.knowledge.sources())[0]?.columnMapping).toBe('guessed');
    const preview = await caller.knowledge.catalogPreview({ sourceId: sourceId! });
    expect(preview).toMatchObject({ columns: ['Ref', 'Label', 'Cost', 'Colour'], confirmed: false, rowCount: 2 });
    expect(preview.mapping).toMatchObject({ sku: null, name: null, price: 'Cost' });
    expect(preview.sampleRows[0]).toEqual({ Ref: 'A-100', Label: 'Trail Helmet', Cost: '49.90', Colour: 'red' });

    const changed = await caller.knowledge.remapCatalog({ sourceId: sourceId!, mapping: { sku: 'Ref', name: 'Label' } });
    expect(changed).toMatchObject({ confirmed: true, mapping: { sku: 'Ref', name: 'Label', price: 'Cost' } });
    const { products } = await caller.knowledge.products({ sortBy: 'sku' });
    expect(products.map((product) => [product.sku, product.name, product.price])).toEqual([
      ['A-100', 'Trail Helmet', 49.9],
      ['A-200', 'City Lock', 19],
    ]);
    expect(products[0]?.attributes).toEqual({ Colour: 'red' });
    // The passages were rebuilt from the new mapping: the SKU now ranks its product first.
    const hits = await caller.knowledge.search({ query: 'A-200' });
    expect(hits[0]?.matchedBy[0]).toBe('sku');
    expect(hits[0]?.text).toContain('City Lock');
    expect((await caller.knowledge.sources())[0]).toMatchObject({ columnMapping: 'confirmed', productCount: 2 });
  });

  it('confirms an unchanged mapping without re-indexing, and keeps it when the file is imported again', async () => {
    const { sourceId } = await caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    const before = (await caller.knowledge.sources())[0]!;
    const confirmed = await caller.knowledge.remapCatalog({ sourceId: sourceId!, mapping: {} });
    expect(confirmed.confirmed).toBe(true);
    const after = (await caller.knowledge.sources())[0]!;
    expect(after).toMatchObject({ columnMapping: 'confirmed', updatedAt: before.updatedAt });

    await caller.knowledge.remapCatalog({ sourceId: sourceId!, mapping: { sku: 'Ref' } });
    const edited = `${catalog}A-300,Bottle,5.00,blue\n`;
    expect(await caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(edited) })).toMatchObject({ status: 'done', productCount: 3 });
    expect((await caller.knowledge.products({ sortBy: 'sku' })).products.map((product) => product.sku)).toEqual(['A-100', 'A-200', 'A-300']);
    expect((await caller.knowledge.sources())[0]?.columnMapping).toBe('confirmed');
  });

  it('imports with a mapping chosen up front, and explains a column that does not exist', async () => {
    const result = await caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog), mapping: { sku: 'Ref', name: 'Label' } });
    expect(result).toMatchObject({ status: 'done', productCount: 2 });
    expect((await caller.knowledge.sources())[0]?.columnMapping).toBe('confirmed');
    const wrong = await caller.knowledge.importFile({ name: 'other.csv', contentBase64: base64(catalog), mapping: { price: 'Price' } });
    expect(wrong).toMatchObject({ status: 'failed', errorCode: 'CATALOG_COLUMN_NOT_FOUND' });
    expect(wrong.errorMessage).toContain('Its columns are: Ref, Label, Cost, Colour');
    await expect(caller.knowledge.remapCatalog({ sourceId: result.sourceId!, mapping: { stock: 'Inventory' } })).rejects.toMatchObject({ message: expect.stringContaining('no column "Inventory"') });
    await expect(caller.knowledge.remapCatalog({ sourceId: result.sourceId!, mapping: { sku: 'Ref', name: 'Ref' } })).rejects.toThrow(/only one product field/);
  });

  it('has no mapping for a document', async () => {
    const { sourceId } = await caller.knowledge.importFile({ name: 'notes.md', contentBase64: base64('# Notes\nHello there.') });
    expect((await caller.knowledge.sources())[0]?.columnMapping).toBeNull();
    await expect(caller.knowledge.catalogPreview({ sourceId: sourceId! })).rejects.toThrow(/not a catalog/);
  });

  it('lists installed and downloadable models, and re-embeds everything after a switch', async () => {
    await caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    const models = await caller.knowledge.availableModels();
    expect(models.filter((model) => model.installed).map((model) => [model.modelId, model.origin, model.current])).toEqual([
      ['ares-test/tiny-bert', 'configured', true],
      ['ares-test/tiny-bert-copy', 'configured', false],
    ]);
    expect(models.find((model) => model.modelId === 'Xenova/all-MiniLM-L6-v2')).toMatchObject({ installed: false, downloadable: true });

    await caller.knowledge.setModel({ modelId: 'ares-test/tiny-bert-copy' });
    let status = await caller.knowledge.modelStatus();
    for (let attempt = 0; attempt < 100 && status.reembedding.state !== 'done'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await caller.knowledge.modelStatus();
    }
    expect(status).toMatchObject({ modelId: 'ares-test/tiny-bert-copy', reembedding: { state: 'done', done: 2, total: 2 } });
    expect((await caller.knowledge.sources())[0]?.status).toBe('ready');
    expect((await caller.knowledge.search({ query: 'helmet' }))[0]?.text).toContain('Trail Helmet');
  });
});
