import { attachmentFieldMarkers, bodyWithoutAttachment, stateWithoutAttachmentPreview } from '../../../shared/privacy/attachmentRetention.js';
import { editedMessageLine } from '../../channels/channelInboxProjection.js';
import type { TenantDatabase } from '../../vault/index.js';
import { tableExists } from '../sections/exportSection.js';

/**
 * The desktop half of the attachment rule: WhatsApp/Messenger media reach a desktop only as
 * placeholders inside the synced events (media id, MIME type, file name, caption) and the message
 * text built from them. For messages older than `before`, those details are deleted from the stored
 * event, the timeline row and the conversation preview; the kind stays ("[image] ..."). Runs inside
 * the caller's transaction; returns how many messages lost their details.
 */
export function removeAttachmentDetails(database: TenantDatabase, before: number): number {
  if (!tableExists(database, 'sync_events')) return 0;
  const candidates = database.prepare(`select event_id as eventId, conversation_id as conversationId, event from sync_events where ${attachmentFieldMarkers.map(() => 'instr(event, ?) > 0').join(' or ')}`);
  const rewriteEvent = database.prepare('update sync_events set event = ? where event_id = ?');
  const hasInbox = tableExists(database, 'inbox_messages');
  const rewriteRow = hasInbox ? database.prepare('update inbox_messages set text = ? where event_id = ? and text = ?') : null;
  let count = 0;
  for (const row of candidates.all(...attachmentFieldMarkers) as { eventId: string; conversationId: string; event: string }[]) {
    const event = JSON.parse(row.event) as { acceptedAt?: number; occurredAt: number; body: { type: string; targetMessageId?: string } };
    // The relay's acceptance time when the event was confirmed, else the author's (a pending event).
    if ((event.acceptedAt ?? event.occurredAt) >= before) continue;
    const removed = bodyWithoutAttachment(JSON.stringify(event.body));
    if (!removed) continue;
    rewriteEvent.run(JSON.stringify({ ...event, body: JSON.parse(removed.body) }), row.eventId);
    if (rewriteRow) {
      // Only a row that still shows this event's text: a message edited since shows the edit's
      // text, whose details go when the edit itself is old enough (below, as the edit's target).
      rewriteRow.run(removed.newText, row.eventId, removed.oldText);
      if (event.body.targetMessageId) {
        // An edit's own timeline line quotes it, and the edit rewrote the message it edited (in the same conversation).
        rewriteRow.run(editedMessageLine(removed.newText), row.eventId, editedMessageLine(removed.oldText));
        database.prepare('update inbox_messages set text = ? where conversation_id = ? and message_id = ? and text = ?').run(removed.newText, row.conversationId, event.body.targetMessageId, removed.oldText);
      }
      const state = database.prepare('select state from inbox_conversations where conversation_id = ?').get(row.conversationId) as { state: string } | undefined;
      const next = state && stateWithoutAttachmentPreview(state.state, removed.oldText, removed.newText);
      if (next) database.prepare('update inbox_conversations set state = ? where conversation_id = ?').run(next, row.conversationId);
    }
    count += 1;
  }
  return count;
}
