import { randomUUID } from 'node:crypto';
import type { ChunkLocation, ColumnMapping, FileType, Product, ProductsInput, SourceSummary } from '../../shared/schemas/knowledge.js';
import { productsInput } from '../../shared/schemas/knowledge.js';
import type { TenantDatabase } from '../vault/index.js';
import type { ChunkDraft } from './chunking.js';
import type { ModelInfo } from './embedding/workerProtocol.js';
import type { ParsedProduct } from './parsers/parsedFile.js';

export interface StoredSource {
  id: string;
  name: string;
  fileType: FileType;
  sizeBytes: number;
  contentHash: string;
  chunkCount: number;
  productCount: number;
  columnMapping: ColumnMapping | null;
  /** Whether a person chose or confirmed the column mapping (otherwise it is the app's guess). */
  columnMappingConfirmed: boolean;
  importedAt: string;
  updatedAt: string;
}

/** What the in-memory index needs of a chunk. */
export interface IndexRow {
  id: number;
  sourceId: string;
  fileType: FileType;
  text: string;
  vector: Float32Array;
}

/** A page of index rows as columns; `vectors` holds `ids.length` vectors back to back. */
export interface IndexPage {
  ids: Float64Array;
  sourceIds: string[];
  fileTypes: FileType[];
  texts: string[];
  vectors: Float32Array;
}

export interface StoredChunk {
  id: number;
  sourceId: string;
  ordinal: number;
  text: string;
  location: ChunkLocation;
}

interface SourceRecord {
  id: string;
  name: string;
  file_type: FileType;
  size_bytes: number;
  content_hash: string;
  chunk_count: number;
  product_count: number;
  column_mapping: string | null;
  column_mapping_confirmed_at: string | null;
  imported_at: string;
  updated_at: string;
}

function toSource(record: SourceRecord): StoredSource {
  return {
    id: record.id,
    name: record.name,
    fileType: record.file_type,
    sizeBytes: record.size_bytes,
    contentHash: record.content_hash,
    chunkCount: record.chunk_count,
    productCount: record.product_count,
    columnMapping: record.column_mapping ? (JSON.parse(record.column_mapping) as ColumnMapping) : null,
    columnMappingConfirmed: record.column_mapping_confirmed_at !== null,
    importedAt: record.imported_at,
    updatedAt: record.updated_at,
  };
}

export function vectorToBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

export function blobToVector(blob: Buffer): Float32Array {
  // Copied into its own aligned buffer: a Buffer slice may start at an odd offset.
  const copy = new Float32Array(blob.byteLength / 4);
  new Uint8Array(copy.buffer).set(blob);
  return copy;
}

/** The knowledge tables of one tenant's encrypted database. Synchronous, like better-sqlite3. */
export class KnowledgeStore {
  readonly #database: TenantDatabase;

  constructor(database: TenantDatabase) {
    this.#database = database;
  }

  sourceByName(name: string): StoredSource | null {
    const record = this.#database.prepare('select * from knowledge_sources where name = ?').get(name) as SourceRecord | undefined;
    return record ? toSource(record) : null;
  }

  source(id: string): StoredSource | null {
    const record = this.#database.prepare('select * from knowledge_sources where id = ?').get(id) as SourceRecord | undefined;
    return record ? toSource(record) : null;
  }

