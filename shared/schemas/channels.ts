import { z } from 'zod';

/**
 * WhatsApp Cloud API and Messenger channels: what an inbound message carries besides its text,
 * and the API for connecting a number or a Page to the relay. Shared by the relay and the desktop.
 */

export const channelContentKindSchema = z.enum([
  'text',
  'image',
  'video',
  'audio',
  'voice',
  'document',
  'sticker',
  'file',
  'location',
  'contacts',
  'button_reply',
  'list_reply',
  'quick_reply',
  'postback',
  'order',
  'form_reply',
  'system',
  'unsupported',
]);
export type ChannelContentKind = z.infer<typeof channelContentKindSchema>;

const shortText = z.string().max(1000);

/**
 * The structured part of a channel message. Media are kept as placeholders (type, caption and the
 * platform's media id): the relay never downloads customer files.
 */
export const channelContentSchema = z.object({
  kind: channelContentKindSchema,
  mediaId: z.string().max(500).optional(),
  mimeType: z.string().max(200).optional(),
  caption: z.string().max(4000).optional(),
  fileName: z.string().max(500).optional(),
  latitude: z.number().optional(),
  longitude: z.number().optional(),
  placeName: shortText.optional(),
  address: shortText.optional(),
  contacts: z.array(z.object({ name: shortText, phones: z.array(z.string().max(60)).max(20) })).max(50).optional(),
  /** Button, list or quick reply: the payload the business defined, and the title the customer saw. */
  replyId: shortText.optional(),
  replyTitle: shortText.optional(),
  /** The platform message this one answers (a reply or a button under a message). */
  inReplyTo: z.string().max(500).optional(),
});
export type ChannelContent = z.infer<typeof channelContentSchema>;

export const deliveryStatusSchema = z.enum(['queued', 'sent', 'delivered', 'read', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const metaChannelSchema = z.enum(['whatsapp', 'messenger']);
export type MetaChannel = z.infer<typeof metaChannelSchema>;

const secretText = (label: string) => z.string().trim().min(8, `${label} looks too short.`).max(1024);
const platformId = (label: string) => z.string().trim().regex(/^\d{3,40}$/, `${label} is a number from Meta's dashboard.`);

export const whatsappTemplateSchema = z.object({
  name: z.string().trim().regex(/^[a-z0-9_]{1,512}$/, 'Template names use lowercase letters, digits and underscores.'),
  language: z.string().trim().min(2).max(15).default('en_US'),
  /** How many {{n}} body parameters it takes. */
  bodyParameterCount: z.number().int().min(0).max(20).default(0),
  description: z.string().max(300).default(''),
});
export type WhatsappTemplate = z.infer<typeof whatsappTemplateSchema>;

export const configureWhatsappInput = z.object({
  phoneNumberId: platformId('The phone number id'),
  businessAccountId: platformId('The WhatsApp Business Account id'),
  /** Write-only: left out, the stored token stays. */
  accessToken: secretText('The access token').optional(),
  appSecret: secretText('The app secret').optional(),
  templates: z.array(whatsappTemplateSchema).max(100).default([]),
});
export type ConfigureWhatsappInput = z.infer<typeof configureWhatsappInput>;

export const configureMessengerInput = z.object({
  pageId: platformId('The Page id'),
  pageAccessToken: secretText('The Page access token').optional(),
  appSecret: secretText('The app secret').optional(),
});
export type ConfigureMessengerInput = z.infer<typeof configureMessengerInput>;

/** What the desktop may see of a connection: never a secret, only whether one is stored. */
export const channelConnectionViewSchema = z.object({
  channel: metaChannelSchema,
  callbackUrl: z.string(),
  verifyToken: z.string(),
  settings: z.record(z.string(), z.unknown()),
  secretsStored: z.object({ accessToken: z.boolean(), appSecret: z.boolean() }),
  webhooks: z.object({ lastReceivedAt: z.number().nullable(), receivedCount: z.number(), rejectedCount: z.number() }),
  outbound: z.object({ queued: z.number(), failed: z.number(), sent: z.number() }),
  updatedAt: z.number(),
});
export type ChannelConnectionView = z.infer<typeof channelConnectionViewSchema>;

export const channelsStatusSchema = z.object({ connections: z.array(channelConnectionViewSchema) });
export type ChannelsStatus = z.infer<typeof channelsStatusSchema>;

export const outboundSendViewSchema = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  channel: metaChannelSchema,
  status: z.enum(['queued', 'sending', 'sent', 'failed']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  updatedAt: z.number(),
});
export type OutboundSendView = z.infer<typeof outboundSendViewSchema>;

export const retrySendInput = z.object({ messageId: z.string().min(1).max(200) });
export const removeChannelInput = z.object({ channel: metaChannelSchema });
export const sendTemplateInput = z.object({
  conversationId: z.string().min(1).max(100),
  templateName: z.string().min(1).max(512),
  parameters: z.array(z.string().max(1000)).max(20).default([]),
});
