import { spawnSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModels, tinyModelId } from '../knowledge/testing/testModels.js';
import { strongPassphrase, temporaryDirectory } from '../vault/testSupport.js';
import { parseMappingOption } from './commands/catalogCommands.js';

describe('ares catalog and ares model (as a process)', () => {
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let environment: NodeJS.ProcessEnv;
  const ares = (...args: string[]) => {
    const result = spawnSync(process.execPath, ['bin/ares.mjs', ...args], { env: environment, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) as unknown };
  };

  beforeAll(async () => {
    directory = await temporaryDirectory();
    const models = join(directory.path, 'models');
    const generated = join(ensureTestModels(), ...tinyModelId.split('/'));
    cpSync(generated, join(models, ...tinyModelId.split('/')), { recursive: true });
    cpSync(generated, join(models, 'ares-test', 'tiny-bert-copy'), { recursive: true });
    environment = { ...process.env, ARES_DATA_DIR: join(directory.path, 'data'), ARES_PASSPHRASE: strongPassphrase, ARES_MODELS_DIR: models, ARES_EMBEDDING_MODEL: tinyModelId };
    writeFileSync(join(directory.path, 'catalog.csv'), 'Ref,Label,Unit cost,Colour\nA-100,Trail Helmet,49.90,red\nA-200,City Lock,19.00,black\n');
    expect(ares('tenant', 'create', '--name', 'Acme').status).toBe(0);
  }, 60_000);
  afterAll(() => directory.remove());

  it('reads FIELD=COLUMN pairs, allowing commas inside column names', () => {
    expect(parseMappingOption('sku=Ref,price=Cost, in EUR,url=')).toEqual({ sku: 'Ref', price: 'Cost, in EUR', url: null });
    expect(() => parseMappingOption('colour=Colour')).toThrow('"colour" is not a product field; the fields are: sku, name, description, price, currency, stock, url.');
    expect(() => parseMappingOption('Ref')).toThrow(/not FIELD=COLUMN/);
  });

  it('imports a catalog with a mapping, shows it, refuses a missing column and changes it', () => {
    const file = join(directory.path, 'catalog.csv');
    const wrong = ares('import', '--tenant', 'Acme', '--mapping', 'sku=Code', file);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('"catalog.csv" has no column "Code" (chosen for sku). Its columns are: Ref, Label, Unit cost, Colour.');

    const imported = ares('--json', 'import', '--tenant', 'Acme', '--mapping', 'sku=Ref,name=Label', file);
    expect(imported.status).toBe(0);
    expect(imported.json()).toMatchObject([{ status: 'done', productCount: 2 }]);

    const shown = ares('--json', 'catalog', 'mapping', '--tenant', 'Acme', 'catalog.csv');
    expect(shown.json()).toMatchObject({ confirmed: true, mapping: { sku: 'Ref', name: 'Label', price: null }, rowCount: 2 });

    const missing = ares('catalog', 'mapping', '--tenant', 'Acme', '--set', 'price=Price', 'catalog.csv');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('has no column "Price"');
    expect(missing.stderr).toContain('(CATALOG_COLUMN_NOT_FOUND)');

    const changed = ares('catalog', 'mapping', '--tenant', 'Acme', '--set', 'price=Unit cost', 'catalog.csv');
    expect(changed.status).toBe(0);
    expect(changed.stdout).toContain('mapping confirmed');
    expect(changed.stdout).toMatch(/price\s+Unit cost/);
    expect(changed.stdout).toMatch(/attributes\s+Colour/);
    const hits = ares('--json', 'search', '--tenant', 'Acme', 'A-200').json() as { text: string }[];
    expect(hits[0]?.text).toContain('Price: 19');
  }, 120_000);

  it('lists models and switches to another, waiting for the re-embedding', () => {
    const listed = ares('--json', 'model', 'list', '--tenant', 'Acme').json() as { modelId: string; current: boolean; installed: boolean }[];
    expect(listed.filter((model) => model.installed).map((model) => [model.modelId, model.current])).toEqual([
      [tinyModelId, true],
      ['ares-test/tiny-bert-copy', false],
    ]);
    const switched = ares('--json', 'model', 'use', '--tenant', 'Acme', 'ares-test/tiny-bert-copy');
    expect(switched.status).toBe(0);
    expect(switched.json()).toMatchObject({ modelId: 'ares-test/tiny-bert-copy', installed: true, index: { ready: true } });
    const sources = ares('--json', 'sources', '--tenant', 'Acme').json() as { status: string }[];
    expect(sources.every((source) => source.status === 'ready')).toBe(true);
    expect(ares('model', 'use', '--tenant', 'Acme', 'not a model').stderr).toContain('A model id looks like "owner/name"');
  }, 120_000);

  it('lists products sorted and filtered, then deletes the catalog with everything made from it', () => {
    const byPrice = ares('--json', 'products', '--tenant', 'Acme', '--sort', 'price', '--desc').json() as { products: { sku: string; price: number }[]; total: number };
    expect(byPrice.total).toBe(2);
    expect(byPrice.products.map((product) => [product.sku, product.price])).toEqual([
      ['A-100', 49.9],
      ['A-200', 19],
    ]);
    expect((ares('--json', 'products', '--tenant', 'Acme', '--search', 'lock').json() as { products: { name: string }[] }).products.map((product) => product.name)).toEqual(['City Lock']);
    const listed = ares('products', '--tenant', 'Acme', '--source', 'catalog.csv');
    expect(listed.stdout).toMatch(/A-100 {2}Trail Helmet {2}49\.9/);
    expect(listed.stdout).toContain('2 of 2 products.');

    expect(ares('--json', 'delete-source', '--tenant', 'Acme', 'catalog.csv').json()).toMatchObject({ name: 'catalog.csv', deleted: true });
    expect(ares('--json', 'sources', '--tenant', 'Acme').json()).toEqual([]);
    expect(ares('products', '--tenant', 'Acme').stdout).toContain('No products match.');
    expect(ares('--json', 'search', '--tenant', 'Acme', 'A-200').json()).toEqual([]);
    const again = ares('delete-source', '--tenant', 'Acme', 'catalog.csv');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('No source named "catalog.csv"');
  }, 120_000);
});
