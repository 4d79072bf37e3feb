import { EventEmitter, on } from 'node:events';
import {
  askInput,
  decisionIdInput,
  playgroundConversationInput,
  playgroundSendInput,
  updateAgentSettingsInput,
  type AgentDecision,
  type AgentStreamEvent,
  type ConversationMessage,
  type PlaygroundConversation,
} from '../../shared/schemas/agent.js';
import { AresError } from '../../shared/errors.js';
import { router, tenantProcedure } from '../core/trpc.js';
import type { TenantSession } from '../vault/index.js';
import { agentSettingsView, readAgentSettings, writeAgentSettings, writeApiKey } from './agentSettingsStore.js';
import { readDecision } from './decisionLog.js';
import { answerConversation } from './answerConversation.js';
import { playgroundOf } from './playground.js';

function playgroundHistory(session: TenantSession, conversationId: string): ConversationMessage[] {
  // The greeting shown when a test conversation starts is not a reply, so it does not count as an AI turn.
  return playgroundOf(session)
    .turns(conversationId)
    .filter((turn) => turn.role !== 'ai' || turn.decision)
    .map((turn) => ({ role: turn.role, text: turn.text }));
}

export const agentRouter = router({
  settings: tenantProcedure.query(({ ctx }) => agentSettingsView(ctx.session.database)),

  updateSettings: tenantProcedure.input(updateAgentSettingsInput).mutation(({ ctx, input }) => {
    const database = ctx.session.database;
    database.transaction(() => {
      writeAgentSettings(database, input.settings);
      if (input.clearApiKey) writeApiKey(database, null);
      else if (input.apiKey !== undefined) writeApiKey(database, input.apiKey);
    })();
    return agentSettingsView(database);
  }),

  /** One question, as `ares ask` runs it: the decision, the reply and what it used. */
  ask: tenantProcedure.input(askInput).mutation(({ ctx, input }) =>
    answerConversation(ctx.session, [...input.history, { role: 'customer', text: input.question }], { dataDirectory: ctx.core.vault.dataDirectory }),
  ),

  decision: tenantProcedure.input(decisionIdInput).query(({ ctx, input }) => {
    const decision = readDecision(ctx.session.database, input.decisionId);
    if (!decision) throw new AresError('NOT_FOUND', 'That decision does not exist.');
    return decision;
  }),

  playground: router({
    start: tenantProcedure.mutation(({ ctx }): PlaygroundConversation => playgroundOf(ctx.session).start(readAgentSettings(ctx.session.database).greeting)),

    conversation: tenantProcedure.input(playgroundConversationInput).query(({ ctx, input }) => playgroundOf(ctx.session).conversation(input.conversationId)),

    send: tenantProcedure.input(playgroundSendInput).mutation(async ({ ctx, input }) => {
      const history = playgroundHistory(ctx.session, input.conversationId);
      const decision = await answerConversation(ctx.session, [...history, { role: 'customer', text: input.text }], { dataDirectory: ctx.core.vault.dataDirectory });
      return playgroundOf(ctx.session).record(input.conversationId, input.text, decision);
    }),

    /** The same as `send`, streaming a model's words as they arrive and ending with the decision. */
    stream: tenantProcedure.input(playgroundSendInput).subscription(async function* ({ ctx, input, signal }) {
      const events = new EventEmitter();
      const history = playgroundHistory(ctx.session, input.conversationId);
      const session = ctx.session;
      const running = answerConversation(session, [...history, { role: 'customer', text: input.text }], {
        dataDirectory: ctx.core.vault.dataDirectory,
        onToken: (text) => events.emit('event', { type: 'token', text } satisfies AgentStreamEvent),
        ...(signal ? { signal } : {}),
      }).then(
        (decision: AgentDecision) => {
          playgroundOf(session).record(input.conversationId, input.text, decision);
          events.emit('event', { type: 'decision', decision } satisfies AgentStreamEvent);
        },
        (error: unknown) => events.emit('failed', error),
      );
      const failed = new Promise<never>((_, reject) => events.once('failed', reject));
      failed.catch(() => undefined);
      const iterator = on(events, 'event', ...(signal ? [{ signal }] : []));
      try {
        for (;;) {
          const next = await Promise.race([iterator.next(), failed]);
          if (next.done) return;
          const [event] = next.value as [AgentStreamEvent];
          yield event;
          if (event.type === 'decision') return;
        }
      } finally {
        await iterator.return?.();
        await running;
      }
    }),

    reset: tenantProcedure.input(playgroundConversationInput).mutation(({ ctx, input }) => {
      playgroundOf(ctx.session).reset(input.conversationId);
    }),
  }),
});
