import type { AgentDecision, AgentSettings, ConversationMessage } from '../../shared/schemas/agent.js';
import type { TenantSession } from '../vault/index.js';
import { decide } from './agentEngine.js';
import { readAgentSettings, readApiKey } from './agentSettingsStore.js';
import { recordDecision } from './decisionLog.js';
import { knowledgeRetriever } from './knowledgeRetriever.js';
import type { Retriever } from './retriever.js';

export interface AnswerConversationOptions {
  /** The app's data folder (where the embedding model lives): `core.vault.dataDirectory`. */
  dataDirectory: string;
  /** The inbox conversation this answers; stored with the decision. Omit for playground questions. */
  conversationId?: string;
  /** Streams a model's reply as it is written (provisional until the decision arrives). */
  onToken?: (text: string) => void;
  /** Abort when staff take the conversation over: the call rejects with CANCELLED and records nothing. */
  signal?: AbortSignal;
  /** Where passages come from; the tenant's knowledge base unless given (benchmarks, tests). */
  retriever?: Retriever;
  fetch?: typeof fetch;
}

/**
 * Runs the agent on a conversation of the unlocked tenant and records the decision.
 *
 * `messages` is the conversation oldest first, ending with the customer's message to answer
 * (`customer.message` → 'customer', `ai.message`/`auto.message` → 'ai', `staff.message` → 'staff';
 * private notes are left out). Send `decision.reply` to the customer; on `outcome: 'hand_off'`
 * also set the conversation to needs_human and add `decision.staffNote` as a private note.
 */
export async function answerConversation(session: TenantSession, messages: readonly ConversationMessage[], options: AnswerConversationOptions): Promise<AgentDecision> {
  const settings = readAgentSettings(session.database);
  const decision = await decide(
    messages,
    {
      retriever: options.retriever ?? knowledgeRetriever(session, options.dataDirectory),
      settings,
      apiKey: settings.model.provider === 'none' ? null : readApiKey(session.database),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
    { ...(options.onToken ? { onToken: options.onToken } : {}), ...(options.signal ? { signal: options.signal } : {}) },
  );
  if (!session.closed) recordDecision(session.database, decision, options.conversationId ?? null);
  return decision;
}

/** The tenant's agent settings (hand-off and hand-back messages, greeting …) for the inbox to use. */
export function agentSettings(session: TenantSession): AgentSettings {
  return readAgentSettings(session.database);
}
