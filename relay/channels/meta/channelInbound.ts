import type { ChannelContent, MetaChannel } from '../../../shared/schemas/channels.js';

/**
 * What a webhook says happened, per item, before anything is stored. Parsers for WhatsApp and
 * Messenger turn every entry, change and message of a batch into these; `externalId` is the
 * platform's id and the idempotency key.
 */
export type ChannelInboundItem =
  | { kind: 'message'; externalId: string; conversationId: string; customerLabel: string; occurredAt: number; text: string; content: ChannelContent }
  | { kind: 'reaction'; externalId: string; conversationId: string; occurredAt: number; targetExternalId: string; emoji: string | null }
  | { kind: 'edit'; externalId: string; conversationId: string; occurredAt: number; targetExternalId: string; text: string; content: ChannelContent }
  | { kind: 'delete'; externalId: string; conversationId: string; occurredAt: number; targetExternalId: string }
  | { kind: 'status'; platformMessageId: string; conversationId: string; occurredAt: number; status: 'sent' | 'delivered' | 'read' | 'failed'; reason?: string }
  /** Messenger reads: everything the page sent in the conversation up to `watermark` was read. */
  | { kind: 'readWatermark'; conversationId: string; occurredAt: number; watermark: number }
  | { kind: 'ignored'; what: string };

export interface ParsedWebhook {
  channel: MetaChannel;
  /** The phone number id or page id each item was addressed to (checked against the connection). */
  items: { accountId: string; item: ChannelInboundItem }[];
}

const maximumText = 4000;
const kindLabels: Partial<Record<ChannelContent['kind'], string>> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  voice: 'Voice message',
  document: 'Document',
  sticker: 'Sticker',
  file: 'File',
  location: 'Location',
  contacts: 'Contacts',
  button_reply: 'Button',
  list_reply: 'List choice',
  quick_reply: 'Quick reply',
  postback: 'Button',
  order: 'Order',
  form_reply: 'Form reply',
  unsupported: 'Unsupported message',
};

/** A readable one-line text for any content, so every desktop and preview has something to show. */
export function describeContent(content: ChannelContent, text?: string): string {
  const label = kindLabels[content.kind];
  let described: string;
  switch (content.kind) {
    case 'text':
    case 'system':
      described = text ?? '';
      break;
    case 'location': {
      const place = [content.placeName, content.address].filter(Boolean).join(', ');
      described = `[${label}] ${place ? `${place} ` : ''}(${content.latitude}, ${content.longitude})`;
      break;
    }
    case 'contacts':
      described = `[${label}] ${(content.contacts ?? []).map((contact) => `${contact.name}${contact.phones.length ? ` (${contact.phones.join(', ')})` : ''}`).join('; ')}`;
      break;
    case 'button_reply':
    case 'list_reply':
    case 'quick_reply':
    case 'postback':
      described = text ? text : `[${label}] ${content.replyTitle ?? content.replyId ?? ''}`;
      break;
    default:
      described = `[${label}]${content.fileName ? ` ${content.fileName}` : ''}${content.caption ? ` ${content.caption}` : ''}${text ? ` ${text}` : ''}`;
  }
  const trimmed = described.trim();
  return (trimmed.length > 0 ? trimmed : `[${label ?? 'Message'}]`).slice(0, maximumText);
}

/** Drops undefined fields so stored events stay small and compare equal after a JSON round trip. */
export function compactContent(content: ChannelContent): ChannelContent {
  return Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined && value !== '')) as ChannelContent;
}
