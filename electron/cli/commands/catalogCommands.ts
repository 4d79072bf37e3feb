import type { Command } from 'commander';
import { AresError } from '../../../shared/errors.js';
import { productFields, type CatalogPreview, type ColumnMapping, type Product, type ProductField } from '../../../shared/schemas/knowledge.js';
import { printResult, type GlobalOptions } from '../cliContext.js';
import { findSourceId, withKnowledgeTenant } from './knowledgeSession.js';
import { counted } from '../counted.js';

/**
 * Reads `sku=Code,price=Unit cost,url=` into a mapping: a field with nothing after "=" gets no
 * column. Splits only before a known field name, so a column name may itself contain a comma.
 */
export function parseMappingOption(text: string): ColumnMapping {
  const mapping: ColumnMapping = {};
  const parts = text.split(new RegExp(`,(?=\\s*(?:${productFields.join('|')})\\s*=)`));
  for (const part of parts) {
    const separator = part.indexOf('=');
    if (separator < 0) throw new AresError('INVALID_INPUT', `"${part}" in --mapping is not FIELD=COLUMN (for example sku=Code,price=Cost).`);
    const field = part.slice(0, separator).trim().toLowerCase();
    if (!(productFields as readonly string[]).includes(field)) {
      throw new AresError('INVALID_INPUT', `"${field}" is not a product field; the fields are: ${productFields.join(', ')}.`);
    }
    const column = part.slice(separator + 1).trim();
    mapping[field as ProductField] = column === '' ? null : column;
  }
  return mapping;
}

function describePreview(preview: CatalogPreview): string {
  const lines = [`${preview.name}: ${preview.rowCount} rows, mapping ${preview.confirmed ? 'confirmed' : 'guessed (check it, then --confirm or --set)'}`];
  for (const field of productFields) lines.push(`  ${field.padEnd(12)} ${preview.mapping[field] ?? '(none)'}`);
  const mapped = new Set(Object.values(preview.mapping));
  const attributes = preview.columns.filter((column) => !mapped.has(column));
  lines.push(`  attributes   ${attributes.length ? attributes.join(', ') : '(none)'}`);
  if (preview.sampleRows.length > 0) {
    lines.push('First rows:');
    for (const row of preview.sampleRows) lines.push(`  ${preview.columns.map((column) => `${column}=${(row[column] ?? '').slice(0, 40)}`).join(' | ')}`);
  }
  return lines.join('\n');
}

function describeProduct(product: Product): string {
  const price = product.price === null ? '' : `  ${product.price}${product.currency ? ` ${product.currency}` : ''}`;
  const stock = product.stock === null ? '' : `  stock ${product.stock}`;
  return `${product.sku ?? '(no SKU)'}  ${product.name ?? '(no name)'}${price}${stock}`;
}

export function registerCatalogCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('products')
    .description("list the products of a tenant's catalogs, filtered and sorted as in the app")
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--search <text>', 'only products whose SKU, name or description contains this')
    .option('--source <name>', 'only this catalog, by name as `ares sources` lists it')
    .option('--sort <field>', 'sku, name, price or stock', 'name')
    .option('--desc', 'sort descending')
    .option('--limit <n>', 'at most this many (1-500)', '100')
    .option('--offset <n>', 'skip this many first', '0')
    .action(async (options: { tenant: string; search?: string; source?: string; sort: string; desc?: boolean; limit: string; offset: string }) => {
      const page = await withKnowledgeTenant(globals(), options.tenant, async (caller) =>
        caller.knowledge.products({
          ...(options.search ? { search: options.search } : {}),
          ...(options.source ? { sourceId: await findSourceId(caller, options.source) } : {}),
          sortBy: options.sort as 'name',
          descending: options.desc ?? false,
          limit: Number(options.limit),
          offset: Number(options.offset),
        }),
      );
      const shown = page.products.length === 0 ? 'No products match. Catalogs (CSV, XLSX, JSON) become products when imported: ares import --tenant NAME FILE' : page.products.map(describeProduct).join('\n');
      printResult(globals(), page, `${shown}\n${page.products.length} of ${counted(page.total, 'product')}.`);
    });


  const catalog = program.command('catalog').description('product catalogs in the knowledge base');
  catalog
    .command('mapping')
    .description('show which catalog column feeds each product field; --set changes it and re-indexes the catalog, --confirm keeps it')
    .requiredOption('--tenant <name>', 'tenant name')
    .option('--set <mapping>', 'FIELD=COLUMN pairs, comma-separated (fields: sku, name, description, price, currency, stock, url; FIELD= for none)')
    .option('--confirm', 'confirm the mapping as it is')
    .argument('<source>', 'the catalog, by name as `ares sources` lists it')
    .action(async (sourceName: string, options: { tenant: string; set?: string; confirm?: boolean }) => {
      const mapping = options.set !== undefined ? parseMappingOption(options.set) : options.confirm ? {} : null;
      const preview = await withKnowledgeTenant(globals(), options.tenant, async (caller) => {
        const sourceId = await findSourceId(caller, sourceName);
        return mapping ? caller.knowledge.remapCatalog({ sourceId, mapping }) : caller.knowledge.catalogPreview({ sourceId });
      });
      printResult(globals(), preview, describePreview(preview));
    });
}
