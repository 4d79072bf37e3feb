import { z } from 'zod';
import { channelNameSchema, conversationIdSchema, conversationStatusSchema, messageTextSchema, type AiReplyUsed, type ChannelName, type ConversationStatus } from './sync.js';

/** The live inbox API: list filters, actions, composer helpers and the dashboard. */

export const inboxFilterSchema = z.enum(['all', 'needs_human', 'mine', 'ai', 'human', 'resolved']);
export type InboxFilter = z.infer<typeof inboxFilterSchema>;

export const conversationPageInput = z.object({
  filter: inboxFilterSchema.default('all'),
  channel: channelNameSchema.nullish(),
  search: z.string().trim().max(200).default(''),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ConversationPageInput = z.input<typeof conversationPageInput>;
export type ConversationPageQuery = z.output<typeof conversationPageInput>;

export interface ConversationRow {
  conversationId: string;
  status: ConversationStatus;
  holder: string | null;
  channel: ChannelName | null;
  customerLabel: string;
  lastMessagePreview: string;
  lastActivityAt: number | null;
  unread: number;
  hasUnconfirmedChanges: boolean;
}

export interface ConversationPage {
  rows: ConversationRow[];
  /** Matching conversations; with `totalCapped`, at least this many (searches stop counting at 1,000). */
  total: number;
  totalCapped: boolean;
  offset: number;
}

export interface InboxCounts {
  all: number;
  needsHuman: number;
  mine: number;
  ai: number;
  human: number;
  resolved: number;
  unreadConversations: number;
  staffName: string;
}

export const conversationInput = z.object({ conversationId: conversationIdSchema });
export const textInput = z.object({ conversationId: conversationIdSchema, text: messageTextSchema });
export const assignInput = z.object({ conversationId: conversationIdSchema, assigneeName: z.string().trim().min(1, 'Choose a colleague.').max(120) });
export const draftInput = z.object({ conversationId: conversationIdSchema, text: z.string().max(4000) });
export const messagesInput = z.object({ conversationId: conversationIdSchema, beforeSeq: z.number().int().positive().nullish(), limit: z.number().int().min(1).max(1000).default(300) });

export const savedReplyInput = z.object({
  shortcut: z
    .string()
    .trim()
    .regex(/^[\p{L}\p{N}_-]{1,40}$/u, 'A shortcut is one word (letters, digits, - or _), typed after /.'),
  text: messageTextSchema,
});
export const savedReplyIdInput = z.object({ id: z.number().int().positive() });
export interface SavedReply {
  id: number;
  shortcut: string;
  text: string;
  updatedAt: number;
}

export type DeliveryTick = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'rejected';

export interface LiveMessage {
  messageId: string;
  eventId: string;
  seq: number | null;
  kind: 'customer' | 'staff' | 'ai' | 'auto' | 'note' | 'system';
  authorName: string | null;
  text: string;
  createdAt: number;
  delivery: DeliveryTick;
  failureReason: string | null;
  used: AiReplyUsed | null;
}

export interface MessagePage {
  messages: LiveMessage[];
  /** Pass as `beforeSeq` to load older messages; null when the start of the conversation is loaded. */
  olderBeforeSeq: number | null;
}

export interface ConversationDetails extends ConversationRow {
  messageCount: number;
  draft: string;
  /** WhatsApp: the customer's last message opens a 24-hour window for free-form replies. Null elsewhere. */
  whatsappWindowClosesAt: number | null;
  /** The AI handles this conversation on some desktop right now (this one or another holds the lease). */
  staffName: string;
}

export interface DashboardStatistics {
  days: { day: string; conversations: number }[];
  conversations: number;
  aiResolvedShare: number | null;
  handOffs: { reason: string; count: number; rate: number }[];
  firstResponseMedianSeconds: number | null;
  firstResponseSamples: number;
  unansweredQuestions: { conversationId: string; question: string; askedAt: number }[];
}

export const dashboardInput = z.object({ days: z.number().int().min(1).max(90).default(14) });

export const statusFilterLabels: Record<InboxFilter, string> = {
  all: 'All',
  needs_human: 'Needs a human',
  mine: 'Mine',
  ai: 'AI handling',
  human: 'With staff',
  resolved: 'Resolved',
};

export { conversationStatusSchema };
