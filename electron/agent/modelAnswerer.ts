import { AresError } from '../../shared/errors.js';
import type { AgentSettings, ConversationMessage, FigureCheck, HandOffReason, UsedPassage, UsedProduct } from '../../shared/schemas/agent.js';
import type { Product } from '../../shared/schemas/knowledge.js';
import { usedPassages, usedProducts } from './decisionRecord.js';
import { productsReply } from './catalogFacts.js';
import { ChatError, streamChat } from './chatClient.js';
import { amountsIn, unsupportedFigures } from './figureCheck.js';
import { citedNumbers, groundedMessages, handOffSentinel, withoutCitations, type PromptPassage } from './groundedPrompt.js';
import type { RankedPassage } from './relevance.js';

export interface ModelAnswerInput {
  messages: readonly ConversationMessage[];
  ranked: readonly RankedPassage[];
  settings: AgentSettings;
  apiKey: string | null;
  fetch?: typeof fetch;
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

type Used = { passages: UsedPassage[]; products: UsedProduct[]; model: string; citedReply: string | null; figureCheck: FigureCheck | null };
export type ModelAnswer = ({ outcome: 'answer'; reply: string; note: string } & Used) | ({ outcome: 'hand_off'; reason: HandOffReason; detail: string } & Used);

/** Passages below this relevance only distract a model; the best one is always included. */
const minimumPromptRelevance = 0.2;
const maximumPromptPassages = 6;

/**
 * Writes a grounded answer with the tenant's model. The reply stands only if every price and stock
 * figure in it is found in the catalog rows the model cited (or, citing none, was shown); if not,
 * the customer gets the catalog facts instead, or a person when there are none to give.
 */
export async function answerWithModel(input: ModelAnswerInput): Promise<ModelAnswer> {
  const { settings } = input;
  const chosen = input.ranked.filter((candidate, index) => index === 0 || candidate.relevance >= minimumPromptRelevance).slice(0, maximumPromptPassages);
  const promptPassages: PromptPassage[] = chosen.map((candidate, index) => ({ number: index + 1, passage: candidate.passage, product: candidate.product }));
  const shownProducts = chosen.map((candidate) => candidate.product).filter((product): product is Product => product !== null);
  const modelName = settings.model.modelName;
  const base = (cited: ReadonlySet<RankedPassage>, products: readonly Product[], model: string) => ({
    passages: usedPassages(chosen, cited),
    products: usedProducts(products, chosen),
    model,
  });

  let result: { text: string; model: string };
  try {
    result = await streamChat({
      baseUrl: settings.model.baseUrl,
      model: modelName,
      apiKey: input.apiKey,
      messages: groundedMessages(settings, promptPassages, input.messages),
      timeoutMilliseconds: settings.model.timeoutSeconds * 1000,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onToken ? { onToken: input.onToken } : {}),
      ...(input.fetch ? { fetch: input.fetch } : {}),
    });
  } catch (error) {
    if (error instanceof ChatError && error.kind === 'cancelled') throw new AresError('CANCELLED', 'The answer was cancelled.');
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: 'hand_off', reason: 'model_error', detail: message, ...base(new Set(), shownProducts, modelName), citedReply: null, figureCheck: null };
  }

  const text = result.text.trim();
  if (text === '' || text.replace(/[^A-Z]/g, '') === handOffSentinel) {
    return {
      outcome: 'hand_off', reason: 'low_confidence', detail: `the model (${result.model}) found no answer in the passages.`,
      ...base(new Set(), shownProducts, result.model), citedReply: null, figureCheck: null,
    };
  }

  const citedSet = new Set(citedNumbers(text).map((number) => chosen[number - 1]).filter((candidate): candidate is RankedPassage => candidate !== undefined));
  const citedProducts = [...citedSet].map((candidate) => candidate.product).filter((product): product is Product => product !== null);
  const checkedAgainst = citedProducts.length > 0 ? citedProducts : shownProducts;
  const statedAmounts = chosen.filter((candidate) => !candidate.product).flatMap((candidate) => amountsIn(candidate.passage.text));
  const unsupported = unsupportedFigures(text, checkedAgainst, statedAmounts);
  const used = base(citedSet, checkedAgainst, result.model);

  if (unsupported.length === 0) {
    return {
      outcome: 'answer', reply: withoutCitations(text), citedReply: text, note: `Written by ${result.model} from ${citedSet.size} cited passage(s).`,
      ...used, figureCheck: { unsupportedFigures: [], action: 'accepted' },
    };
  }
  if (checkedAgainst.length > 0) {
    return {
      outcome: 'answer',
      reply: productsReply(checkedAgainst),
      citedReply: text,
      note: `The model (${result.model}) wrote ${unsupported.join(', ')}, which the catalog does not confirm; the customer got the catalog facts instead.`,
      ...used,
      figureCheck: { unsupportedFigures: unsupported, action: 'replaced_with_catalog_facts' },
    };
  }
  return {
    outcome: 'hand_off', reason: 'unverified_facts', detail: `the model (${result.model}) wrote ${unsupported.join(', ')} and no catalog row confirms it.`,
    ...used, citedReply: text, figureCheck: { unsupportedFigures: unsupported, action: 'handed_off' },
  };
}
