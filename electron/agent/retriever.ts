import type { Product, SearchHit } from '../../shared/schemas/knowledge.js';

/**
 * What the agent needs from the knowledge base, and nothing more: ranked passages for a question,
 * and the catalog rows behind any passage that is a product. Kept this narrow so the engine can be
 * exercised on any tenant and the knowledge domain can change its internals freely.
 */
export interface Retriever {
  search(query: string, limit: number): Promise<Retrieval>;
}

export interface Retrieval {
  /** Best first. A catalog passage carries its `sourceId` and `location.row`. */
  passages: RetrievedPassage[];
  /** The catalog rows of the catalog passages above (any order). */
  products: Product[];
}

export type RetrievedPassage = Pick<SearchHit, 'chunkId' | 'sourceId' | 'sourceName' | 'fileType' | 'text' | 'score' | 'location' | 'matchedBy'>;

const catalogFileTypes = new Set(['csv', 'xlsx', 'json']);

export function isCatalogPassage(passage: RetrievedPassage): boolean {
  return catalogFileTypes.has(passage.fileType) && passage.location.row !== undefined;
}

/** The catalog row a passage was made from, when there is one. */
export function productOfPassage(passage: RetrievedPassage, products: readonly Product[]): Product | null {
  if (!isCatalogPassage(passage)) return null;
  return products.find((product) => product.sourceId === passage.sourceId && product.row === passage.location.row) ?? null;
}
