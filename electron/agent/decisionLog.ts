import type { AgentDecision } from '../../shared/schemas/agent.js';
import type { TenantDatabase } from '../vault/index.js';

/** Keeps every decision with what it used; `conversationId` is null for playground and CLI questions. */
export function recordDecision(database: TenantDatabase, decision: AgentDecision, conversationId: string | null): void {
  database
    .prepare(
      `insert into agent_decisions (id, conversation_id, decided_at, outcome, hand_off_reason, confidence, model, question, record)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(decision.id, conversationId, decision.decidedAt, decision.outcome, decision.handOffReason, decision.confidence, decision.model, decision.question, JSON.stringify(decision));
}

export function readDecision(database: TenantDatabase, decisionId: string): AgentDecision | null {
  const row = database.prepare('select record from agent_decisions where id = ?').get(decisionId) as { record: string } | undefined;
  return row ? (JSON.parse(row.record) as AgentDecision) : null;
}

export function conversationDecisions(database: TenantDatabase, conversationId: string, limit = 200): AgentDecision[] {
  const rows = database
    .prepare('select record from agent_decisions where conversation_id = ? order by decided_at desc limit ?')
    .all(conversationId, limit) as { record: string }[];
  return rows.map((row) => JSON.parse(row.record) as AgentDecision).reverse();
}
