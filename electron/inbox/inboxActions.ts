import { timeOrderedId } from '../../shared/timeOrderedId.js';
import { AresError } from '../../shared/errors.js';
import type { EventBody } from '../../shared/schemas/sync.js';
import type { ConversationState } from '../../shared/sync/conversationState.js';
import { agentSettings } from '../agent/index.js';
import { currentConversationState } from '../agentRunner/conversationView.js';
import { runningAgentRunner } from '../agentRunner/sessionAgentRunner.js';
import { syncServiceFor } from '../sync/index.js';
import type { TenantSession } from '../vault/index.js';
import { saveDraft } from './composerStore.js';

/**
 * Staff actions on a live conversation. Each writes events to the outbox (shown at once, pushed
 * when online); the checks here only spare staff an obvious mistake: who wins a race is decided by
 * the relay in seq order, and a loser sees the rejection in the conversation.
 */
export interface ActionResult {
  eventIds: string[];
  state: ConversationState;
}

function current(session: TenantSession, conversationId: string): ConversationState {
  const state = currentConversationState(session.database, conversationId, syncServiceFor(session).store.unconfirmedEvents(conversationId));
  if (!state) throw new AresError('NOT_FOUND', 'No such conversation.');
  return state;
}

function write(session: TenantSession, conversationId: string, bodies: EventBody[]): ActionResult {
  const sync = syncServiceFor(session);
  const eventIds: string[] = [];
  for (const body of bodies) {
    const eventId = timeOrderedId();
    sync.record({ eventId, conversationId, occurredAt: Date.now(), body });
    eventIds.push(eventId);
  }
  return { eventIds, state: current(session, conversationId) };
}

const staffName = (session: TenantSession) => syncServiceFor(session).staffName();

/** The AI stops for this conversation at once, including an answer it is writing right now. */
export function takeOver(session: TenantSession, conversationId: string): ActionResult {
  const state = current(session, conversationId);
  const me = staffName(session);
  if (state.status === 'human' && state.holder && state.holder !== me) throw new AresError('CONFLICT', `${state.holder} has already taken over this conversation.`);
  runningAgentRunner(session)?.stopConversation(conversationId);
  if (state.status === 'human' && state.holder === me) return { eventIds: [], state };
  return write(session, conversationId, [{ type: 'conversation.takeover', staffName: me }]);
}

/** A staff reply; replying to a conversation the AI or nobody holds takes it over. */
export function reply(session: TenantSession, conversationId: string, text: string): ActionResult {
  const state = current(session, conversationId);
  const me = staffName(session);
  if (state.status === 'human' && state.holder && state.holder !== me) throw new AresError('CONFLICT', `${state.holder} holds this conversation. Ask them, or add a private note.`);
  runningAgentRunner(session)?.stopConversation(conversationId);
  const bodies: EventBody[] = [];
  if (state.status !== 'human') bodies.push({ type: 'conversation.takeover', staffName: me });
  bodies.push({ type: 'staff.message', messageId: `staff:${timeOrderedId()}`, authorName: me, text });
  const result = write(session, conversationId, bodies);
  saveDraft(session.database, conversationId, '', Date.now());
  return result;
}

/** Back to the AI; the customer is told they are talking to the automated assistant again. */
export function handBack(session: TenantSession, conversationId: string): ActionResult {
  const state = current(session, conversationId);
  const me = staffName(session);
  if (state.status === 'ai') throw new AresError('INVALID_INPUT', 'The AI already handles this conversation.');
  if (state.holder && state.holder !== me) throw new AresError('CONFLICT', `${state.holder} holds this conversation; only they can hand it back.`);
  const notice = agentSettings(session).handOff.handBackMessage;
  return write(session, conversationId, [
    { type: 'conversation.handback', staffName: me },
    { type: 'ai.message', messageId: `ai:${timeOrderedId()}`, text: notice },
  ]);
}

export function resolve(session: TenantSession, conversationId: string): ActionResult {
  const state = current(session, conversationId);
  if (state.status === 'resolved') throw new AresError('INVALID_INPUT', 'This conversation is already resolved.');
  runningAgentRunner(session)?.stopConversation(conversationId);
  return write(session, conversationId, [{ type: 'conversation.resolve', staffName: staffName(session) }]);
}

export function reopen(session: TenantSession, conversationId: string): ActionResult {
  const state = current(session, conversationId);
  if (state.status !== 'resolved') throw new AresError('INVALID_INPUT', 'Only a resolved conversation can be reopened.');
  return write(session, conversationId, [{ type: 'conversation.reopen', staffName: staffName(session) }]);
}

export function assign(session: TenantSession, conversationId: string, assigneeName: string): ActionResult {
  const state = current(session, conversationId);
  const me = staffName(session);
  if (state.holder && state.holder !== me) throw new AresError('CONFLICT', `${state.holder} holds this conversation; only they can assign it.`);
  if (state.holder === assigneeName) throw new AresError('INVALID_INPUT', `${assigneeName} already has this conversation.`);
  runningAgentRunner(session)?.stopConversation(conversationId);
  return write(session, conversationId, [{ type: 'conversation.assign', staffName: me, assigneeName }]);
}

/** A private note: staff see it, the customer never does (the relay's channels do not send notes). */
export function addNote(session: TenantSession, conversationId: string, text: string): ActionResult {
  current(session, conversationId);
  return write(session, conversationId, [{ type: 'conversation.note', authorName: staffName(session), text }]);
}
