import type { SearchHit } from '../../shared/schemas/knowledge.js';
import type { RankedId } from './knowledgeIndex.js';

/** The usual RRF constant: it damps the difference between rank 1 and rank 2 of a single list. */
export const reciprocalRankConstant = 60;

export interface FusedId {
  id: number;
  score: number;
  matchedBy: SearchHit['matchedBy'];
}

/**
 * Reciprocal rank fusion of the vector and full-text rankings: a chunk's score is the sum of
 * 1 / (k + rank) over the lists it appears in, so neither list's raw scores (cosine, BM25) need
 * to be comparable. Exact matches (a SKU, a quoted phrase) are pinned ahead of everything else.
 */
export function fuseRankings(input: { vector: RankedId[]; fullText: RankedId[]; pinned: Map<number, 'sku' | 'phrase'> }, limit: number): FusedId[] {
  const fused = new Map<number, FusedId>();
  const addList = (list: RankedId[], source: 'vector' | 'fullText') => {
    list.forEach((entry, rank) => {
      const current = fused.get(entry.id) ?? { id: entry.id, score: 0, matchedBy: [] };
      current.score += 1 / (reciprocalRankConstant + rank + 1);
      current.matchedBy.push(source);
      fused.set(entry.id, current);
    });
  };
  addList(input.vector, 'vector');
  addList(input.fullText, 'fullText');
  for (const [id, reason] of input.pinned) {
    const current = fused.get(id) ?? { id, score: 0, matchedBy: [] };
    current.matchedBy.unshift(reason);
    fused.set(id, current);
  }
  return [...fused.values()]
    .sort((a, b) => Number(input.pinned.has(b.id)) - Number(input.pinned.has(a.id)) || b.score - a.score)
    .slice(0, limit);
}

const stopWords = new Set(
  'a an and are as at be by can do does for from how i in is it my of on or our the this to was we what when where which who why will with you your'.split(' '),
);

/** The query's words that appear in `text`, for highlighting. */
export function matchedTerms(query: string, text: string): string[] {
  const lower = text.toLowerCase();
  const words = query.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  return [...new Set(words.filter((word) => word.length > 1 && !stopWords.has(word) && lower.includes(word)))];
}

/** Quoted phrases in a query: "free shipping" must appear as written. */
export function quotedPhrases(query: string): string[] {
  return [...query.matchAll(/"([^"]{2,200})"/g)].map((match) => match[1]!.trim()).filter(Boolean);
}

/** Words that look like SKUs (letters and digits with a digit, or dashes): candidates for an exact lookup. */
export function skuCandidates(query: string): string[] {
  const trimmed = query.trim().replace(/^"|"$/g, '');
  const words = trimmed.split(/[\s,;]+/).map((word) => word.replace(/^[("'[]+|[)"'\].?!:]+$/g, ''));
  const candidates = words.filter((word) => word.length >= 3 && word.length <= 64 && /\d/.test(word) && /^[\p{L}\p{N}._\-/]+$/u.test(word));
  if (!/\s/.test(trimmed) && trimmed.length >= 2) candidates.push(trimmed);
  return [...new Set(candidates)];
}
