import { AresError } from '../../../shared/errors.js';
import type { SectionExportContext, SectionRestoreContext } from './exportSection.js';
import { tableSection } from './tableSection.js';

/** File types that are already compressed: stored in the zip as they are. */
const storedTypes = new Set(['pdf', 'docx', 'xlsx']);

/**
 * Where an original goes in the archive: under its source id (names are unique but may contain
 * folders from an imported directory), with anything that could escape the folder replaced.
 */
export function originalPath(sourceId: string, name: string): string {
  const safeName = name.split(/[\\/]/).filter((part) => part !== '' && part !== '.' && part !== '..').join('_');
  const printable = [...safeName].map((character) => (character.charCodeAt(0) < 0x20 ? '_' : character)).join('');
  return `knowledge/originals/${sourceId}/${printable || 'original'}`;
}

async function exportOriginals(context: SectionExportContext): Promise<void> {
  const sources = context.database.prepare('select id, name, file_type as fileType from knowledge_sources order by rowid').all() as { id: string; name: string; fileType: string }[];
  // One original at a time: the biggest allowed upload bounds the memory used.
  const content = context.database.prepare('select content from knowledge_originals where source_id = ?');
  let count = 0;
  for (const source of sources) {
    context.checkCancelled();
    const row = content.get(source.id) as { content: Buffer } | undefined;
    if (!row) continue;
    await context.addFile(originalPath(source.id, source.name), [row.content], { mediaType: 'application/octet-stream', compress: !storedTypes.has(source.fileType) });
    count += 1;
    context.advance(1);
  }
  context.count('originals', count);
}

async function restoreOriginals(context: SectionRestoreContext): Promise<void> {
  const sources = context.database.prepare('select id, name from knowledge_sources order by rowid').all() as { id: string; name: string }[];
  const insert = context.database.prepare('insert into knowledge_originals (source_id, content) values (?, ?)');
  let count = 0;
  for (const source of sources) {
    const path = originalPath(source.id, source.name);
    if (!context.has(path)) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of context.readFile(path)) chunks.push(chunk);
    insert.run(source.id, Buffer.concat(chunks));
    count += 1;
    context.checkCancelled();
  }
  const expected = context.expectedCounts.originals;
  if (expected !== undefined && expected !== count) throw new AresError('ARCHIVE_DAMAGED', `The archive holds ${count} original documents; the manifest says ${expected}.`);
  context.count('originals', count);
}

/**
 * The knowledge base: sources, the original files as uploaded, chunks with their source locations
 * (vectors only when asked: they are large, model-specific and can be recomputed), and the product
 * catalog as JSON Lines and CSV.
 */
export const knowledgeSection = tableSection({
  id: 'knowledge',
  title: 'Knowledge base and product catalog',
  requiredTables: ['knowledge_sources', 'knowledge_originals', 'knowledge_chunks', 'knowledge_products'],
  notAvailableNote: 'The knowledge base is not stored in this version of the app yet.',
  tables: [
    {
      table: 'knowledge_sources',
      path: 'knowledge/sources.jsonl',
      countName: 'sources',
      description: 'One line per imported file (a source): id, name, file_type, size_bytes, content_hash (SHA-256 of the original), chunk and product counts, column_mapping for catalogs, imported_at, updated_at.',
      jsonColumns: ['column_mapping'],
    },
    {
      table: 'knowledge_chunks',
      path: 'knowledge/chunks.jsonl',
      countName: 'chunks',
      description: 'One line per searchable passage: id, source_id, ordinal, text, location (page, heading path, catalog row, character offsets start/end), token_count. Only when the export was made with vectors: the vector (base64, little-endian float32) and the embedding model that made it (model_id, model_dimension, model_version).',
      jsonColumns: ['location'],
      // Without its vector a chunk must not claim a model: the knowledge base then sees it as
      // stale and re-embeds it after restore, instead of indexing a chunk with no vector.
      vectorColumns: ['vector', 'model_id', 'model_dimension', 'model_version'],
    },
    {
      table: 'knowledge_products',
      path: 'knowledge/products.jsonl',
      countName: 'products',
      description: 'The product catalog, one line per product: id, source_id, row_number (1-based, header excluded), sku, name, description, price, currency, stock, url, attributes (every other column of the catalog).',
      jsonColumns: ['attributes'],
      csv: {
        path: 'knowledge/products.csv',
        description: 'The product catalog as a spreadsheet; the attributes column holds the other catalog columns as JSON.',
        header: ['sku', 'name', 'description', 'price', 'currency', 'stock', 'url', 'source_id', 'row_number', 'attributes'],
        cells: (row) => [row.sku, row.name, row.description, row.price, row.currency, row.stock, row.url, row.source_id, row.row_number, row.attributes],
      },
    },
  ],
  extraFiles: [['knowledge/originals/<source id>/<file name>', 'Each imported file exactly as it was uploaded (PDF, DOCX, Markdown, HTML, text, CSV, XLSX, JSON).']],
  exportExtra: exportOriginals,
  restoreExtra: restoreOriginals,
});
