import type { ChannelContent } from '../../../shared/schemas/channels.js';
import { compactContent, describeContent, type ChannelInboundItem, type ParsedWebhook } from '../meta/channelInbound.js';

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const seconds = (value: unknown, fallback: number): number => {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed * 1000 : fallback;
};

export const whatsappConversationId = (phoneNumberId: string, customerWaId: string) => `whatsapp:${phoneNumberId}:${customerWaId}`;

const mediaKinds = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** The structured content and text of one WhatsApp message object (also used for the new version of an edit). */
function readMessage(message: Json): { content: ChannelContent; text: string | undefined } {
  const type = text(message.type) ?? 'unsupported';
  const context = object(message.context);
  const inReplyTo = text(context.id);
  if (type === 'text') return { content: compactContent({ kind: 'text', inReplyTo }), text: text(object(message.text).body) };
  if (mediaKinds.has(type)) {
    const media = object(message[type]);
    const kind = type === 'audio' && media.voice === true ? 'voice' : (type as ChannelContent['kind']);
    return {
      content: compactContent({ kind, mediaId: text(media.id), mimeType: text(media.mime_type), caption: text(media.caption), fileName: text(media.filename), inReplyTo }),
      text: undefined,
    };
  }
  if (type === 'location') {
    const location = object(message.location);
    return {
      content: compactContent({
        kind: 'location',
        latitude: Number(location.latitude),
        longitude: Number(location.longitude),
        placeName: text(location.name),
        address: text(location.address),
      }),
      text: undefined,
    };
  }
  if (type === 'contacts') {
    const contacts = array(message.contacts).map((entry) => {
      const contact = object(entry);
      const name = object(contact.name);
      return {
        name: (text(name.formatted_name) ?? [text(name.first_name), text(name.last_name)].filter(Boolean).join(' ')) || 'Contact',
        phones: array(contact.phones)
          .map((phone) => text(object(phone).phone))
          .filter((phone): phone is string => phone !== undefined),
      };
    });
    return { content: { kind: 'contacts', contacts }, text: undefined };
  }
  if (type === 'button') {
    // A quick-reply button under a template message.
    const button = object(message.button);
    return { content: compactContent({ kind: 'quick_reply', replyId: text(button.payload), replyTitle: text(button.text), inReplyTo }), text: text(button.text) };
  }
  if (type === 'interactive') {
    const interactive = object(message.interactive);
    const interactiveType = text(interactive.type);
    if (interactiveType === 'button_reply' || interactiveType === 'list_reply') {
      const reply = object(interactive[interactiveType]);
      return {
        content: compactContent({ kind: interactiveType, replyId: text(reply.id), replyTitle: text(reply.title), inReplyTo }),
        text: [text(reply.title), text(reply.description)].filter(Boolean).join(' — ') || undefined,
      };
    }
    if (interactiveType === 'nfm_reply') {
      const reply = object(interactive.nfm_reply);
      return { content: compactContent({ kind: 'form_reply', replyId: text(reply.name), inReplyTo }), text: `[Form reply] ${text(reply.body) ?? text(reply.response_json) ?? ''}` };
    }
    return { content: { kind: 'unsupported' }, text: undefined };
  }
  if (type === 'order') {
    const order = object(message.order);
    const items = array(order.product_items).map((entry) => {
      const item = object(entry);
      return `${text(item.quantity) ?? '1'} × ${text(item.product_retailer_id) ?? 'item'}`;
    });
    return { content: { kind: 'order' }, text: `[Order] ${items.join(', ')}${text(order.text) ? ` — ${text(order.text)}` : ''}` };
  }
  if (type === 'system') return { content: { kind: 'system' }, text: text(object(message.system).body) ?? 'System message' };
  return { content: { kind: 'unsupported' }, text: undefined };
}

