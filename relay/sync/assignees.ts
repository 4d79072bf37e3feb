import type { EventBody } from '../../shared/schemas/sync.js';
import type { RelayStorage } from '../storage/relayStorage.js';

/**
 * Who a conversation may be assigned to: the tenant's operators. Without this check a desktop could
 * push an assignment to a typo or a made-up name, and the conversation would sit under nobody's "Mine".
 */
export interface Assignees {
  active: ReadonlySet<string>;
  invited: ReadonlySet<string>;
}

/** Read once per push and only when it assigns (outside the log transaction, which reads only the log). */
export async function assigneesFor(storage: RelayStorage, tenantId: string, bodies: readonly EventBody[]): Promise<Assignees | null> {
  if (!bodies.some((body) => body.type === 'conversation.assign')) return null;
  const operators = await storage.operators(tenantId);
  return {
    active: new Set(operators.filter((operator) => operator.passwordHash !== null).map((operator) => operator.name)),
    invited: new Set(operators.filter((operator) => operator.passwordHash === null).map((operator) => operator.name)),
  };
}

export function assigneeRejection(body: EventBody, assignees: Assignees | null): string | null {
  if (body.type !== 'conversation.assign' || !assignees || assignees.active.has(body.assigneeName)) return null;
  if (assignees.invited.has(body.assigneeName)) return `${body.assigneeName} has not accepted their invitation yet, so the conversation cannot be assigned to them.`;
  return `Nobody called "${body.assigneeName}" works for this business on the relay; choose a colleague from the team list.`;
}
