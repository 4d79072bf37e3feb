import type { Product } from '../../shared/schemas/knowledge.js';
import { contentTerms, topicTerms } from './textNormalisation.js';
import { productOfPassage, type Retrieval, type RetrievedPassage } from './retriever.js';

/**
 * The agent's confidence measure: the share of the question's topic words a passage contains.
 * The knowledge base's fused search score ranks well but has no fixed scale (reciprocal-rank
 * fusion gives tiny numbers whatever the match), so a threshold needs a measure that means the
 * same on every tenant: "this passage covers 80% of what was asked" does.
 */
export function coverage(questionTerms: readonly string[], passageText: string): number {
  const unique = [...new Set(questionTerms)];
  if (unique.length === 0) return 0;
  const passageTerms = new Set(contentTerms(passageText));
  let matched = 0;
  for (const term of unique) {
    if (passageTerms.has(term)) matched += 1;
    // Compounds and inflections the stemmer misses ("backpack" in "backpacks", "Rucksack" in "Wanderrucksack").
    else if (term.length >= 5 && [...passageTerms].some((candidate) => candidate.length >= 5 && (candidate.includes(term) || term.includes(candidate)))) matched += 0.8;
  }
  return matched / unique.length;
}

export interface RankedPassage {
  passage: RetrievedPassage;
  /** Position in the knowledge base's ranking (0 = best). */
  rank: number;
  relevance: number;
  product: Product | null;
}

/** Scores every retrieved passage against the question; best first, ties kept in search order. */
export function rankPassages(question: string, retrieval: Retrieval): RankedPassage[] {
  const questionTerms = contentTerms(question);
  const productTerms = topicTerms(question);
  const ranked = retrieval.passages.map((passage, rank) => {
    const product = productOfPassage(passage, retrieval.products);
    // For a product, "how much is the trail backpack" is about the backpack: the price words say
    // which fact is wanted and are in every catalog row's text anyway.
    let relevance = product ? coverage(productTerms, passage.text) : coverage(questionTerms, passage.text);
    if (passage.matchedBy.includes('sku') || passage.matchedBy.includes('phrase')) relevance = Math.max(relevance, 0.95);
    return { passage, rank, relevance: Math.min(1, relevance), product };
  });
  return ranked.sort((left, right) => right.relevance - left.relevance || left.rank - right.rank);
}
