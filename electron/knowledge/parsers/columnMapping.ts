import { AresError } from '../../../shared/errors.js';
import { productFields, type ColumnMapping, type ProductField } from '../../../shared/schemas/knowledge.js';

/** Header names that usually mean a product field, in order of preference. */
const columnSynonyms: Record<ProductField, string[]> = {
  sku: ['sku', 'product sku', 'item sku', 'article number', 'item number', 'product code', 'code', 'product id', 'id'],
  name: ['name', 'product name', 'title', 'product title', 'product', 'item', 'item name'],
  description: ['description', 'long description', 'short description', 'short_description', 'details', 'body', 'body html', 'content'],
  price: ['price', 'unit price', 'sale price', 'regular price', 'amount', 'cost'],
  currency: ['currency', 'currency code'],
  stock: ['stock', 'qty', 'quantity', 'inventory', 'stock quantity', 'in stock', 'available'],
  url: ['url', 'link', 'product url', 'permalink', 'url key', 'url_key', 'web page'],
};

/**
 * How a catalog's columns should map to product fields: what a person chose now (every column it
 * names must exist) and the mapping the file's previous version used (kept where its columns still
 * exist, so re-importing an edited catalog does not undo a confirmed choice). The rest is guessed.
 */
export interface CatalogMappingRequest {
  chosen?: ColumnMapping;
  previous?: ColumnMapping;
}

function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[_\-.]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Guesses which column feeds each product field; the user can confirm or change the result. */
export function guessColumnMapping(columns: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<string>();
  for (const field of productFields) {
    for (const synonym of columnSynonyms[field]) {
      const column = columns.find((candidate) => !used.has(candidate) && normaliseHeader(candidate) === normaliseHeader(synonym));
      if (column) {
        mapping[field] = column;
        used.add(column);
        break;
      }
    }
    mapping[field] ??= null;
  }
  return mapping;
}

/** The full mapping (every field, a column or null) for a catalog with these columns. */
export function resolveColumnMapping(columns: string[], name: string, request: CatalogMappingRequest = {}): ColumnMapping {
  const chosen = request.chosen ?? {};
  const previous = request.previous ?? {};
  for (const field of productFields) {
    const column = chosen[field];
    if (column && !columns.includes(column)) {
      throw new AresError('CATALOG_COLUMN_NOT_FOUND', `"${name}" has no column "${column}" (chosen for ${field}). Its columns are: ${columns.join(', ')}.`);
    }
  }
  const decided = new Map<ProductField, string | null>();
  const taken = new Set<string>();
  const decide = (field: ProductField, column: string | null) => {
    decided.set(field, column);
    if (column) taken.add(column);
  };
  for (const field of productFields) if (chosen[field] !== undefined) decide(field, chosen[field] ?? null);
  for (const field of productFields) {
    const column = previous[field];
    if (!decided.has(field) && column && columns.includes(column) && !taken.has(column)) decide(field, column);
  }
  const guessed = guessColumnMapping(columns.filter((column) => !taken.has(column)));
  for (const field of productFields) if (!decided.has(field)) decide(field, guessed[field] ?? null);
  return Object.fromEntries(productFields.map((field) => [field, decided.get(field) ?? null]));
}
