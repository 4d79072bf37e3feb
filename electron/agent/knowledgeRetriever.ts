import type { Product } from '../../shared/schemas/knowledge.js';
import type { TenantSession } from '../vault/index.js';
import { knowledgeOf } from '../knowledge/index.js';
import { isCatalogPassage, type Retrieval, type Retriever } from './retriever.js';

/** Products of one source scanned at most while looking for a row by position (bounds the work). */
const maximumScannedProducts = 5000;

/**
 * The tenant's knowledge base as the agent sees it: hybrid search for passages, and the catalog
 * rows behind catalog passages, read through the knowledge domain's product listing.
 */
export function knowledgeRetriever(session: TenantSession, dataDirectory: string): Retriever {
  const knowledge = () => knowledgeOf(session, dataDirectory);
  return {
    async search(query: string, limit: number): Promise<Retrieval> {
      const hits = await knowledge().search({ query: query.slice(0, 2000), limit });
      const products: Product[] = [];
      for (const hit of hits) {
        if (!isCatalogPassage(hit)) continue;
        const product = findProduct(knowledge().store, hit.sourceId, hit.location.row!, hit.text);
        if (product) products.push(product);
      }
      return { passages: hits, products };
    },
  };
}

type ProductListing = { products(input: { sourceId: string; search?: string; limit: number; offset?: number; sortBy?: 'name' }): { products: Product[]; total: number } };

/**
 * Finds the catalog row a passage was made from. A catalog passage starts with the product's
 * name and carries "SKU: …", which narrows the listing; failing that the source is scanned.
 */
function findProduct(store: ProductListing, sourceId: string, row: number, passageText: string): Product | null {
  const sku = /^SKU: (.+)$/m.exec(passageText)?.[1]?.trim();
  const name = passageText.split('\n', 1)[0]?.trim();
  for (const search of [sku, name]) {
    if (!search) continue;
    const match = store.products({ sourceId, search: search.slice(0, 200), limit: 500 }).products.find((product) => product.row === row);
    if (match) return match;
  }
  for (let offset = 0; offset < maximumScannedProducts; offset += 500) {
    const page = store.products({ sourceId, limit: 500, offset });
    const match = page.products.find((product) => product.row === row);
    if (match) return match;
    if (page.products.length < 500) break;
  }
  return null;
}
