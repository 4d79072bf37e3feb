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
/** LanceDB's name for an index on `text` created without one. */
const fullTextIndexName = 'text_idx';
/**
 * Up to this many rows the full-text index is built before search answers (well under a second);
 * above it, search answers from vectors and exact phrase/SKU matches while the full-text index
 * builds in the background (seconds at 100,000 chunks on two cores), then the ANN index follows.
 */
const defaultSynchronousFullTextRows = 20_000;
const insertBatchRows = 10_000;
/**
 * Lance's older file format. The table lives in memory and is rebuilt at every unlock, so no file
 * outlives the version that wrote it; measured at 100,000 chunks, it takes rows ~20 % faster than
 * the default format and scans them exactly in half the time (102–110 against 223 ms), which is
 * what every search costs until the ANN index is built (bench/README.md).
 */
const storageVersion = 'legacy';
/** IVF partitions a query visits (of about √rows): chosen by measured recall and latency, see bench/README.md. */
const annProbes = 16;

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function filterSql(filter: IndexFilter): string | null {
  const parts: string[] = [];
  if (filter.sourceIds && filter.sourceIds.length > 0) parts.push(`source_id IN (${filter.sourceIds.map(quote).join(', ')})`);
  if (filter.fileTypes && filter.fileTypes.length > 0) parts.push(`file_type IN (${filter.fileTypes.map(quote).join(', ')})`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}

/** A numeric column of a query's Arrow result, read without making an object per row (an empty result has no columns). */
function column(results: Awaited<ReturnType<lancedb.Query['toArrow']>>, name: string): ArrayLike<number> {
  return (results.getChild(name)?.toArray() as ArrayLike<number> | undefined) ?? [];
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
  readonly synchronousFullTextRows: number;
  #connection: lancedb.Connection | null = null;
  #table: lancedb.Table | null = null;
  #schema: SchemaType;
  #rows = 0;
  #annState: AnnState = 'none';
  #fullTextState: AnnState = 'none';
  #fullTextBuild: Promise<void> | null = null;
  /**
   * Index builds and maintenance run one at a time, in this chain, and `dispose` waits for it:
   * closing the table while `optimize` ran on it crashed the process natively, and two index
   * builds at once only slow each other down on two cores.
   */
  #maintenance: Promise<void> = Promise.resolve();
  #foldScheduled = false;
  /** Operations on the table in flight (queries, inserts, deletes), and who waits for them to end. */
  #inFlight = 0;
  #allEnded: (() => void)[] = [];
  #cleanup: Promise<void> | null = null;
  #disposed = false;

  constructor(options: { dimension: number; annThreshold: number; synchronousFullTextRows?: number }) {
    this.dimension = options.dimension;
    this.annThreshold = options.annThreshold;
    this.synchronousFullTextRows = options.synchronousFullTextRows ?? defaultSynchronousFullTextRows;
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
    this.#table = await this.#connection.createEmptyTable(tableName, this.#schema, { storageOptions: { new_table_data_storage_version: storageVersion } });
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
    this.#fullTextBuild = this.#maintain('buildFullText', () => this.#buildFullText(timings));
    this.#maintain('buildAnn', () => this.#buildAnnIfLarge());
    if (this.#rows <= this.synchronousFullTextRows) await this.#fullTextBuild;
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
      if (!this.#disposed) this.#fullTextState = 'ready';
      timings.fullTextMilliseconds = performance.now() - started;
    } catch (error) {
      this.#fullTextState = 'none';
      throw error;
    }
  }

  lastBuildTimings: BuildTimings | null = null;

  async add(rows: IndexRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += insertBatchRows) {
      const page = this.#page(rows.slice(start, start + insertBatchRows));
      await this.#insert(this.#arrowTable(page), page.ids.length);
    }
    this.#scheduleFold();
  }

  async deleteSource(sourceId: string): Promise<void> {
    await this.#delete(`source_id = ${quote(sourceId)}`);
  }

  async deleteIds(ids: number[]): Promise<void> {
    if (ids.length > 0) await this.#delete(`id IN (${ids.join(', ')})`);
  }

  async #delete(predicate: string): Promise<void> {
    await this.#use(async (table) => {
      const before = await table.countRows();
      await table.delete(predicate);
      this.#rows -= before - (await table.countRows());
    });
  }

  /** Nearest chunks by cosine distance; `exact` skips the ANN index (for measuring its recall). */
  async vectorSearch(vector: Float32Array, limit: number, filter: IndexFilter = {}, exact = false): Promise<RankedId[]> {
    return this.#use(async (table) => {
      let query = table.vectorSearch(vector).distanceType('cosine').limit(limit).select(['id', '_distance']);
      const where = filterSql(filter);
      if (where) query = query.where(where);
      if (exact) query = query.bypassVectorIndex();
      else if (this.#annState === 'ready') query = query.nprobes(annProbes);
      const results = await query.toArrow();
      const distances = column(results, '_distance');
      return Array.from(column(results, 'id'), (id, position) => ({ id, score: 1 - distances[position]! }));
    });
  }

  /** BM25 ranking from the full-text index. */
  async fullTextSearch(query: string, limit: number, filter: IndexFilter = {}): Promise<RankedId[]> {
    const text = fullTextQueryText(query);
    // Until the index exists LanceDB cannot rank by BM25 at all; vectors and exact matches answer meanwhile.
    if (!text || this.#fullTextState !== 'ready') return [];
    return this.#use(async (table) => {
      let search = table.query().fullTextSearch(text, { columns: 'text' }).limit(limit).select(['id', '_score']);
      const where = filterSql(filter);
      if (where) search = search.where(where);
      const results = await search.toArrow();
      const scores = column(results, '_score');
      return Array.from(column(results, 'id'), (id, position) => ({ id, score: scores[position]! }));
    });
  }

  /** Chunks containing `phrase` literally (any case). */
  async phraseSearch(phrase: string, limit: number, filter: IndexFilter = {}): Promise<number[]> {
    const pattern = phrase.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`);
    const conditions = [`lower(text) LIKE ${quote(`%${pattern}%`)}`];
    const where = filterSql(filter);
    if (where) conditions.push(where);
    return this.#use(async (table) => {
      return Array.from(column(await table.query().where(conditions.join(' AND ')).limit(limit).select(['id']).toArrow(), 'id'));
    });
  }

  async #buildAnnIfLarge(): Promise<void> {
    if (this.#annState !== 'none' || this.#rows < this.annThreshold) return;
    this.#annState = 'building';
    // IVF-flat keeps full vectors, so recall depends only on how many partitions are probed.
    const partitions = Math.max(16, Math.round(Math.sqrt(this.#rows)));
    try {
      const table = this.#requireTable();
      await table.createIndex('vector', { config: lancedb.Index.ivfFlat({ numPartitions: partitions, distanceType: 'cosine' }), replace: true });
      // The first query after a build loads the index into LanceDB's cache (~300 ms at 100,000
      // chunks); this one pays it, not the first person to search.
      const probe = new Float32Array(this.dimension).fill(1 / Math.sqrt(this.dimension));
      await table.vectorSearch(probe).distanceType('cosine').nprobes(annProbes).limit(1).select(['id']).toArrow();
      if (!this.#disposed) this.#annState = 'ready';
    } catch (error) {
      this.#annState = 'none';
      throw error;
    }
  }

  /** For benchmarks and tests: resolves when every index build and fold queued so far has finished. */
  async maintenanceSettled(): Promise<void> {
    await this.#maintenance;
  }

  /** Rows the full-text index covers and rows it does not (which each full-text query scans). */
  async fullTextCoverage(): Promise<{ indexedRows: number; unindexedRows: number }> {
    const statistics = await this.#requireTable().indexStats(fullTextIndexName);
    return { indexedRows: statistics?.numIndexedRows ?? 0, unindexedRows: statistics?.numUnindexedRows ?? this.#rows };
  }

  /**
   * Rows added after an index was built are searched by scanning them (full-text search tokenises
   * every such row on each query: hundreds of milliseconds after a 20,000-chunk import). One
   * `optimize` after a burst of imports folds them into the full-text and ANN indexes, and drops
   * the table versions the memory store would otherwise keep.
   */
  #scheduleFold(): void {
    if (this.#foldScheduled) return;
    this.#foldScheduled = true;
    this.#maintain('fold', async () => {
      this.#foldScheduled = false;
      await this.#buildAnnIfLarge();
      const table = this.#requireTable();
      // Compacting and indexing leave the old versions' data in place, so queries keep reading them.
      // It takes two calls to settle (at 100,000 chunks with the ANN index: 0.6 s, then 1.4 s).
      await table.optimize({ cleanupOlderThan: new Date(0) });
      await table.optimize({ cleanupOlderThan: new Date(0) });
      // Deleting that data under a query still reading an old version fails it ("object not found"),
      // so the clean-up (little left to do: ~0.35 s at 100,000 chunks) waits for queries and inserts in flight.
      await this.#withNothingInFlight(() => table.optimize({ cleanupOlderThan: new Date() }));
    });
  }

  async #withNothingInFlight(task: () => Promise<unknown>): Promise<void> {
    let finish = () => undefined as void;
    this.#cleanup = new Promise<void>((resolve) => (finish = resolve));
    try {
      await this.#operationsEnded();
      await task();
    } finally {
      this.#cleanup = null;
      finish();
    }
  }

  /**
   * Runs a query, insert or delete on the table: never at the same time as a clean-up of old
   * versions, and never after `dispose` began (which waits for the ones in flight, since closing
   * the table under a running native call corrupts memory).
   */
  async #use<T>(operation: (table: lancedb.Table) => Promise<T>): Promise<T> {
    while (this.#cleanup) await this.#cleanup;
    if (this.#disposed) throw new Error('the knowledge index is closed');
    const table = this.#requireTable();
    this.#inFlight += 1;
    try {
      return await operation(table);
    } finally {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const resolve of this.#allEnded.splice(0)) resolve();
    }
  }

  #operationsEnded(): Promise<void> {
    return this.#inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.#allEnded.push(resolve));
  }

  /** Queues `task` after every build and fold before it; a failure is logged, never thrown at a caller. */
  #maintain(name: string, task: () => Promise<void>): Promise<void> {
    const run = this.#maintenance.then(async () => {
      if (this.#disposed) return;
      try {
        await task();
      } catch (error) {
        if (!this.#disposed) console.error(`KnowledgeIndex.${name}: failed`, error instanceof Error ? error.message : error);
      }
    });
    this.#maintenance = run;
    return run;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#maintenance;
    await this.#operationsEnded();
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
    await this.#use((table) => table.add(arrowTable));
    this.#rows += rows;
  }

  #requireTable(): lancedb.Table {
    if (!this.#table) throw new Error('the knowledge index is not built');
    return this.#table;
  }
}
