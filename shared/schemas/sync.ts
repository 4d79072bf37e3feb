import { z } from 'zod';
import { channelContentSchema, deliveryStatusSchema } from './channels.js';

/**
 * The conversation event log shared by the relay and every desktop (see SYNC.md). Each change to a
 * conversation is one event with a client-generated `eventId` (the idempotency key); the relay
 * numbers accepted events with a per-tenant, gap-free `seq`.
 */

export const eventIdSchema = z.uuid();
export const conversationIdSchema = z.string().min(1).max(100);
export const messageTextSchema = z.string().trim().min(1, 'Write a message.').max(4000, 'Use at most 4,000 characters.');
export const channelNameSchema = z.enum(['web', 'whatsapp', 'messenger']);
export type ChannelName = z.infer<typeof channelNameSchema>;

export const conversationStatusSchema = z.enum(['ai', 'needs_human', 'human', 'resolved']);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

const personName = z.string().trim().min(1).max(120);

/**
 * What an AI reply used, carried with it so every desktop (not only the one that ran the agent) can
 * show staff why it said what it said. Bounded: short excerpts, never whole documents.
 */
export const aiReplyUsedSchema = z.object({
  decisionId: z.string().max(64),
  answeredBy: z.string().max(20).nullable(),
  confidence: z.number().min(0).max(1),
  model: z.string().max(200).nullable(),
  passages: z.array(z.object({ sourceName: z.string().max(300), location: z.string().max(300), excerpt: z.string().max(400), relevance: z.number(), cited: z.boolean() })).max(8),
  products: z.array(z.object({ name: z.string().max(300).nullable(), sku: z.string().max(100).nullable(), price: z.number().nullable(), currency: z.string().max(10).nullable(), stock: z.number().nullable() })).max(8),
});
export type AiReplyUsed = z.infer<typeof aiReplyUsedSchema>;

/** What an event says happened. Customer messages and automatic replies only ever come from the relay. */
export const eventBodySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('customer.message'),
    messageId: z.string().min(1).max(200),
    channel: channelNameSchema,
    customerLabel: z.string().max(120),
    text: messageTextSchema,
    /** WhatsApp/Messenger: media placeholder, location, contacts, button or list reply (see channels.ts). */
    content: channelContentSchema.optional(),
  }),
  z.object({ type: z.literal('staff.message'), messageId: z.string().min(1).max(200), authorName: personName, text: messageTextSchema }),
  z.object({ type: z.literal('ai.message'), messageId: z.string().min(1).max(200), text: messageTextSchema, used: aiReplyUsedSchema.optional() }),
  z.object({ type: z.literal('auto.message'), messageId: z.string().min(1).max(200), text: messageTextSchema }),
  z.object({ type: z.literal('conversation.takeover'), staffName: personName }),
  z.object({ type: z.literal('conversation.handback'), staffName: personName }),
  z.object({ type: z.literal('conversation.resolve'), staffName: personName }),
  z.object({ type: z.literal('conversation.note'), authorName: personName, text: messageTextSchema }),
  /** The agent runner handed the conversation to people: status needs_human; `note` is private to staff. */
  z.object({ type: z.literal('conversation.handoff'), reason: z.string().min(1).max(60), note: z.string().max(2000) }),
  /** A staff member gives the conversation to a colleague, who then holds it (status human). */
  z.object({ type: z.literal('conversation.assign'), staffName: personName, assigneeName: personName }),
  /** A resolved conversation opened again for people (status needs_human). */
  z.object({ type: z.literal('conversation.reopen'), staffName: personName }),
  /** Written by the relay when a mutation lost a race: the losing event is replaced by this one. */
  z.object({ type: z.literal('conversation.rejected'), rejectedEventId: eventIdSchema, rejectedType: z.string(), reason: z.string().max(300) }),
  /** Channel annotations of an earlier message (WhatsApp/Messenger), written by the relay only. */
  z.object({ type: z.literal('customer.reaction'), targetMessageId: z.string().min(1).max(200), emoji: z.string().max(32).nullable() }),
  z.object({ type: z.literal('customer.edit'), targetMessageId: z.string().min(1).max(200), text: messageTextSchema, content: channelContentSchema.optional() }),
  z.object({ type: z.literal('customer.delete'), targetMessageId: z.string().min(1).max(200) }),
  /** Delivery of a reply on its channel; only ever moves forward (read stays read). `failed` carries the platform's reason. */
  z.object({ type: z.literal('message.status'), targetMessageId: z.string().min(1).max(200), status: deliveryStatusSchema, reason: z.string().max(500).optional() }),
  /**
   * A customer erased on one desktop (privacy rights): the relay and every other desktop erase the
   * same conversations. They are named only by `erasureConversationKey(erasureId, conversationId)`
   * (a hash), because a conversation id can contain a phone number. The event's own conversation id
   * is `erasure:<erasureId>`, never a real conversation.
   */
  z.object({
    type: z.literal('customer.erased'),
    erasureId: z.uuid(),
    conversationKeys: z.array(z.string().regex(/^[0-9a-f]{32}$/)).min(1).max(10_000),
    requestedAt: z.number().int().nonnegative(),
  }),
  /**
   * A customer's details corrected on one desktop (privacy rights): the name shown for them in this
   * conversation becomes `customerLabel` on the relay and every desktop, and stays so on a resync
   * (the fold applies it after the messages that carried the old name). One event per conversation.
   */
  z.object({ type: z.literal('customer.corrected'), customerLabel: z.string().trim().min(1).max(120), requestedAt: z.number().int().nonnegative() }),
  /** What the relay leaves of an event whose content it deleted (erasure or retention), so seq stays gap-free. */
  z.object({ type: z.literal('event.erased'), reason: z.enum(['erasure', 'retention']) }),
  /** Written by the relay: the owner closed the business account; its relay data goes at `deleteAt`. */
  z.object({ type: z.literal('account.closing'), deleteAt: z.number().int().nonnegative() }),
  /** Written by the relay: the owner cancelled closing the account during the grace period. */
  z.object({ type: z.literal('account.closure_cancelled') }),
]);
export type EventBody = z.infer<typeof eventBodySchema>;
export type EventType = EventBody['type'];

