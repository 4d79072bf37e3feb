import type { Product } from '../../shared/schemas/knowledge.js';
import { productsReply } from './catalogFacts.js';
import { coverage, type RankedPassage } from './relevance.js';
import { contentTerms } from './textNormalisation.js';

export interface ExtractiveAnswer {
  reply: string;
  confidence: number;
  /** The ranked passages the reply was taken from. */
  used: RankedPassage[];
  products: Product[];
}

/** Passages longer than this are cut at a sentence end: a chat reply, not a document. */
const maximumReplyCharacters = 700;

const questionLabels = 'q|question|p|pregunta|frage|f|domanda|vraag|pergunta';
const answerLabels = 'a|answer|r|respuesta|reponse|réponse|antwort|resposta|risposta|antwoord';
const questionAnswerPattern = new RegExp(
  `(?:^|\\n)\\s*(?:${questionLabels})\\s*[:.)]\\s*(.+?)\\s*\\n\\s*(?:${answerLabels})\\s*[:.)]\\s*([\\s\\S]+?)(?=\\n\\s*(?:${questionLabels})\\s*[:.)]|$)`,
  'giu',
);

/**
 * The answer part of an FAQ passage: under a question heading ("## How long does shipping take?")
 * the text after the heading; in "Q: … A: …" pairs the answer whose question fits best; otherwise
 * the passage itself.
 */
export function faqAnswer(question: string, text: string, headingPath: readonly string[] | undefined): string {
  const pairs = [...text.matchAll(questionAnswerPattern)];
  if (pairs.length > 0) {
    const terms = contentTerms(question);
    const best = pairs.reduce((winner, pair) => (coverage(terms, pair[1]!) > coverage(terms, winner[1]!) ? pair : winner));
    return shorten(best[2]!.trim());
  }
  const heading = headingPath?.at(-1)?.trim();
  if (heading && text.trimStart().startsWith(heading)) {
    const rest = text.trimStart().slice(heading.length).trim();
    if (rest) return shorten(rest);
  }
  return shorten(text.trim());
}

function shorten(text: string): string {
  if (text.length <= maximumReplyCharacters) return text;
  const cut = text.slice(0, maximumReplyCharacters);
  const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
  return sentenceEnd > maximumReplyCharacters / 3 ? cut.slice(0, sentenceEnd + 1) : `${cut.trimEnd()}…`;
}

/** Products within this much of the best one's relevance are listed together ("backpacks?"). */
const productTieMargin = 0.001;
const maximumListedProducts = 3;

/**
 * Without a language model the agent answers with text that already exists: the best FAQ answer,
 * or facts copied from catalog rows. Returns null when nothing was retrieved.
 */
export function extractiveAnswer(question: string, ranked: readonly RankedPassage[]): ExtractiveAnswer | null {
  const best = ranked[0];
  if (!best) return null;
  if (best.product) {
    const tied = ranked.filter((candidate) => candidate.product && best.relevance - candidate.relevance <= productTieMargin).slice(0, maximumListedProducts);
    const products = tied.map((candidate) => candidate.product!);
    return { reply: productsReply(products), confidence: best.relevance, used: tied, products };
  }
  return {
    reply: faqAnswer(question, best.passage.text, best.passage.location.headingPath),
    confidence: best.relevance,
    used: [best],
    products: [],
  };
}
