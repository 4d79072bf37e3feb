import * as lancedb from '@lancedb/lancedb';
import type { FixedSizeList as FixedSizeListType, Float32 as Float32Type, Schema as SchemaType } from 'apache-arrow';
import { createRequire } from 'node:module';
import type { FileType } from '../../shared/schemas/knowledge.js';
import type { IndexRow } from './knowledgeStore.js';

export interface IndexFilter {
  sourceIds?: string[] | undefined;
  fileTypes?: FileType[] | undefined;
}

export interface RankedId {
  id: number;
  score: number;
}

export type AnnState = 'none' | 'building' | 'ready';

// LanceDB is CommonJS and checks `instanceof` against its own apache-arrow instance; the ESM copy
// of the same package is a different module, and tables built from it silently insert no rows.
const arrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
const { Field, FixedSizeList, Float32, Float64, makeData, makeVector, Schema, Table: ArrowTable, Utf8, vectorFromArray } = arrow;

const tableName = 'chunks';
const insertBatchRows = 10_000;

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function filterSql(filter: IndexFilter): string | null {
  const parts: string[] = [];
  if (filter.sourceIds && filter.sourceIds.length > 0) parts.push(`source_id IN (${filter.sourceIds.map(quote).join(', ')})`);
  if (filter.fileTypes && filter.fileTypes.length > 0) parts.push(`file_type IN (${filter.fileTypes.map(quote).join(', ')})`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** Words only: the full-text engine's query syntax is not something a customer question should trigger. */
export function fullTextQueryText(query: string): string {
  return query
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The tenant's chunks as an in-memory LanceDB table (`memory://`): nothing of it touches the disk,
 * and it disappears with the session. Vector search is exact until the table grows past
 * `annThreshold` rows; then an ANN index is built in the background while search keeps working.
 */
export class KnowledgeIndex {
  readonly dimension: number;
  readonly annThreshold: number;
  #connection: lancedb.Connection | null = null;
  #table: lancedb.Table | null = null;
  #schema: SchemaType;
  #rows = 0;
  #annState: AnnState = 'none';
  #annBuild: Promise<void> | null = null;
  #disposed = false;

  constructor(options: { dimension: number; annThreshold: number }) {
    this.dimension = options.dimension;
    this.annThreshold = options.annThreshold;
    this.#schema = new Schema([
      new Field('id', new Float64(), true),
      new Field('source_id', new Utf8(), true),
      new Field('file_type', new Utf8(), true),
      new Field('text', new Utf8(), true),
      new Field('vector', new FixedSizeList(this.dimension, new Field('item', new Float32(), true)), true),
    ]);
  }

  get rows(): number {
    return this.#rows;
  }

  get annState(): AnnState {
    return this.#annState;
  }

  /** Loads every row, then the full-text index; search works as soon as this resolves. */
  async build(rows: Iterable<IndexRow>): Promise<void> {
    this.#connection = await lancedb.connect('memory://');
    this.#table = await this.#connection.createEmptyTable(tableName, this.#schema);
    let batch: IndexRow[] = [];
    for (const row of rows) {
      batch.push(row);
      if (batch.length >= insertBatchRows) {
        await this.#insert(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.#insert(batch);
    await this.#table.createIndex('text', { config: lancedb.Index.fts({ withPosition: false }), replace: true });
    this.startAnnBuildIfLarge();
  }

  async add(rows: IndexRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += insertBatchRows) await this.#insert(rows.slice(start, start + insertBatchRows));
    this.startAnnBuildIfLarge();
  }

  async deleteSource(sourceId: string): Promise<void> {
    const table = this.#requireTable();
    const before = await table.countRows();
    await table.delete(`source_id = ${quote(sourceId)}`);
    this.#rows -= before - (await table.countRows());
  }

  async deleteIds(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const table = this.#requireTable();
    const before = await table.countRows();
    await table.delete(`id IN (${ids.join(', ')})`);
    this.#rows -= before - (await table.countRows());
  }

  /** Nearest chunks by cosine distance; `exact` skips the ANN index (for measuring its recall). */
  async vectorSearch(vector: Float32Array, limit: number, filter: IndexFilter = {}, exact = false): Promise<RankedId[]> {
    let query = this.#requireTable().vectorSearch(Array.from(vector)).distanceType('cosine').limit(limit).select(['id', '_distance']);
    const where = filterSql(filter);
    if (where) query = query.where(where);
    if (exact) query = query.bypassVectorIndex();
    else if (this.#annState === 'ready') query = query.nprobes(24).refineFactor(4);
    const results = (await query.toArray()) as { id: number; _distance: number }[];
    return results.map((row) => ({ id: row.id, score: 1 - row._distance }));
  }

  /** BM25 ranking from the full-text index. */
  async fullTextSearch(query: string, limit: number, filter: IndexFilter = {}): Promise<RankedId[]> {
    const text = fullTextQueryText(query);
    if (!text) return [];
    let search = this.#requireTable().query().fullTextSearch(text, { columns: 'text' }).limit(limit).select(['id', '_score']);
    const where = filterSql(filter);
    if (where) search = search.where(where);
    const results = (await search.toArray()) as { id: number; _score: number }[];
    return results.map((row) => ({ id: row.id, score: row._score }));
  }

  /** Chunks containing `phrase` literally (any case). */
  async phraseSearch(phrase: string, limit: number, filter: IndexFilter = {}): Promise<number[]> {
    const pattern = phrase.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`);
    const conditions = [`lower(text) LIKE ${quote(`%${pattern}%`)}`];
    const where = filterSql(filter);
    if (where) conditions.push(where);
    const results = (await this.#requireTable().query().where(conditions.join(' AND ')).limit(limit).select(['id']).toArray()) as { id: number }[];
    return results.map((row) => row.id);
  }

  /** Starts the ANN build once the table is large enough; search keeps using exact scans meanwhile. */
  startAnnBuildIfLarge(): void {
    if (this.#annState !== 'none' || this.#rows < this.annThreshold || this.#disposed) return;
    this.#annState = 'building';
    const table = this.#requireTable();
    // IVF-flat keeps full vectors, so recall depends only on how many partitions are probed.
    const partitions = Math.max(16, Math.round(Math.sqrt(this.#rows)));
    this.#annBuild = table
      .createIndex('vector', { config: lancedb.Index.ivfFlat({ numPartitions: partitions, distanceType: 'cosine' }), replace: true })
      .then(
        () => {
          if (!this.#disposed) this.#annState = 'ready';
        },
        (error: unknown) => {
          if (!this.#disposed) console.error('KnowledgeIndex.startAnnBuildIfLarge: the ANN index failed to build', error instanceof Error ? error.message : error);
          this.#annState = 'none';
        },
      );
  }

  /** For benchmarks and tests: resolves when a started ANN build has finished. */
  async annReady(): Promise<void> {
    await this.#annBuild;
  }

  /** Folds rows added since the full-text index was built into it (new rows are searchable before this, only slower). */
  async optimize(): Promise<void> {
    if (this.#table) await this.#table.optimize();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#annBuild?.catch(() => undefined);
    this.#table?.close();
    this.#connection?.close();
    this.#table = null;
    this.#connection = null;
  }

  async #insert(rows: IndexRow[]): Promise<void> {
    if (rows.length === 0) return;
    const flat = new Float32Array(rows.length * this.dimension);
    rows.forEach((row, index) => flat.set(row.vector, index * this.dimension));
    const vectorType = this.#schema.fields[4]!.type as FixedSizeListType<Float32Type>;
    const vectors = makeVector(
      makeData({ type: vectorType, length: rows.length, nullCount: 0, child: makeData({ type: new Float32(), length: flat.length, nullCount: 0, data: flat }) }),
    );
    const arrowTable = new ArrowTable({
      id: vectorFromArray(rows.map((row) => row.id), new Float64()),
      source_id: vectorFromArray(rows.map((row) => row.sourceId), new Utf8()),
      file_type: vectorFromArray(rows.map((row) => row.fileType), new Utf8()),
      text: vectorFromArray(rows.map((row) => row.text), new Utf8()),
      vector: vectors,
    });
    await this.#requireTable().add(arrowTable);
    this.#rows += rows.length;
  }

  #requireTable(): lancedb.Table {
    if (!this.#table) throw new Error('the knowledge index is not built');
    return this.#table;
  }
}
