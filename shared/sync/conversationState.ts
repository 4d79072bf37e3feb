import type { ChannelName, ConversationStatus, LoggedEvent } from '../schemas/sync.js';

/**
 * The state of one conversation as a pure fold over its logged events in `seq` order. The relay
 * and every desktop run this same function, so "conversations equal the relay's at the same seq"
 * (SYNC.md invariant 6) is a comparison of values, not of two implementations.
 */
export interface ConversationState {
  conversationId: string;
  channel: ChannelName | null;
  customerLabel: string;
  status: ConversationStatus;
  /** The staff member who took the conversation over, while status is `human`. */
  holder: string | null;
  lastSeq: number;
  messageCount: number;
  lastMessageAt: number | null;
  lastMessagePreview: string;
  /** Seq of the oldest customer message nobody has answered yet (drives the automatic reply). */
  unansweredSinceSeq: number | null;
  autoReplied: boolean;
}

export function emptyConversation(conversationId: string): ConversationState {
  return {
    conversationId,
    channel: null,
    customerLabel: '',
    status: 'ai',
    holder: null,
    lastSeq: 0,
    messageCount: 0,
    lastMessageAt: null,
    lastMessagePreview: '',
    unansweredSinceSeq: null,
    autoReplied: false,
  };
}

const previewLength = 120;

/** Why `event` must be refused given `state`, or null when it may be applied. Only the relay asks. */
export function raceRejection(state: ConversationState, body: LoggedEvent['body']): string | null {
  if (body.type === 'conversation.takeover' && state.holder !== null && state.holder !== body.staffName) {
    return `${state.holder} has already taken over this conversation.`;
  }
  if (body.type === 'conversation.handback' && state.holder !== null && state.holder !== body.staffName) {
    return `${state.holder} holds this conversation; only they can hand it back.`;
  }
  if (body.type === 'conversation.assign' && state.holder !== null && state.holder !== body.staffName) {
    return `${state.holder} holds this conversation; only they can assign it.`;
  }
  // The AI speaks only while the conversation is in AI mode: a reply the agent was about to send
  // when staff took over (or the runner's view was stale) is refused here, in seq order.
  if ((body.type === 'ai.message' || body.type === 'conversation.handoff') && state.status !== 'ai') {
    return state.holder ? `${state.holder} has taken over this conversation; the AI stays silent.` : 'The conversation is not in AI mode; the AI stays silent.';
  }
  return null;
}

export function applyConversationEvent(state: ConversationState, event: LoggedEvent): ConversationState {
  const next: ConversationState = { ...state, lastSeq: event.seq };
  const body = event.body;
  const recordMessage = (text: string) => {
    next.messageCount += 1;
    next.lastMessageAt = event.acceptedAt;
    next.lastMessagePreview = text.slice(0, previewLength);
  };
  switch (body.type) {
    case 'customer.message':
      next.channel ??= body.channel;
      if (!next.customerLabel) next.customerLabel = body.customerLabel;
      if (next.status === 'resolved') next.status = 'ai';
      next.unansweredSinceSeq ??= event.seq;
      recordMessage(body.text);
      break;
    case 'staff.message':
      if (next.status !== 'human') {
        next.status = 'human';
        next.holder = body.authorName;
      }
      next.unansweredSinceSeq = null;
      recordMessage(body.text);
      break;
    case 'ai.message':
      next.unansweredSinceSeq = null;
      recordMessage(body.text);
      break;
    case 'auto.message':
      next.autoReplied = true;
      recordMessage(body.text);
      break;
    case 'conversation.takeover':
      next.status = 'human';
      next.holder = body.staffName;
      break;
    case 'conversation.handback':
      next.status = 'ai';
      next.holder = null;
      break;
    case 'conversation.resolve':
      next.status = 'resolved';
      next.holder = null;
      next.unansweredSinceSeq = null;
      break;
    case 'conversation.handoff':
      next.status = 'needs_human';
      next.holder = null;
      break;
    case 'conversation.assign':
      next.status = 'human';
      next.holder = body.assigneeName;
      break;
    case 'conversation.reopen':
      next.status = 'needs_human';
      next.holder = null;
      break;
    case 'customer.corrected':
      next.customerLabel = body.customerLabel;
      break;
    case 'conversation.note':
    case 'conversation.rejected':
      break;
  }
  return next;
}
