import './lanceEnvironment.js';
import * as lancedb from '@lancedb/lancedb';
import type { FixedSizeList as FixedSizeListType, Float32 as Float32Type, Schema as SchemaType } from 'apache-arrow';
import { createRequire } from 'node:module';
import type { FileType } from '../../shared/schemas/knowledge.js';
import type { IndexPage, IndexRow } from './knowledgeStore.js';

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

/** Timings of the last `build`, in milliseconds (for benchmarks and logs). */
export interface BuildTimings {
  readMilliseconds: number;
  arrowMilliseconds: number;
  insertMilliseconds: number;
  fullTextMilliseconds: number;
}

const tableName = 'chunks';
/**
 * Up to this many rows the full-text index is built before search answers (well under a second);
 * above it, search answers from vectors and exact phrase/SKU matches while the full-text index
 * builds in the background (seconds at 100,000 chunks on two cores), then the ANN index follows.
 */
const synchronousFullTextRows = 20_000;
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
  #fullTextState: AnnState = 'none';
  #fullTextBuild: Promise<void> | null = null;
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

  /**
   * Loads every row, then the full-text index; search works as soon as this resolves (the ANN
   * index, if the table is large enough, follows in the background). Pages come from the store
   * synchronously, so each page's insert runs in LanceDB's threads while the next page is read.
   */
  async build(pages: Iterable<IndexPage>): Promise<void> {
    const timings: BuildTimings = { readMilliseconds: 0, arrowMilliseconds: 0, insertMilliseconds: 0, fullTextMilliseconds: 0 };
    this.#connection = await lancedb.connect('memory://');
    this.#table = await this.#connection.createEmptyTable(tableName, this.#schema);
    let pending: Promise<void> | null = null;
    let started = performance.now();
    for (const page of pages) {
      const read = performance.now();
      timings.readMilliseconds += read - started;
      const arrowTable = this.#arrowTable(page);
      timings.arrowMilliseconds += performance.now() - read;
      const waited = performance.now();
      await pending;
      timings.insertMilliseconds += performance.now() - waited;
      pending = this.#insert(arrowTable, page.ids.length);
      started = performance.now();
    }
    const waited = performance.now();
    await pending;
    timings.insertMilliseconds += performance.now() - waited;
    this.lastBuildTimings = timings;
    this.#fullTextBuild = this.#buildFullText(timings);
    if (this.#rows <= synchronousFullTextRows) await this.#fullTextBuild;
  }

  get fullTextState(): AnnState {
    return this.#fullTextState;
  }

  /** For benchmarks and tests: resolves when the full-text index has been built (or failed). */
  async fullTextReady(): Promise<void> {
    await this.#fullTextBuild;
  }

  async #buildFullText(timings: BuildTimings): Promise<void> {
    this.#fullTextState = 'building';
    const started = performance.now();
    try {
      await this.#requireTable().createIndex('text', { config: lancedb.Index.fts({ withPosition: false }), replace: true });
      if (this.#disposed) return;
      this.#fullTextState = 'ready';
      timings.fullTextMilliseconds = performance.now() - started;
      this.startAnnBuildIfLarge();
    } catch (error) {
      this.#fullTextState = 'none';
      if (!this.#disposed) console.error('KnowledgeIndex: the full-text index failed to build', error instanceof Error ? error.message : error);
    }
  }

  lastBuildTimings: BuildTimings | null = null;

  async add(rows: IndexRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += insertBatchRows) {
      const page = this.#page(rows.slice(start, start + insertBatchRows));
      await this.#insert(this.#arrowTable(page), page.ids.length);
    }
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
    // Until the index exists LanceDB cannot rank by BM25 at all; vectors and exact matches answer meanwhile.
    if (!text || this.#fullTextState !== 'ready') return [];
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
    // After the full-text index: two index builds at once would only slow each other down on two cores.
    if (this.#annState !== 'none' || this.#rows < this.annThreshold || this.#disposed || this.#fullTextState !== 'ready') return;
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
    await this.#fullTextBuild;
    await this.#annBuild;
  }

  /** Folds rows added since the full-text index was built into it (new rows are searchable before this, only slower). */
  async optimize(): Promise<void> {
    if (this.#table) await this.#table.optimize();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#fullTextBuild;
    await this.#annBuild?.catch(() => undefined);
    this.#table?.close();
    this.#connection?.close();
    this.#table = null;
    this.#connection = null;
  }

  #page(rows: IndexRow[]): IndexPage {
    const vectors = new Float32Array(rows.length * this.dimension);
    rows.forEach((row, index) => vectors.set(row.vector, index * this.dimension));
    return {
      ids: Float64Array.from(rows, (row) => row.id),
      sourceIds: rows.map((row) => row.sourceId),
      fileTypes: rows.map((row) => row.fileType),
      texts: rows.map((row) => row.text),
      vectors,
    };
  }

  /** One Arrow batch per page: the vector column wraps the page's Float32Array without a copy. */
  #arrowTable(page: IndexPage) {
    const length = page.ids.length;
    const vectorType = this.#schema.fields[4]!.type as FixedSizeListType<Float32Type>;
    const vectors = makeVector(
      makeData({ type: vectorType, length, nullCount: 0, child: makeData({ type: new Float32(), length: page.vectors.length, nullCount: 0, data: page.vectors }) }),
    );
    return new ArrowTable({
      id: makeVector(page.ids),
      source_id: vectorFromArray(page.sourceIds, new Utf8()),
      file_type: vectorFromArray(page.fileTypes, new Utf8()),
      text: vectorFromArray(page.texts, new Utf8()),
      vector: vectors,
    });
  }

  async #insert(arrowTable: Parameters<lancedb.Table['add']>[0], rows: number): Promise<void> {
    if (rows === 0) return;
    await this.#requireTable().add(arrowTable);
    this.#rows += rows;
  }

  #requireTable(): lancedb.Table {
    if (!this.#table) throw new Error('the knowledge index is not built');
    return this.#table;
  }
}
