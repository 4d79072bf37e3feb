import { describe, expect, it } from 'vitest';
import { columnMappingSchema } from '../../../shared/schemas/knowledge.js';
import { guessColumnMapping, resolveColumnMapping } from './columnMapping.js';

const columns = ['Code', 'Title', 'Cost', 'Qty', 'Colour'];

describe('catalog column mapping', () => {
  it('guesses product fields from common header names and leaves the rest as attributes', () => {
    expect(guessColumnMapping(columns)).toEqual({ sku: 'Code', name: 'Title', description: null, price: 'Cost', currency: null, stock: 'Qty', url: null });
  });

  it('applies the chosen columns and guesses only the fields left out, from the columns not chosen', () => {
    // "Code" would be guessed as the SKU; once it is chosen for the name, the SKU has no column left.
    expect(resolveColumnMapping(columns, 'catalog.csv', { chosen: { name: 'Code', price: null } })).toEqual({
      sku: null,
      name: 'Code',
      description: null,
      price: null,
      currency: null,
      stock: 'Qty',
      url: null,
    });
  });

  it('keeps the previous version\'s columns where they still exist and guesses where they are gone', () => {
    const resolved = resolveColumnMapping(columns, 'catalog.csv', { previous: { sku: 'Colour', stock: 'Inventory' } });
    expect(resolved).toMatchObject({ sku: 'Colour', name: 'Title', stock: 'Qty' });
  });

  it('refuses a chosen column the catalog does not have, listing the columns it does have', () => {
    expect(() => resolveColumnMapping(columns, 'catalog.csv', { chosen: { price: 'Price' } })).toThrow(
      expect.objectContaining({ code: 'CATALOG_COLUMN_NOT_FOUND', message: '"catalog.csv" has no column "Price" (chosen for price). Its columns are: Code, Title, Cost, Qty, Colour.' }),
    );
  });

  it('refuses a mapping that feeds two fields from one column', () => {
    expect(columnMappingSchema.safeParse({ sku: 'Code', name: 'Code' }).success).toBe(false);
    expect(columnMappingSchema.safeParse({ sku: 'Code', name: null, price: null }).success).toBe(true);
  });
});
