import type { EventBody, LoggedEvent } from '../../shared/schemas/sync.js';
import { prepared } from '../sync/index.js';
import type { TenantDatabase } from '../vault/index.js';

const channelNames: Record<string, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger', web: 'the web chat' };
const channelOf = (targetMessageId: string) => channelNames[targetMessageId.split(':')[0] ?? ''] ?? 'its channel';

/** The timeline line of a customer's edit, quoting the new text. */
export function editedMessageLine(text: string): string {
  return `The customer edited a message: ${text}`;
}

/** How a WhatsApp/Messenger annotation reads in a conversation's timeline (other unknown kinds: their type). */
export function describeChannelEvent(body: EventBody): { kind: 'system'; authorName: null; text: string } {
  switch (body.type) {
    case 'customer.reaction':
      return { kind: 'system', authorName: null, text: body.emoji ? `The customer reacted ${body.emoji} to a message.` : 'The customer removed a reaction.' };
    case 'customer.edit':
      return { kind: 'system', authorName: null, text: editedMessageLine(body.text) };
    case 'customer.delete':
      return { kind: 'system', authorName: null, text: 'The customer deleted a message.' };
    case 'message.status':
      return {
        kind: 'system',
        authorName: null,
        text: body.status === 'failed' ? `Not delivered on ${channelOf(body.targetMessageId)}: ${body.reason ?? 'no reason given'}` : `Reply ${body.status}.`,
      };
    default:
      return { kind: 'system', authorName: null, text: body.type };
  }
}

/** The customer edits only their own messages, which are in the conversation the edit is in (message ids have no index of their own: migration 209). */
function rewriteMessage(database: TenantDatabase, conversationId: string, messageId: string, text: string): void {
  prepared(database, 'update inbox_messages set text = ? where conversation_id = ? and message_id = ?').run(text, conversationId, messageId);
}

/**
 * Applies an annotation to the message it is about. Returns false when the annotation needs no
 * timeline row of its own (routine delivery statuses would drown the conversation).
 */
export function applyChannelEventToInbox(database: TenantDatabase, event: LoggedEvent): boolean {
  const body = event.body;
  switch (body.type) {
    case 'customer.edit':
      rewriteMessage(database, event.conversationId, body.targetMessageId, body.text);
      return true;
    case 'customer.delete':
      rewriteMessage(database, event.conversationId, body.targetMessageId, '(deleted by the customer)');
      return true;
    case 'message.status':
      return body.status === 'failed';
    case 'customer.reaction':
      return true;
    default:
      return true;
  }
}
