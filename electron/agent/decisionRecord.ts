import type { UsedPassage, UsedProduct } from '../../shared/schemas/agent.js';
import type { Product } from '../../shared/schemas/knowledge.js';
import type { RankedPassage } from './relevance.js';

/** How a decision records what it read: numbered passages (as cited) and the catalog rows used. */
export function usedPassages(ranked: readonly RankedPassage[], cited: ReadonlySet<RankedPassage>): UsedPassage[] {
  return ranked.map((candidate, index) => ({
    number: index + 1,
    chunkId: candidate.passage.chunkId,
    sourceId: candidate.passage.sourceId,
    sourceName: candidate.passage.sourceName,
    fileType: candidate.passage.fileType,
    location: candidate.passage.location,
    text: candidate.passage.text,
    searchScore: candidate.passage.score,
    relevance: round(candidate.relevance),
    cited: cited.has(candidate),
  }));
}

export function usedProducts(products: readonly Product[], numbered: readonly RankedPassage[]): UsedProduct[] {
  return products.map((product) => {
    const index = numbered.findIndex((candidate) => candidate.product === product);
    return {
      id: product.id, sourceId: product.sourceId, row: product.row, sku: product.sku, name: product.name,
      price: product.price, currency: product.currency, stock: product.stock, url: product.url,
      passageNumber: index >= 0 ? index + 1 : null,
    };
  });
}

const round = (value: number) => Math.round(value * 1000) / 1000;