/** Event types a desktop may push; the rest are produced by the relay itself. */
export const desktopEventTypes = [
  'staff.message',
  'ai.message',
  'conversation.takeover',
  'conversation.handback',
  'conversation.resolve',
  'conversation.note',
  'conversation.handoff',
  'conversation.assign',
  'conversation.reopen',
  'customer.erased',
  'customer.corrected',
] as const;

/** Of those, the ones only an owner or admin may push (the relay rejects an agent's, visibly). */
export const ownerAdminEventTypes = ['customer.erased', 'customer.corrected'] as const;

/** Conversation ids of events that carry no conversation (erasures, account notices, tombstones). */
export const erasureConversationPrefix = 'erasure:';
export const accountConversationId = 'account';
export const erasedConversationId = 'erased';

export const conversationEventSchema = z.object({
  eventId: eventIdSchema,
  conversationId: conversationIdSchema,
  /** When the author's device says it happened: shown to people, never used for ordering. */
  occurredAt: z.number().int().nonnegative(),
  body: eventBodySchema,
});
export type ConversationEvent = z.infer<typeof conversationEventSchema>;

export const loggedEventSchema = conversationEventSchema.extend({
  seq: z.number().int().positive(),
  /** Relay clock at acceptance. */
  acceptedAt: z.number().int().nonnegative(),
});
export type LoggedEvent = z.infer<typeof loggedEventSchema>;

/** Where a desktop stands in the tenant's log. A different epoch means the log was reset. */
export const cursorSchema = z.object({
  epoch: z.string().min(1).max(100),
  seq: z.number().int().nonnegative(),
});
export type Cursor = z.infer<typeof cursorSchema>;

export const clientIdSchema = z.uuid();

export const mutationSchema = z.object({
  mutationId: z.number().int().positive(),
  event: conversationEventSchema,
});
export type Mutation = z.infer<typeof mutationSchema>;

export const pushInput = z.object({
  clientId: clientIdSchema,
  mutations: z.array(mutationSchema).min(1).max(500),
});
export type PushInput = z.infer<typeof pushInput>;

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.object({ mutationId: z.number(), status: z.literal('applied'), seq: z.number() }),
  /** Already applied earlier (a retry after a lost response): done, nothing new was written. */
  z.object({ mutationId: z.number(), status: z.literal('duplicate') }),
  /** Lost a race: the relay logged a `conversation.rejected` event at `seq` instead. */
  z.object({ mutationId: z.number(), status: z.literal('rejected'), seq: z.number(), reason: z.string() }),
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;

export const pushResultSchema = z.object({
  results: z.array(mutationResultSchema),
  /** Set when a mutation id skipped ahead of the last applied one; the rest of the batch was not applied. */
  gapAfterMutationId: z.number().optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pullInput = z.object({
  cursor: cursorSchema,
  limit: z.number().int().min(1).max(5000).default(1000),
});

/**
 * One page of the log. `throughSeq` is where the cursor moves after applying it (it can be past the
 * last event when older events were pruned); `resync` means: drop what came from the log and start
 * again from `restartFrom`.
 */
export const pullResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('events'), epoch: z.string(), fromSeq: z.number(), throughSeq: z.number(), headSeq: z.number(), events: z.array(loggedEventSchema) }),
  z.object({ kind: z.literal('resync'), restartFrom: cursorSchema, reason: z.enum(['epoch', 'pruned']) }),
]);
export type PullResult = z.infer<typeof pullResultSchema>;
export type EventPage = Extract<PullResult, { kind: 'events' }>;

export const liveInput = z.object({
  cursor: cursorSchema,
  /** Filled in by the tRPC WebSocket client on reconnect: the seq of the last page received. */
  lastEventId: z.string().nullish(),
});

export const acknowledgeInput = z.object({ cursor: cursorSchema });

export const leaseInput = z.object({ ttlSeconds: z.number().int().min(5).max(600).default(60) });
export const leaseStateSchema = z.object({ held: z.boolean(), holderDeviceId: z.string().nullable(), expiresAt: z.number().nullable() });
export type LeaseState = z.infer<typeof leaseStateSchema>;