  sources(): StoredSource[] {
    return (this.#database.prepare('select * from knowledge_sources order by name').all() as SourceRecord[]).map(toSource);
  }

  summaries(model: ModelInfo | null): SourceSummary[] {
    const stale = new Set<string>();
    if (model) {
      const rows = this.#database
        .prepare('select distinct source_id from knowledge_chunks where model_id is not ? or model_version is not ? or model_dimension is not ?')
        .all(model.modelId, model.version, model.dimension) as { source_id: string }[];
      for (const row of rows) stale.add(row.source_id);
    }
    return this.sources().map((source) => ({
      id: source.id,
      name: source.name,
      fileType: source.fileType,
      sizeBytes: source.sizeBytes,
      chunkCount: source.chunkCount,
      productCount: source.productCount,
      status: stale.has(source.id) ? 'needs_reembedding' : 'ready',
      columnMapping: source.columnMapping ? (source.columnMappingConfirmed ? 'confirmed' : 'guessed') : null,
      importedAt: source.importedAt,
      updatedAt: source.updatedAt,
    }));
  }

  original(sourceId: string): Buffer | null {
    const row = this.#database.prepare('select content from knowledge_originals where source_id = ?').get(sourceId) as { content: Buffer } | undefined;
    return row?.content ?? null;
  }

  /**
   * Stores a file's chunks, vectors and products in one transaction: a new source is added, an
   * existing one has all its old rows replaced, so a reader never sees half of either version.
   */
  saveSource(input: {
    name: string;
    fileType: FileType;
    content: Uint8Array;
    contentHash: string;
    chunks: ChunkDraft[];
    vectors: Float32Array[];
    products: ParsedProduct[];
    mapping: ColumnMapping | null;
    /** A person chose this mapping now; otherwise an earlier confirmation stands only if the mapping is unchanged. */
    mappingConfirmed?: boolean;
    model: ModelInfo;
  }): { source: StoredSource; chunkIds: number[]; replacedSourceId: string | null } {
    const now = new Date().toISOString();
    return this.#database.transaction(() => {
      const existing = this.sourceByName(input.name);
      const id = existing?.id ?? randomUUID();
      const mappingJson = input.mapping ? JSON.stringify(input.mapping) : null;
      const keepsConfirmation = existing?.columnMappingConfirmed === true && mappingJson !== null && mappingJson === JSON.stringify(existing.columnMapping);
      const confirmedAt = input.mappingConfirmed || keepsConfirmation ? now : null;
      if (existing) {
        this.#database.prepare('delete from knowledge_chunks where source_id = ?').run(id);
        this.#database.prepare('delete from knowledge_products where source_id = ?').run(id);
        this.#database
          .prepare(
            'update knowledge_sources set file_type = ?, size_bytes = ?, content_hash = ?, chunk_count = ?, product_count = ?, column_mapping = ?, column_mapping_confirmed_at = ?, updated_at = ? where id = ?',
          )
          .run(input.fileType, input.content.byteLength, input.contentHash, input.chunks.length, input.products.length, mappingJson, confirmedAt, now, id);
        this.#database.prepare('update knowledge_originals set content = ? where source_id = ?').run(Buffer.from(input.content), id);
      } else {
        this.#database
          .prepare(
            'insert into knowledge_sources (id, name, file_type, size_bytes, content_hash, chunk_count, product_count, column_mapping, column_mapping_confirmed_at, imported_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(id, input.name, input.fileType, input.content.byteLength, input.contentHash, input.chunks.length, input.products.length, mappingJson, confirmedAt, now, now);
        this.#database.prepare('insert into knowledge_originals (source_id, content) values (?, ?)').run(id, Buffer.from(input.content));
      }
      const insertChunk = this.#database.prepare(
        'insert into knowledge_chunks (source_id, ordinal, text, location, token_count, vector, model_id, model_dimension, model_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const chunkIds = input.chunks.map((chunk, ordinal) => {
        const result = insertChunk.run(
          id,
          ordinal,
          chunk.text,
          JSON.stringify(chunk.location),
          chunk.tokenCount,
          vectorToBlob(input.vectors[ordinal]!),
          input.model.modelId,
          input.model.dimension,
          input.model.version,
        );
        return Number(result.lastInsertRowid);
      });
      const insertProduct = this.#database.prepare(
        'insert into knowledge_products (source_id, row_number, sku, name, description, price, currency, stock, url, attributes) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const product of input.products) {
        insertProduct.run(id, product.row, product.sku, product.name, product.description, product.price, product.currency, product.stock, product.url, JSON.stringify(product.attributes));
      }
      return { source: this.source(id)!, chunkIds, replacedSourceId: existing ? id : null };
    })();
  }

  /** Records that a person checked a catalog's mapping and kept it as it is. */
  confirmColumnMapping(sourceId: string): void {
    this.#database.prepare('update knowledge_sources set column_mapping_confirmed_at = ? where id = ? and column_mapping is not null').run(new Date().toISOString(), sourceId);
  }

  deleteSource(id: string): boolean {
    return this.#database.prepare('delete from knowledge_sources where id = ?').run(id).changes > 0;
  }

  /**
   * Every chunk whose vector the current model made, as column pages: the rows the in-memory index
   * is built from. Vectors are copied from the BLOBs straight into one Float32Array per page (no
   * object per row), which is what the Arrow batch needs anyway. Read in pages so no statement
   * stays open while the caller awaits between them (better-sqlite3 refuses other queries on a
   * connection with an open iterator), and so the caller can insert one page while reading the next.
   */
  *indexPages(model: ModelInfo, pageSize = 25_000): Generator<IndexPage> {
    const statement = this.#database
      .prepare(
        `select c.id, c.source_id, s.file_type, c.text, c.vector from knowledge_chunks c join knowledge_sources s on s.id = c.source_id
         where c.model_id = ? and c.model_version = ? and c.model_dimension = ? and c.id > ? order by c.id limit ?`,
      )
      .raw(true);
    const vectorBytes = model.dimension * 4;
    let afterId = -1;
    for (;;) {
      const rows = statement.all(model.modelId, model.version, model.dimension, afterId, pageSize) as [number, string, FileType, string, Buffer][];
      if (rows.length === 0) return;
      const page: IndexPage = {
        ids: new Float64Array(rows.length),
        sourceIds: new Array<string>(rows.length),
        fileTypes: new Array<FileType>(rows.length),
        texts: new Array<string>(rows.length),
        vectors: new Float32Array(rows.length * model.dimension),
      };
      const vectorView = new Uint8Array(page.vectors.buffer);
      for (let position = 0; position < rows.length; position += 1) {
        const [id, sourceId, fileType, text, vector] = rows[position]!;
        if (vector.byteLength !== vectorBytes) throw new Error(`chunk ${id} has a vector of ${vector.byteLength} bytes; ${vectorBytes} expected`);
        page.ids[position] = id;
        page.sourceIds[position] = sourceId;
        page.fileTypes[position] = fileType;
        page.texts[position] = text;
        vectorView.set(vector, position * vectorBytes);
      }
      yield page;
      if (rows.length < pageSize) return;
      afterId = rows[rows.length - 1]![0];
    }
  }

  /** The same rows as `indexPages`, one object each (for tests and benchmarks). */
  *indexRows(model: ModelInfo): Generator<IndexRow> {
    for (const page of this.indexPages(model)) {
      for (let position = 0; position < page.ids.length; position += 1) {
        yield {
          id: page.ids[position]!,
          sourceId: page.sourceIds[position]!,
          fileType: page.fileTypes[position]!,
          text: page.texts[position]!,
          vector: page.vectors.slice(position * model.dimension, (position + 1) * model.dimension),
        };
      }
    }
  }

  /** Chunks made by another model (or none): they are re-embedded, never mixed into the index. */
  staleChunks(model: ModelInfo, limit: number): { id: number; text: string; sourceId: string }[] {
    return this.#database
      .prepare(
        `select id, text, source_id as sourceId from knowledge_chunks
         where model_id is not ? or model_version is not ? or model_dimension is not ? order by id limit ?`,
      )
      .all(model.modelId, model.version, model.dimension, limit) as { id: number; text: string; sourceId: string }[];
  }

  /** Every chunk, whichever model made it: cheap (it counts the smallest index). */
  countChunks(): number {
    return (this.#database.prepare('select count(*) as count from knowledge_chunks').get() as { count: number }).count;
  }

  countStaleChunks(model: ModelInfo): number {
    const row = this.#database
      .prepare('select count(*) as count from knowledge_chunks where model_id is not ? or model_version is not ? or model_dimension is not ?')
      .get(model.modelId, model.version, model.dimension) as { count: number };
    return row.count;
  }

  updateVectors(updates: { id: number; vector: Float32Array }[], model: ModelInfo): void {
    const statement = this.#database.prepare('update knowledge_chunks set vector = ?, model_id = ?, model_dimension = ?, model_version = ? where id = ?');
    this.#database.transaction(() => {
      for (const update of updates) statement.run(vectorToBlob(update.vector), model.modelId, model.dimension, model.version, update.id);
    })();
  }

  chunks(ids: number[]): Map<number, StoredChunk & { sourceName: string; fileType: FileType }> {
    const result = new Map<number, StoredChunk & { sourceName: string; fileType: FileType }>();
    if (ids.length === 0) return result;
    const rows = this.#database
      .prepare(
        `select c.id, c.source_id, c.ordinal, c.text, c.location, s.name, s.file_type from knowledge_chunks c join knowledge_sources s on s.id = c.source_id
         where c.id in (select value from json_each(?))`,
      )
      .all(JSON.stringify(ids)) as { id: number; source_id: string; ordinal: number; text: string; location: string; name: string; file_type: FileType }[];
    for (const row of rows) {
      result.set(row.id, {
        id: row.id,
        sourceId: row.source_id,
        ordinal: row.ordinal,
        text: row.text,
        location: JSON.parse(row.location) as ChunkLocation,
        sourceName: row.name,
        fileType: row.file_type,
      });
    }
    return result;
  }

  sourceChunks(sourceId: string): StoredChunk[] {
    const rows = this.#database
      .prepare('select id, source_id, ordinal, text, location from knowledge_chunks where source_id = ? order by ordinal')
      .all(sourceId) as { id: number; source_id: string; ordinal: number; text: string; location: string }[];
    return rows.map((row) => ({ id: row.id, sourceId: row.source_id, ordinal: row.ordinal, text: row.text, location: JSON.parse(row.location) as ChunkLocation }));
  }

  /**
   * Chunk ids of products whose SKU is exactly `sku` (any case): an exact SKU ranks first. Only rows
   * the SKU identifies: in a file where it repeats (reviews, orders) the rows are about the product,
   * not the product itself, and full-text search still finds them.
   */
  chunkIdsForSku(sku: string): number[] {
    const rows = this.#database
      .prepare(
        `select c.id from knowledge_products p join knowledge_chunks c on c.source_id = p.source_id
         where p.sku = ? collate nocase and json_extract(c.location, '$.row') = p.row_number
           and not exists (select 1 from knowledge_products other where other.sku = p.sku collate nocase and other.source_id = p.source_id and other.id <> p.id)`,
      )
      .all(sku) as { id: number }[];
    return rows.map((row) => row.id);
  }

  products(rawInput: ProductsInput): { products: Product[]; total: number } {
    const input = productsInput.parse(rawInput);
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    if (input.sourceId) {
      conditions.push('source_id = ?');
      parameters.push(input.sourceId);
    }
    if (input.search?.trim()) {
      const like = `%${input.search.trim().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      conditions.push("(sku like ? escape '\\' or name like ? escape '\\' or description like ? escape '\\')");
      parameters.push(like, like, like);
    }
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    const column = { sku: 'sku', name: 'name', price: 'price', stock: 'stock' }[input.sortBy];
    const total = (this.#database.prepare(`select count(*) as count from knowledge_products ${where}`).get(...parameters) as { count: number }).count;
    const rows = this.#database
      .prepare(`select * from knowledge_products ${where} order by ${column} is null, ${column} ${input.descending ? 'desc' : 'asc'}, id limit ? offset ?`)
      .all(...parameters, input.limit, input.offset) as {
      id: number;
      source_id: string;
      row_number: number;
      sku: string | null;
      name: string | null;
      description: string | null;
      price: number | null;
      currency: string | null;
      stock: number | null;
      url: string | null;
      attributes: string;
    }[];
    return {
      total,
      products: rows.map((row) => ({
        id: row.id,
        sourceId: row.source_id,
        row: row.row_number,
        sku: row.sku,
        name: row.name,
        description: row.description,
        price: row.price,
        currency: row.currency,
        stock: row.stock,
        url: row.url,
        attributes: JSON.parse(row.attributes) as Record<string, string>,
      })),
    };
  }
}