function readInboundMessage(message: Json, phoneNumberId: string, labels: Map<string, string>, fallbackTime: number): ChannelInboundItem {
  const id = text(message.id);
  const from = text(message.from) ?? text(message.from_user_id);
  if (!id || !from) return { kind: 'ignored', what: 'message without id or sender' };
  const conversationId = whatsappConversationId(phoneNumberId, from);
  const occurredAt = seconds(message.timestamp, fallbackTime);
  const type = text(message.type);
  if (type === 'reaction') {
    const reaction = object(message.reaction);
    const target = text(reaction.message_id);
    if (!target) return { kind: 'ignored', what: 'reaction without target' };
    const emoji = text(reaction.emoji);
    return { kind: 'reaction', externalId: id, conversationId, occurredAt, targetExternalId: target, emoji: emoji ? emoji : null };
  }
  if (type === 'revoke') {
    const target = text(object(message.revoke).original_message_id);
    return target ? { kind: 'delete', externalId: id, conversationId, occurredAt, targetExternalId: target } : { kind: 'ignored', what: 'deletion without target' };
  }
  if (type === 'edit') {
    const edit = object(message.edit);
    const target = text(edit.original_message_id);
    if (!target) return { kind: 'ignored', what: 'edit without target' };
    const { content, text: editedText } = readMessage(object(edit.message));
    return { kind: 'edit', externalId: id, conversationId, occurredAt, targetExternalId: target, content, text: describeContent(content, editedText) };
  }
  const { content, text: messageText } = readMessage(message);
  return { kind: 'message', externalId: id, conversationId, customerLabel: labels.get(from) ?? `+${from}`, occurredAt, content, text: describeContent(content, messageText) };
}

function readStatus(status: Json, phoneNumberId: string, fallbackTime: number): ChannelInboundItem {
  const id = text(status.id);
  const recipient = text(status.recipient_id);
  const value = text(status.status);
  if (!id || !recipient) return { kind: 'ignored', what: 'status without id' };
  const mapped = value === 'played' ? 'read' : value;
  if (mapped !== 'sent' && mapped !== 'delivered' && mapped !== 'read' && mapped !== 'failed') return { kind: 'ignored', what: `status ${value}` };
  const error = object(array(status.errors)[0]);
  const reason =
    mapped === 'failed'
      ? [text(error.code), text(error.title) ?? text(error.message), text(object(error.error_data).details)].filter(Boolean).join(': ').slice(0, 500) || 'The platform gave no reason.'
      : undefined;
  return {
    kind: 'status',
    platformMessageId: id,
    conversationId: whatsappConversationId(phoneNumberId, recipient),
    occurredAt: seconds(status.timestamp, fallbackTime),
    status: mapped,
    ...(reason ? { reason } : {}),
  };
}

/** Every entry, every change, every message and status of a WhatsApp Cloud API notification. */
export function parseWhatsappWebhook(payload: unknown, now: number, fallbackPhoneNumberId = ''): ParsedWebhook {
  const items: ParsedWebhook['items'] = [];
  const root = object(payload);
  for (const entry of array(root.entry)) {
    for (const change of array(object(entry).changes)) {
      const field = text(object(change).field);
      const value = object(object(change).value);
      const phoneNumberId = text(object(value.metadata).phone_number_id) ?? fallbackPhoneNumberId;
      if (field !== 'messages') {
        items.push({ accountId: phoneNumberId, item: { kind: 'ignored', what: `field ${field}` } });
        continue;
      }
      const labels = new Map<string, string>();
      for (const contact of array(value.contacts)) {
        const waId = text(object(contact).wa_id);
        const name = text(object(object(contact).profile).name);
        if (waId && name) labels.set(waId, name.slice(0, 120));
      }
      for (const message of array(value.messages)) items.push({ accountId: phoneNumberId, item: readInboundMessage(object(message), phoneNumberId, labels, now) });
      for (const status of array(value.statuses)) items.push({ accountId: phoneNumberId, item: readStatus(object(status), phoneNumberId, now) });
    }
  }
  return { channel: 'whatsapp', items };
}
