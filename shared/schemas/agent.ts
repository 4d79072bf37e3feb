import { z } from 'zod';
import type { ChunkLocation, FileType } from './knowledge.js';

/**
 * The agent: settings a tenant gives it, the conversation it answers, and the decision it records
 * for every reply so staff can see why it said what it said.
 */

const isLoopbackHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');

/**
 * An OpenAI-compatible base URL such as `http://127.0.0.1:11434/v1` or `https://api.example.com/v1`.
 * Plain HTTP only to this computer: the API key travels in a header and must not cross a network in clear.
 */
export const modelBaseUrlSchema = z
  .string()
  .trim()
  .max(500)
  .refine((value) => {
    if (value === '') return true;
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    } catch {
      return false;
    }
  }, 'Use an https:// address (plain http:// only for a server on this computer).');

export const modelProviderSchema = z.enum(['none', 'openai_compatible']);
export type ModelProvider = z.infer<typeof modelProviderSchema>;

const shortText = (maximum: number) => z.string().trim().max(maximum);

export const agentSettingsSchema = z
  .object({
    persona: shortText(2000),
    greeting: shortText(500),
    tone: shortText(200),
    rules: z.array(z.string().trim().min(1).max(500)).max(50),
    handOff: z.object({
      /** What the customer is told when a person takes over. */
      customerMessage: z.string().trim().min(1, 'Write the message a customer sees on hand-off.').max(500),
      /** What the customer is told when staff hand the conversation back to the assistant. */
      handBackMessage: z.string().trim().min(1, 'Write the message a customer sees on hand-back.').max(500),
      maximumAiTurns: z.number().int().min(1).max(100),
      /** 0–1: below this the agent hands off instead of answering. */
      confidenceThreshold: z.number().min(0).max(1),
    }),
    /** Words or phrases that always go to a person (refund, complaint, lawyer …). */
    humanOnlyTopics: z.array(z.string().trim().min(1).max(100)).max(200),
    model: z.object({
      provider: modelProviderSchema,
      baseUrl: modelBaseUrlSchema,
      modelName: shortText(200),
      timeoutSeconds: z.number().int().min(1).max(300),
    }),
  })
  .superRefine((settings, context) => {
    if (settings.model.provider !== 'openai_compatible') return;
    if (!settings.model.baseUrl) context.addIssue({ code: 'custom', path: ['model', 'baseUrl'], message: 'Enter the model server address.' });
    if (!settings.model.modelName) context.addIssue({ code: 'custom', path: ['model', 'modelName'], message: 'Enter the model name.' });
  });
export type AgentSettings = z.infer<typeof agentSettingsSchema>;

export const defaultAgentSettings: AgentSettings = {
  persona: 'You are the friendly customer-support assistant of this business.',
  greeting: 'Hi! How can I help you today?',
  tone: 'friendly, clear and concise',
  rules: [],
  handOff: {
    customerMessage: 'Let me get a member of our team for you. Someone will reply here shortly.',
    handBackMessage: 'You are talking to our automated assistant again. Ask me anything.',
    maximumAiTurns: 10,
    confidenceThreshold: 0.6,
  },
  humanOnlyTopics: [],
  model: { provider: 'none', baseUrl: '', modelName: '', timeoutSeconds: 30 },
};

/** Settings as the UI sees them: the API key never leaves the core, only whether one is set. */
export type AgentSettingsView = AgentSettings & { apiKeySet: boolean };

export const updateAgentSettingsInput = z.object({
  settings: agentSettingsSchema,
  /** A new API key; omitted keeps the stored one. */
  apiKey: z.string().trim().min(1).max(1000).optional(),
  clearApiKey: z.boolean().optional(),
});
export type UpdateAgentSettingsInput = z.input<typeof updateAgentSettingsInput>;

export const conversationRoleSchema = z.enum(['customer', 'ai', 'staff']);
export type ConversationRole = z.infer<typeof conversationRoleSchema>;

/** One message of the conversation the agent answers, oldest first. */
export const conversationMessageSchema = z.object({
  role: conversationRoleSchema,
  text: z.string().trim().min(1).max(4000),
});
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

export const askInput = z.object({
  question: z.string().trim().min(1, 'Type a question.').max(4000, 'Use at most 4,000 characters.'),
  /** Earlier messages of the conversation, oldest first. */
  history: z.array(conversationMessageSchema).max(200).default([]),
});
export type AskInput = z.input<typeof askInput>;

export const playgroundSendInput = z.object({
  conversationId: z.string().min(1).max(64),
  text: askInput.shape.question,
});
export const playgroundConversationInput = z.object({ conversationId: z.string().min(1).max(64) });

export const decisionIdInput = z.object({ decisionId: z.string().min(1).max(64) });

export const handOffReasons = ['customer_request', 'low_confidence', 'human_only_topic', 'ai_turn_limit', 'model_error', 'unverified_facts'] as const;
export type HandOffReason = (typeof handOffReasons)[number];

export const handOffReasonLabels: Record<HandOffReason, string> = {
  customer_request: 'The customer asked for a person',
  low_confidence: 'The knowledge base has no confident answer',
  human_only_topic: 'A topic marked as human-only',
  ai_turn_limit: 'The assistant reached its turn limit',
  model_error: 'The language model failed or timed out',
  unverified_facts: 'The model stated figures the catalog does not confirm',
};

/** A passage the agent read, numbered as it was cited ([1], [2] …). */
export interface UsedPassage {
  number: number;
  chunkId: number;
  sourceId: string;
  sourceName: string;
  fileType: FileType;
  location: ChunkLocation;
  text: string;
  /** The knowledge base's own ranking score. */
  searchScore: number;
  /** 0–1: how much of the question this passage covers (the agent's confidence measure). */
  relevance: number;
  cited: boolean;
}

/** A catalog row the agent used; prices and stock in replies come only from these. */
export interface UsedProduct {
  id: number;
  sourceId: string;
  row: number;
  sku: string | null;
  name: string | null;
  price: number | null;
  currency: string | null;
  stock: number | null;
  url: string | null;
  /** Passage number of the catalog row in `passages`, when it was retrieved as one. */
  passageNumber: number | null;
}

/** What the catalog check did to a model's reply. */
export interface FigureCheck {
  /** Price or stock figures in the model's text that no catalog row it used confirms. */
  unsupportedFigures: string[];
  action: 'accepted' | 'replaced_with_catalog_facts' | 'handed_off';
}

export interface AgentDecision {
  id: string;
  outcome: 'answer' | 'hand_off';
  /** What the customer receives: the answer, or the tenant's hand-off message. */
  reply: string;
  /** A model's reply as written, with its [1], [2] citations into `passages` (the customer's copy has them removed). */
  citedReply: string | null;
  handOffReason: HandOffReason | null;
  /** A private note for staff: why the agent answered or handed off. */
  staffNote: string;
  answeredBy: 'extractive' | 'model' | 'greeting' | null;
  confidence: number;
  threshold: number;
  question: string;
  passages: UsedPassage[];
  products: UsedProduct[];
  /** The model that wrote the reply, when one did (or was asked and failed). */
  model: string | null;
  figureCheck: FigureCheck | null;
  decidedAt: number;
  durationMilliseconds: number;
}

export interface PlaygroundTurn {
  role: ConversationRole;
  text: string;
  decision?: AgentDecision;
}

export interface PlaygroundConversation {
  conversationId: string;
  turns: PlaygroundTurn[];
}

/** Streamed by the playground while an answer is being written. */
export type AgentStreamEvent = { type: 'token'; text: string } | { type: 'decision'; decision: AgentDecision };
