import { randomUUID } from 'node:crypto';
import type { AgentDecision, PlaygroundConversation, PlaygroundTurn } from '../../shared/schemas/agent.js';
import type { SessionService, TenantSession } from '../vault/index.js';

/** Bounds so a playground left open all day cannot grow without limit. */
const maximumConversations = 50;
const maximumTurns = 400;

/**
 * Test conversations with the agent, kept in memory for the unlocked session only: they are
 * experiments, not customer data, and vanish on lock.
 */
export class Playground implements SessionService {
  readonly #conversations = new Map<string, PlaygroundTurn[]>();

  start(greeting: string): PlaygroundConversation {
    if (this.#conversations.size >= maximumConversations) {
      const oldest = this.#conversations.keys().next().value;
      if (oldest !== undefined) this.#conversations.delete(oldest);
    }
    const conversationId = randomUUID();
    this.#conversations.set(conversationId, greeting ? [{ role: 'ai', text: greeting }] : []);
    return this.conversation(conversationId);
  }

  conversation(conversationId: string): PlaygroundConversation {
    return { conversationId, turns: [...(this.#conversations.get(conversationId) ?? [])] };
  }

  /** The turns before a new customer message, created on first use so any id the UI holds works. */
  turns(conversationId: string): PlaygroundTurn[] {
    let turns = this.#conversations.get(conversationId);
    if (!turns) {
      turns = [];
      this.#conversations.set(conversationId, turns);
    }
    return turns;
  }

  record(conversationId: string, customerText: string, decision: AgentDecision): PlaygroundConversation {
    const turns = this.turns(conversationId);
    turns.push({ role: 'customer', text: customerText }, { role: 'ai', text: decision.reply, decision });
    if (turns.length > maximumTurns) turns.splice(0, turns.length - maximumTurns);
    return this.conversation(conversationId);
  }

  reset(conversationId: string): void {
    this.#conversations.delete(conversationId);
  }

  dispose(): void {
    this.#conversations.clear();
  }
}

export function playgroundOf(session: TenantSession): Playground {
  return session.service('agent.playground', () => new Playground());
}
