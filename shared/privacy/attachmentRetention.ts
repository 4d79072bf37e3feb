import type { EventBody } from '../schemas/sync.js';

/**
 * What "attachments" are in Ares: the relay never downloads customer files, so a WhatsApp or
 * Messenger media message is kept as a placeholder — its kind plus the platform's media id, MIME
 * type, file name and caption. Those four are the attachment's data; the attachment retention rule
 * removes them (and the message text built from them) once the message is older than the rule,
 * on the desktops and on the relay. The kind stays, so the timeline still says "a photo was sent".
 */
export const attachmentFields = ['mediaId', 'mimeType', 'fileName', 'caption'] as const;

/** What the text of a placeholder becomes; the kind stays readable. */
export function removedAttachmentText(kind: string): string {
  return `[${kind}] Attachment details deleted by the retention rule.`;
}

/** A cheap pre-filter for stored JSON: only bodies containing one of these can hold attachment details. */
export const attachmentFieldMarkers = attachmentFields.map((field) => `"${field}"`);

/**
 * The body without its attachment details, or null when it has none (so nothing is rewritten
 * twice). Customer messages and customer edits carry channel content.
 */
export function withoutAttachmentDetails(body: EventBody): EventBody | null {
  if (body.type !== 'customer.message' && body.type !== 'customer.edit') return null;
  const content = body.content;
  if (!content || !attachmentFields.some((field) => content[field] !== undefined)) return null;
  const kept = Object.fromEntries(Object.entries(content).filter(([field]) => !(attachmentFields as readonly string[]).includes(field))) as typeof content;
  return { ...body, text: removedAttachmentText(content.kind), content: kept };
}

/** The stored body without its attachment details, and the texts before and after; null when it has none. */
export function bodyWithoutAttachment(bodyJson: string): { body: string; oldText: string; newText: string } | null {
  const body = JSON.parse(bodyJson) as EventBody;
  const stripped = withoutAttachmentDetails(body);
  if (!stripped || !('text' in body) || !('text' in stripped)) return null;
  return { body: JSON.stringify(stripped), oldText: body.text, newText: stripped.text };
}

/** A conversation state whose preview quoted the old text, with the preview rewritten; null when it did not. */
export function stateWithoutAttachmentPreview(stateJson: string, oldText: string, newText: string): string | null {
  const state = JSON.parse(stateJson) as { lastMessagePreview?: string };
  if (!state.lastMessagePreview || !oldText.startsWith(state.lastMessagePreview)) return null;
  return JSON.stringify({ ...state, lastMessagePreview: newText.slice(0, 120) });
}
