import { randomUUID } from 'node:crypto';
import { AresError } from '../../shared/errors.js';
import {
  handOffReasonLabels,
  type AgentDecision,
  type AgentSettings,
  type ConversationMessage,
  type HandOffReason,
} from '../../shared/schemas/agent.js';
import { extractiveAnswer } from './extractiveAnswerer.js';
import { asksForPerson, isGreetingOnly, matchHumanOnlyTopic } from './handOffDetection.js';
import { answerWithModel } from './modelAnswerer.js';
import { passageLabel } from './groundedPrompt.js';
import { usedPassages, usedProducts } from './decisionRecord.js';
import { rankPassages } from './relevance.js';
import type { Retriever } from './retriever.js';
import { contentTerms } from './textNormalisation.js';

export interface AgentEngineOptions {
  retriever: Retriever;
  settings: AgentSettings;
  /** The model server's API key, read from the vault only when a model is configured. */
  apiKey: string | null;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface DecideOptions {
  /** Receives the model's reply as it streams (before the catalog check; show it as provisional). */
  onToken?: (text: string) => void;
  /** Aborting (staff took the conversation over) stops the model and rejects with CANCELLED. */
  signal?: AbortSignal;
}

/** Passages read per question: enough to find the answer, few enough for a small model's context. */
const retrievalLimit = 8;
const recordedPassages = 5;

/**
 * retrieve → decide → answer or hand off, for the last customer message of a conversation.
 * Pure with respect to the tenant: everything it knows comes through `retriever` and `settings`.
 */
export async function decide(messages: readonly ConversationMessage[], options: AgentEngineOptions, decideOptions: DecideOptions = {}): Promise<AgentDecision> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const settings = options.settings;
  const last = messages.at(-1);
  if (!last || last.role !== 'customer') throw new AresError('INVALID_INPUT', 'The agent answers a conversation whose last message is from the customer.');
  const question = last.text;

  const base = {
    id: randomUUID(),
    question,
    threshold: settings.handOff.confidenceThreshold,
    decidedAt: startedAt,
  };
  const finish = (decision: Omit<AgentDecision, 'id' | 'question' | 'threshold' | 'decidedAt' | 'durationMilliseconds'>): AgentDecision => ({
    ...base,
    ...decision,
    durationMilliseconds: Math.max(0, now() - startedAt),
  });
  const handOff = (reason: HandOffReason, detail: string, used: Partial<Pick<AgentDecision, 'confidence' | 'passages' | 'products' | 'model' | 'figureCheck' | 'citedReply'>> = {}) =>
    finish({
      outcome: 'hand_off',
      reply: settings.handOff.customerMessage,
      citedReply: used.citedReply ?? null,
      handOffReason: reason,
      staffNote: `${handOffReasonLabels[reason]}: ${detail}`,
      answeredBy: null,
      confidence: used.confidence ?? 0,
      passages: used.passages ?? [],
      products: used.products ?? [],
      model: used.model ?? null,
      figureCheck: used.figureCheck ?? null,
    });

  // The AI-turn limit counts replies since staff last spoke, so a hand-back starts a fresh allowance.
  const lastStaffIndex = messages.findLastIndex((message) => message.role === 'staff');
  const aiTurns = messages.slice(lastStaffIndex + 1).filter((message) => message.role === 'ai').length;
  if (aiTurns >= settings.handOff.maximumAiTurns) {
    return handOff('ai_turn_limit', `the assistant already replied ${aiTurns} times (limit ${settings.handOff.maximumAiTurns}).`);
  }
  if (asksForPerson(question)) return handOff('customer_request', `"${clip(question)}"`);
  const topic = matchHumanOnlyTopic(question, settings.humanOnlyTopics);
  if (topic) return handOff('human_only_topic', `the message mentions "${topic}".`);
  if (isGreetingOnly(question)) {
    return finish({
      outcome: 'answer', reply: settings.greeting, citedReply: null, handOffReason: null, staffNote: 'Greeting answered with the configured greeting.',
      answeredBy: 'greeting', confidence: 1, passages: [], products: [], model: null, figureCheck: null,
    });
  }

  // A short follow-up ("and in blue?") is searched together with the customer's previous message.
  const previousCustomerMessage = messages.slice(0, -1).findLast((message) => message.role === 'customer');
  const query = contentTerms(question).length < 2 && previousCustomerMessage ? `${previousCustomerMessage.text} ${question}` : question;
  const retrieval = await options.retriever.search(query, retrievalLimit);
  const ranked = rankPassages(query, retrieval);
  const extractive = extractiveAnswer(query, ranked);
  const confidence = extractive?.confidence ?? 0;
  const threshold = settings.handOff.confidenceThreshold;

  if (!extractive || confidence < threshold) {
    const best = ranked[0];
    const detail = best
      ? `the best passage (${passageLabel(best.passage)}) covers ${percent(confidence)} of the question; the threshold is ${percent(threshold)}.`
      : 'nothing in the knowledge base matches the question.';
    return handOff('low_confidence', detail, { confidence, passages: usedPassages(ranked.slice(0, recordedPassages), new Set()), products: [] });
  }

  if (settings.model.provider === 'openai_compatible') {
    const model = await answerWithModel({ messages, ranked, settings, apiKey: options.apiKey, ...(options.fetch ? { fetch: options.fetch } : {}), ...decideOptions });
    if (model.outcome === 'hand_off') {
      return handOff(model.reason, model.detail, {
        confidence,
        passages: model.passages,
        products: model.products,
        model: model.model,
        figureCheck: model.figureCheck,
        citedReply: model.citedReply,
      });
    }
    return finish({
      outcome: 'answer', reply: model.reply, citedReply: model.citedReply, handOffReason: null, answeredBy: 'model', confidence,
      staffNote: model.note, passages: model.passages, products: model.products, model: model.model, figureCheck: model.figureCheck,
    });
  }

  const usedSet = new Set(extractive.used);
  const source = extractive.used.map((candidate) => passageLabel(candidate.passage)).join('; ');
  return finish({
    outcome: 'answer',
    reply: extractive.reply,
    citedReply: null,
    handOffReason: null,
    staffNote: `${extractive.products.length > 0 ? 'Catalog facts' : 'Answer'} from ${source} (confidence ${percent(confidence)} ≥ ${percent(threshold)}).`,
    answeredBy: 'extractive',
    confidence,
    passages: usedPassages(ranked.slice(0, recordedPassages), usedSet),
    products: usedProducts(extractive.products, ranked),
    model: null,
    figureCheck: null,
  });
}

const percent = (value: number) => `${Math.round(value * 100)}%`;
const clip = (text: string) => (text.length > 120 ? `${text.slice(0, 117)}…` : text);
