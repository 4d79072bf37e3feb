import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import type { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import type { TenantSession } from '../vault/index.js';
import { syncServiceFor } from './sessionSync.js';
import { relayFailure } from './trpcRelayTransport.js';

/** An HTTP tRPC client of the relay, authenticated with this tenant's device token when given. */
export type RelayApi = ReturnType<typeof createTRPCUntypedClient>;

export function relayApi(relayUrl: string, deviceToken?: string): RelayApi {
  const headers = (): Record<string, string> => (deviceToken ? { Authorization: `Bearer ${deviceToken}` } : {});
  return createTRPCUntypedClient({ links: [httpLink({ url: `${relayUrl}/trpc`, headers })] });
}

/** The relay credentials the sync engine uses, read from the encrypted tenant database. */
export function relayConnectionOf(session: TenantSession): { relayUrl: string; deviceToken: string } {
  const connection = syncServiceFor(session).store.connection();
  if (!connection) throw new AresError('RELAY_UNREACHABLE', 'Connect this tenant to a relay first (Relay settings).');
  return connection;
}

/** Calls a relay procedure; failures become readable AresErrors and answers are validated. */
export async function callRelay<T>(client: RelayApi, kind: 'query' | 'mutation', path: string, input: unknown, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    value = kind === 'query' ? await client.query(path, input) : await client.mutation(path, input);
  } catch (error) {
    throw relayFailure(error);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AresError('RELAY_UNREACHABLE', 'The relay answered with something this app does not understand. Is it the same version?');
  return parsed.data;
}
