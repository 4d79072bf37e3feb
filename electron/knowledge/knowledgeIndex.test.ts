import { afterEach, describe, expect, it } from 'vitest';
import { KnowledgeIndex } from './knowledgeIndex.js';
import type { IndexRow } from './knowledgeStore.js';

const dimension = 8;
let seed = 1;
function random(): number {
  seed = (seed * 1664525 + 1013904223) % 4294967296;
  return seed / 4294967296;
}

function rows(count: number, firstId: number, text: (id: number) => string = (id) => `chunk ${id} about shipping and returns`): IndexRow[] {
  return Array.from({ length: count }, (_, position) => ({
    id: firstId + position,
    sourceId: 'source-a',
    fileType: 'text' as const,
    text: text(firstId + position),
    vector: Float32Array.from({ length: dimension }, () => random() - 0.5),
  }));
}

function page(list: IndexRow[]) {
  const vectors = new Float32Array(list.length * dimension);
  list.forEach((row, position) => vectors.set(row.vector, position * dimension));
  return { ids: Float64Array.from(list, (row) => row.id), sourceIds: list.map((row) => row.sourceId), fileTypes: list.map((row) => row.fileType), texts: list.map((row) => row.text), vectors };
}

describe('knowledge index', () => {
  const indexes: KnowledgeIndex[] = [];
  const create = (options: { synchronousFullTextRows?: number } = {}) => {
    const index = new KnowledgeIndex({ dimension, annThreshold: 1_000_000, ...options });
    indexes.push(index);
    return index;
  };

  afterEach(async () => {
    await Promise.all(indexes.splice(0).map((index) => index.dispose()));
  });

  it('answers searches as soon as the rows are in, before its full-text index is built', async () => {
    const index = create({ synchronousFullTextRows: 0 });
    const loaded = rows(2_000, 1);
    await index.build([page(loaded)]);
    expect(index.fullTextState).not.toBe('ready');
    const nearest = await index.vectorSearch(loaded[41]!.vector, 5);
    expect(nearest[0]?.id).toBe(42);
    // No BM25 ranking yet, but no error either: vectors and exact matches answer meanwhile.
    expect(await index.fullTextSearch('shipping', 5)).toEqual(expect.any(Array));
    await index.fullTextReady();
    expect(index.fullTextState).toBe('ready');
    expect((await index.fullTextSearch('chunk 7', 50)).map((hit) => hit.id)).toContain(7);
  });

  it('folds rows imported after the build into the full-text index', async () => {
    const index = create();
    await index.build([page(rows(500, 1))]);
    expect(await index.fullTextCoverage()).toEqual({ indexedRows: 500, unindexedRows: 0 });
    await index.add(rows(3, 1_000, (id) => `imported later: the zanzibar voucher ${id}`));
    await index.maintenanceSettled();
    expect(await index.fullTextCoverage()).toEqual({ indexedRows: 503, unindexedRows: 0 });
    const hits = await index.fullTextSearch('zanzibar voucher', 10);
    expect(hits.map((hit) => hit.id).sort()).toEqual([1_000, 1_001, 1_002]);
  });

  it('can be disposed while it inserts or folds imported rows, without crashing or hanging', async () => {
    // Closing the table under a running insert corrupted native memory (a LanceDB panic, about one
    // run in ten with 5 attempts; nearly every run with 40).
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const index = create();
      await index.build([page(rows(1_000, 1))]);
      const adding = index.add(rows(200, 5_000));
      // Dispose at different points: while the insert runs, a turn later, and while the fold runs.
      if (attempt % 3 === 1) await new Promise((resolve) => setImmediate(resolve));
      if (attempt % 3 === 2) await adding;
      await index.dispose();
      await adding.catch(() => undefined);
    }
    const survivor = create();
    await survivor.build([page(rows(10, 1))]);
    expect(await survivor.vectorSearch(rows(1, 99)[0]!.vector, 3)).toHaveLength(3);
  });
});
