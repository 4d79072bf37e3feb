import type { AgentSettings, ConversationMessage } from '../../shared/schemas/agent.js';
import type { Product } from '../../shared/schemas/knowledge.js';
import { formatPrice } from './catalogFacts.js';
import type { ChatMessage } from './chatClient.js';
import type { RetrievedPassage } from './retriever.js';

/** What the model answers when the passages do not hold the answer; the engine hands off on it. */
export const handOffSentinel = 'HANDOFF';

export interface PromptPassage {
  number: number;
  passage: RetrievedPassage;
  product: Product | null;
}

/** Enough context for follow-up questions without letting a long chat crowd out the passages. */
const maximumHistoryMessages = 10;
const maximumPassageCharacters = 1500;

export function passageLabel(passage: RetrievedPassage): string {
  const location = passage.location;
  if (location.row !== undefined) return `${passage.sourceName}, row ${location.row}`;
  if (location.headingPath && location.headingPath.length > 0) return `${passage.sourceName} › ${location.headingPath.join(' › ')}`;
  if (location.page !== undefined) return `${passage.sourceName}, page ${location.page}`;
  return passage.sourceName;
}

function passageBlock({ number, passage, product }: PromptPassage): string {
  if (product) {
    // Catalog facts are given as labelled fields so the model copies them rather than paraphrases.
    const fields = [
      product.name && `Name: ${product.name}`,
      product.sku && `SKU: ${product.sku}`,
      product.price !== null && `Price: ${formatPrice(product.price, product.currency)}`,
      product.stock !== null && `Stock: ${product.stock}`,
      product.url && `Link: ${product.url}`,
      product.description && `Description: ${product.description.slice(0, 600)}`,
    ].filter(Boolean);
    return `[${number}] Catalog row (${passageLabel(passage)})\n${fields.join('\n')}`;
  }
  return `[${number}] ${passageLabel(passage)}\n${passage.text.slice(0, maximumPassageCharacters)}`;
}

/**
 * The grounded prompt: the tenant's persona, tone and rules, then the numbered passages retrieved
 * for this question, and nothing else of the tenant's data; then the recent conversation.
 */
export function groundedMessages(settings: AgentSettings, passages: readonly PromptPassage[], history: readonly ConversationMessage[]): ChatMessage[] {
  const rules = settings.rules.length > 0 ? `Rules from the business (always follow them):\n${settings.rules.map((rule) => `- ${rule}`).join('\n')}\n\n` : '';
  const system =
    `${settings.persona}\n` +
    (settings.tone ? `Tone: ${settings.tone}.\n` : '') +
    `\n${rules}` +
    'Answer the customer\'s last message using ONLY the numbered passages below. ' +
    'After each fact, cite the passage it came from as [1], [2] and so on. ' +
    'Copy prices and stock levels exactly from catalog rows; never estimate, round or invent them. ' +
    `If the passages do not contain the answer, reply with exactly: ${handOffSentinel}\n` +
    'Reply in the language the customer writes in. Keep the reply short enough for a chat.\n\n' +
    `Passages:\n\n${passages.map(passageBlock).join('\n\n')}`;
  const recent = history.slice(-maximumHistoryMessages).map(
    (message): ChatMessage => (message.role === 'customer' ? { role: 'user', content: message.text } : { role: 'assistant', content: message.text }),
  );
  return [{ role: 'system', content: system }, ...recent];
}

/** The passage numbers a reply cites, in order of first citation. */
export function citedNumbers(text: string): number[] {
  const numbers: number[] = [];
  for (const match of text.matchAll(/\[(\d{1,2})(?:\s*,\s*(\d{1,2}))*\]/g)) {
    for (const part of match[0].slice(1, -1).split(',')) {
      const value = Number.parseInt(part.trim(), 10);
      if (!numbers.includes(value)) numbers.push(value);
    }
  }
  return numbers;
}

/** The customer's copy of a reply: citation markers mean nothing on WhatsApp. */
export function withoutCitations(text: string): string {
  return text.replace(/\s*\[\d{1,2}(?:\s*,\s*\d{1,2})*\]/g, '').replace(/[ \t]+([.,;:!?])/g, '$1').trim();
}
