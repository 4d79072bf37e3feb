import { describe, expect, it } from 'vitest';
import type { EventBody, LoggedEvent } from '../schemas/sync.js';
import { applyConversationEvent, emptyConversation, raceRejection, type ConversationState } from './conversationState.js';

let seq = 0;
const logged = (body: EventBody): LoggedEvent => ({ eventId: crypto.randomUUID(), conversationId: 'c', occurredAt: 0, seq: ++seq, acceptedAt: seq, body });
const fold = (...bodies: EventBody[]): ConversationState => bodies.reduce((state, body) => applyConversationEvent(state, logged(body)), emptyConversation('c'));
const customer: EventBody = { type: 'customer.message', messageId: 'm1', channel: 'web', customerLabel: 'Zoe', text: 'Hello' };
const aiReply: EventBody = { type: 'ai.message', messageId: 'a1', text: 'Hi!' };

describe('hand-off, assignment and reopening in the conversation fold', () => {
  it('moves AI → needs human on hand-off, → human on assignment, resolved → needs human on reopen', () => {
    expect(fold(customer, { type: 'conversation.handoff', reason: 'customer_request', note: 'asked for a person' })).toMatchObject({ status: 'needs_human', holder: null });
    expect(fold(customer, { type: 'conversation.assign', staffName: 'Ann', assigneeName: 'Bo' })).toMatchObject({ status: 'human', holder: 'Bo' });
    expect(fold(customer, { type: 'conversation.resolve', staffName: 'Ann' }, { type: 'conversation.reopen', staffName: 'Ann' })).toMatchObject({ status: 'needs_human', holder: null });
  });

  it('lets the AI speak only in AI mode, so a reply written before a take-over is refused after it', () => {
    expect(raceRejection(fold(customer), aiReply)).toBeNull();
    expect(raceRejection(fold(customer, { type: 'conversation.takeover', staffName: 'Ann' }), aiReply)).toMatch(/Ann has taken over/);
    expect(raceRejection(fold(customer, { type: 'conversation.handoff', reason: 'low_confidence', note: '' }), { type: 'conversation.handoff', reason: 'low_confidence', note: '' })).toMatch(/not in AI mode/);
    expect(raceRejection(fold(customer, { type: 'conversation.resolve', staffName: 'Ann' }), aiReply)).not.toBeNull();
    // After hand-back the AI may speak again (the hand-back notice, then answers).
    expect(raceRejection(fold(customer, { type: 'conversation.takeover', staffName: 'Ann' }, { type: 'conversation.handback', staffName: 'Ann' }), aiReply)).toBeNull();
  });

  it('refuses assigning a conversation someone else holds', () => {
    const held = fold(customer, { type: 'conversation.takeover', staffName: 'Ann' });
    expect(raceRejection(held, { type: 'conversation.assign', staffName: 'Bo', assigneeName: 'Bo' })).toMatch(/Ann holds/);
    expect(raceRejection(held, { type: 'conversation.assign', staffName: 'Ann', assigneeName: 'Bo' })).toBeNull();
  });
});
