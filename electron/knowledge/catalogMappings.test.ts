import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModels, tinyModelId } from './testing/testModels.js';
import { useUnlockedTenant } from './testing/unlockedTenant.js';
const base64 = (text: string) => Buffer.from(text).toString('base64');

// Headers the guess gets wrong: "Ref" is the SKU, "Label" the name, "Cost" the price.
const catalog = `Ref,Label,Cost,Colour
A-100,Trail Helmet,49.90,red
A-200,City Lock,19.00,black
`;

describe('catalog column mapping and model choice', () => {
  const tenant = useUnlockedTenant();

  beforeAll(() => {
    // Two installed models: the generated one and a copy under another id, as a second model to switch to.
    const models = mkdtempSync(join(tmpdir(), 'ares-models-'));
    cpSync(join(ensureTestModels(), ...tinyModelId.split('/')), join(models, ...tinyModelId.split('/')), { recursive: true });
    cpSync(join(ensureTestModels(), ...tinyModelId.split('/')), join(models, 'ares-test', 'tiny-bert-copy'), { recursive: true });
    process.env.ARES_MODELS_DIR = models;
    process.env.ARES_EMBEDDING_MODEL = tinyModelId;
  });

  it('shows the guessed mapping with the first rows, then re-indexes the catalog with a changed one', async () => {
    const { sourceId } = await tenant.caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    expect((await tenant.caller.knowledge.sources())[0]?.columnMapping).toBe('guessed');
    const preview = await tenant.caller.knowledge.catalogPreview({ sourceId: sourceId! });
    expect(preview).toMatchObject({ columns: ['Ref', 'Label', 'Cost', 'Colour'], confirmed: false, rowCount: 2 });
    expect(preview.mapping).toMatchObject({ sku: null, name: null, price: 'Cost' });
    expect(preview.sampleRows[0]).toEqual({ Ref: 'A-100', Label: 'Trail Helmet', Cost: '49.90', Colour: 'red' });

    const changed = await tenant.caller.knowledge.remapCatalog({ sourceId: sourceId!, mapping: { sku: 'Ref', name: 'Label' } });
    expect(changed).toMatchObject({ confirmed: true, mapping: { sku: 'Ref', name: 'Label', price: 'Cost' } });
    const { products } = await tenant.caller.knowledge.products({ sortBy: 'sku' });
    expect(products.map((product) => [product.sku, product.name, product.price])).toEqual([
      ['A-100', 'Trail Helmet', 49.9],
      ['A-200', 'City Lock', 19],
    ]);
    expect(products[0]?.attributes).toEqual({ Colour: 'red' });
    // The passages were rebuilt from the new mapping: the SKU now ranks its product first.
    const hits = await tenant.caller.knowledge.search({ query: 'A-200' });
    expect(hits[0]?.matchedBy[0]).toBe('sku');
    expect(hits[0]?.text).toContain('City Lock');
    expect((await tenant.caller.knowledge.sources())[0]).toMatchObject({ columnMapping: 'confirmed', productCount: 2 });
  });

  it('confirms an unchanged mapping without re-indexing, and keeps it when the file is imported again', async () => {
    const { sourceId } = await tenant.caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    const before = (await tenant.caller.knowledge.sources())[0]!;
    const confirmed = await tenant.caller.knowledge.remapCatalog({ sourceId: sourceId!, mapping: {} });
    expect(confirmed.confirmed).toBe(true);
    const after = (await tenant.caller.knowledge.sources())[0]!;
    expect(after).toMatchObject({ columnMapping: 'confirmed', updatedAt: before.updatedAt });

    await tenant.caller.knowledge.remapCatalog({ sourceId: sourceId!, mapping: { sku: 'Ref' } });
    const edited = `${catalog}A-300,Bottle,5.00,blue\n`;
    expect(await tenant.caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(edited) })).toMatchObject({ status: 'done', productCount: 3 });
    expect((await tenant.caller.knowledge.products({ sortBy: 'sku' })).products.map((product) => product.sku)).toEqual(['A-100', 'A-200', 'A-300']);
    expect((await tenant.caller.knowledge.sources())[0]?.columnMapping).toBe('confirmed');
  });

  it('imports with a mapping chosen up front, and explains a column that does not exist', async () => {
    const result = await tenant.caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog), mapping: { sku: 'Ref', name: 'Label' } });
    expect(result).toMatchObject({ status: 'done', productCount: 2 });
    expect((await tenant.caller.knowledge.sources())[0]?.columnMapping).toBe('confirmed');
    const wrong = await tenant.caller.knowledge.importFile({ name: 'other.csv', contentBase64: base64(catalog), mapping: { price: 'Price' } });
    expect(wrong).toMatchObject({ status: 'failed', errorCode: 'CATALOG_COLUMN_NOT_FOUND' });
    expect(wrong.errorMessage).toContain('Its columns are: Ref, Label, Cost, Colour');
    await expect(tenant.caller.knowledge.remapCatalog({ sourceId: result.sourceId!, mapping: { stock: 'Inventory' } })).rejects.toMatchObject({ message: expect.stringContaining('no column "Inventory"') });
    await expect(tenant.caller.knowledge.remapCatalog({ sourceId: result.sourceId!, mapping: { sku: 'Ref', name: 'Ref' } })).rejects.toThrow(/only one product field/);
  });

  it('has no mapping for a document', async () => {
    const { sourceId } = await tenant.caller.knowledge.importFile({ name: 'notes.md', contentBase64: base64('# Notes\nHello there.') });
    expect((await tenant.caller.knowledge.sources())[0]?.columnMapping).toBeNull();
    await expect(tenant.caller.knowledge.catalogPreview({ sourceId: sourceId! })).rejects.toThrow(/not a catalog/);
  });

  it('lists installed and downloadable models, and re-embeds everything after a switch', async () => {
    await tenant.caller.knowledge.importFile({ name: 'catalog.csv', contentBase64: base64(catalog) });
    const models = await tenant.caller.knowledge.availableModels();
    expect(models.filter((model) => model.installed).map((model) => [model.modelId, model.origin, model.current])).toEqual([
      ['ares-test/tiny-bert', 'configured', true],
      ['ares-test/tiny-bert-copy', 'configured', false],
    ]);
    expect(models.find((model) => model.modelId === 'Xenova/all-MiniLM-L6-v2')).toMatchObject({ installed: false, downloadable: true });

    await tenant.caller.knowledge.setModel({ modelId: 'ares-test/tiny-bert-copy' });
    let status = await tenant.caller.knowledge.modelStatus();
    for (let attempt = 0; attempt < 100 && status.reembedding.state !== 'done'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await tenant.caller.knowledge.modelStatus();
    }
    expect(status).toMatchObject({ modelId: 'ares-test/tiny-bert-copy', reembedding: { state: 'done', done: 2, total: 2 } });
    expect((await tenant.caller.knowledge.sources())[0]?.status).toBe('ready');
    expect((await tenant.caller.knowledge.search({ query: 'helmet' }))[0]?.text).toContain('Trail Helmet');
  });

  it('finishes re-embedding with the model chosen last when the model changes again mid-way', async () => {
    const rows = Array.from({ length: 400 }, (_, index) => `B-${index},Spare part number ${index},${index}.00,grey`);
    await tenant.caller.knowledge.importFile({ name: 'parts.csv', contentBase64: base64(`Ref,Label,Cost,Colour\n${rows.join('\n')}\n`) });
    await tenant.caller.knowledge.setModel({ modelId: 'ares-test/tiny-bert-copy' });
    let status = await tenant.caller.knowledge.modelStatus();
    for (let attempt = 0; attempt < 200 && status.reembedding.state !== 'running'; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      status = await tenant.caller.knowledge.modelStatus();
    }
    expect(status.reembedding).toMatchObject({ state: 'running', total: 400 });
    await tenant.caller.knowledge.setModel({ modelId: tinyModelId });
    let sources = await tenant.caller.knowledge.sources();
    for (let attempt = 0; attempt < 300 && sources.some((source) => source.status !== 'ready'); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      sources = await tenant.caller.knowledge.sources();
    }
    expect(sources.map((source) => source.status)).toEqual(['ready']);
    expect((await tenant.caller.knowledge.modelStatus()).index.rows).toBe(400);
  });
});
