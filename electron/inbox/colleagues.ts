import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import type { SyncService } from '../sync/index.js';

const operatorsSchema = z.array(z.object({ name: z.string(), invitationPending: z.boolean().optional() }).loose());

/**
 * The tenant's operators at the relay who can hold a conversation (invitations not yet accepted are
 * left out), for "assign to a colleague". A plain HTTP GET of the relay's tRPC query (validated
 * here); offline the list is empty and staff can still type a name.
 */
export async function colleagueNames(sync: SyncService, timeoutMilliseconds = 5_000): Promise<string[]> {
  const connection = sync.store.connection();
  if (!connection) return [];
  try {
    const response = await fetch(`${connection.relayUrl}/trpc/account.operators`, { headers: { Authorization: `Bearer ${connection.deviceToken}` }, signal: AbortSignal.timeout(timeoutMilliseconds) });
    if (!response.ok) throw new AresError('RELAY_UNREACHABLE');
    const body = (await response.json()) as { result?: { data?: unknown } };
    const operators = operatorsSchema.parse(body.result?.data);
    return operators
      .filter((operator) => operator.invitationPending !== true)
      .map((operator) => operator.name)
      .sort((a, b) => a.localeCompare(b));
  } catch {
    return [];
  }
}

/**
 * Refuses at once an assignee who is not on the team, when the relay can say who is. Offline the
 * assignment goes into the outbox and the relay, which checks every assignment, rejects it visibly.
 */
export async function checkAssignee(sync: SyncService, assigneeName: string): Promise<void> {
  // Short: an assignment should not wait long on a relay that hangs; the relay checks it anyway.
  const colleagues = await colleagueNames(sync, 2_000);
  if (colleagues.length > 0 && !colleagues.includes(assigneeName)) {
    throw new AresError('NOT_FOUND', `Nobody called "${assigneeName}" is on your team. Choose one of: ${colleagues.slice(0, 10).join(', ')}${colleagues.length > 10 ? ', …' : ''}.`);
  }
}
