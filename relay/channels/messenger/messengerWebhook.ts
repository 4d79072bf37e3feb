import type { ChannelContent } from '../../../shared/schemas/channels.js';
import { compactContent, describeContent, type ChannelInboundItem, type ParsedWebhook } from '../meta/channelInbound.js';

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const array = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

export const messengerConversationId = (pageId: string, personId: string) => `messenger:${pageId}:${personId}`;

/** Messenger timestamps are milliseconds (the newer field/value form sends seconds as a string). */
function milliseconds(value: unknown, fallback: number): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) return fallback;
  return parsed < 1e11 ? parsed * 1000 : parsed;
}

const attachmentKinds: Record<string, ChannelContent['kind']> = { image: 'image', video: 'video', audio: 'audio', file: 'file', reel: 'video', ig_reel: 'video', sticker: 'sticker' };

function readMessagingEvent(event: Json, pageId: string, now: number): ChannelInboundItem[] {
  const senderId = text(object(event.sender).id) ?? text(object(event.sender).user_ref);
  if (!senderId) return [{ kind: 'ignored', what: 'event without sender' }];
  const conversationId = messengerConversationId(pageId, senderId);
  const occurredAt = milliseconds(event.timestamp, now);
  const message = object(event.message);
  if (event.message !== undefined) {
    // Echoes are the page's own messages (ours or sent from the Page inbox): not customer input.
    if (message.is_echo === true) return [{ kind: 'ignored', what: 'echo' }];
    const mid = text(message.mid);
    if (!mid) return [{ kind: 'ignored', what: 'message without mid' }];
    const inReplyTo = text(object(message.reply_to).mid);
    const quickReply = object(message.quick_reply);
    const attachment = object(array(message.attachments)[0]);
    let content: ChannelContent;
    if (text(quickReply.payload) !== undefined) content = compactContent({ kind: 'quick_reply', replyId: text(quickReply.payload), replyTitle: text(message.text), inReplyTo });
    else if (text(attachment.type) !== undefined) {
      const type = text(attachment.type)!;
      const payload = object(attachment.payload);
      content =
        type === 'location'
          ? compactContent({ kind: 'location', latitude: Number(object(payload.coordinates).lat), longitude: Number(object(payload.coordinates).long), placeName: text(attachment.title) })
          : compactContent({ kind: attachmentKinds[type] ?? 'unsupported', mediaId: text(payload.attachment_id) ?? text(payload.sticker_id) ?? text(payload.url), inReplyTo });
    } else content = compactContent({ kind: 'text', inReplyTo });
    return [{ kind: 'message', externalId: mid, conversationId, customerLabel: `Messenger ${senderId.slice(-6)}`, occurredAt, content, text: describeContent(content, text(message.text)) }];
  }
  if (event.postback !== undefined) {
    const postback = object(event.postback);
    const content = compactContent({ kind: 'postback', replyId: text(postback.payload), replyTitle: text(postback.title) });
    const externalId = text(postback.mid) ?? `postback:${senderId}:${occurredAt}`;
    return [{ kind: 'message', externalId, conversationId, customerLabel: `Messenger ${senderId.slice(-6)}`, occurredAt, content, text: describeContent(content, text(postback.title)) }];
  }
  if (event.reaction !== undefined) {
    const reaction = object(event.reaction);
    const target = text(reaction.mid);
    if (!target) return [{ kind: 'ignored', what: 'reaction without target' }];
    const emoji = text(reaction.action) === 'unreact' ? null : (text(reaction.emoji) ?? text(reaction.reaction) ?? null);
    // Reactions have no id of their own: sender, target, action and time identify a redelivery.
    const externalId = `reaction:${senderId}:${target}:${text(reaction.action) ?? 'react'}:${emoji ?? ''}:${occurredAt}`;
    return [{ kind: 'reaction', externalId, conversationId, occurredAt, targetExternalId: target, emoji }];
  }
  if (event.delivery !== undefined) {
    const delivery = object(event.delivery);
    return array(delivery.mids)
      .map(text)
      .filter((mid): mid is string => mid !== undefined)
      .map((mid) => ({ kind: 'status' as const, platformMessageId: mid, conversationId, occurredAt: milliseconds(delivery.watermark, occurredAt), status: 'delivered' as const }));
  }
  if (event.read !== undefined) return [{ kind: 'readWatermark', conversationId, occurredAt, watermark: milliseconds(object(event.read).watermark, occurredAt) }];
  return [{ kind: 'ignored', what: 'unknown messaging event' }];
}

/** Every entry and every messaging (or standby) event of a Messenger notification, plus the field/value form. */
export function parseMessengerWebhook(payload: unknown, now: number): ParsedWebhook {
  const items: ParsedWebhook['items'] = [];
  for (const entryValue of array(object(payload).entry)) {
    const entry = object(entryValue);
    const pageId = text(entry.id) ?? '';
    for (const event of [...array(entry.messaging), ...array(entry.standby)]) {
      for (const item of readMessagingEvent(object(event), pageId, now)) items.push({ accountId: pageId, item });
    }
    for (const change of array(entry.changes)) {
      const value = object(object(change).value);
      for (const item of readMessagingEvent(value, pageId, now)) items.push({ accountId: pageId, item });
    }
  }
  return { channel: 'messenger', items };
}
