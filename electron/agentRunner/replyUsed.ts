import type { AgentDecision } from '../../shared/schemas/agent.js';
import type { AiReplyUsed } from '../../shared/schemas/sync.js';

const excerptLength = 300;

function locationLabel(location: AgentDecision['passages'][number]['location']): string {
  if (location.row !== undefined) return `row ${location.row}`;
  if (location.headingPath && location.headingPath.length > 0) return location.headingPath.join(' › ').slice(0, 300);
  if (location.page !== undefined) return `page ${location.page}`;
  return '';
}

/** The part of a decision that travels with the AI reply (short excerpts only: the relay is not the knowledge base). */
export function replyUsed(decision: AgentDecision): AiReplyUsed {
  return {
    decisionId: decision.id,
    answeredBy: decision.answeredBy,
    confidence: Math.min(1, Math.max(0, decision.confidence)),
    model: decision.model,
    passages: decision.passages.slice(0, 8).map((passage) => ({
      sourceName: passage.sourceName.slice(0, 300),
      location: locationLabel(passage.location),
      excerpt: passage.text.length > excerptLength ? `${passage.text.slice(0, excerptLength - 1)}…` : passage.text,
      relevance: passage.relevance,
      cited: passage.cited,
    })),
    products: decision.products.slice(0, 8).map((product) => ({
      name: product.name?.slice(0, 300) ?? null,
      sku: product.sku?.slice(0, 100) ?? null,
      price: product.price,
      currency: product.currency?.slice(0, 10) ?? null,
      stock: product.stock,
    })),
  };
}
