import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import type { SyncService } from '../sync/index.js';

const operatorsSchema = z.array(z.object({ name: z.string() }).loose());

/**
 * The tenant's operators at the relay, for "assign to a colleague". A plain HTTP GET of the relay's
 * tRPC query (validated here); offline, staff can still type a name.
 */
export async function colleagueNames(sync: SyncService): Promise<string[]> {
  const connection = sync.store.connection();
  if (!connection) return [];
  try {
    const response = await fetch(`${connection.relayUrl}/trpc/account.operators`, { headers: { Authorization: `Bearer ${connection.deviceToken}` }, signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new AresError('RELAY_UNREACHABLE');
    const body = (await response.json()) as { result?: { data?: unknown } };
    const operators = operatorsSchema.parse(body.result?.data);
    return operators.map((operator) => operator.name).sort((a, b) => a.localeCompare(b));
  } catch {
    return [];
  }
}
