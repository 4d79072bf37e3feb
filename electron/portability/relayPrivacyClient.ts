import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import { accountClosureSchema, relayAuditEntrySchema, relayRetentionStatusSchema, type RelayRetentionRules } from '../../shared/schemas/relayPrivacy.js';
import { relayFailure } from '../sync/trpcRelayTransport.js';
import { syncServiceFor } from '../sync/index.js';
import type { TenantSession } from '../vault/index.js';

type Client = ReturnType<typeof createTRPCUntypedClient>;

async function call<T>(client: Client, kind: 'query' | 'mutation', path: string, input: unknown, schema: z.ZodType<T>): Promise<T> {
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

/**
 * The relay's `privacy.*` procedures (retention there, closing the account, its audit trail), called
 * with this tenant's device token. The relay checks roles: only the owner may close the account.
 */
export class RelayPrivacyClient {
  readonly #client: Client;

  constructor(relayUrl: string, deviceToken: string) {
    this.#client = createTRPCUntypedClient({ links: [httpLink({ url: `${relayUrl}/trpc`, headers: () => ({ Authorization: `Bearer ${deviceToken}` }) })] });
  }

  static forSession(session: TenantSession): RelayPrivacyClient {
    const connection = syncServiceFor(session).store.connection();
    if (!connection) throw new AresError('RELAY_UNREACHABLE', 'Connect this tenant to a relay first (Relay settings).');
    return new RelayPrivacyClient(connection.relayUrl, connection.deviceToken);
  }

  retention() {
    return call(this.#client, 'query', 'privacy.retention', undefined, relayRetentionStatusSchema);
  }

  setRetention(rules: RelayRetentionRules) {
    return call(this.#client, 'mutation', 'privacy.setRetention', rules, relayRetentionStatusSchema);
  }

  closure() {
    return call(this.#client, 'query', 'privacy.closure', undefined, accountClosureSchema);
  }

  closeAccount(graceDays: number) {
    return call(this.#client, 'mutation', 'privacy.closeAccount', { graceDays, confirm: 'CLOSE' }, accountClosureSchema);
  }

  cancelClosure() {
    return call(this.#client, 'mutation', 'privacy.cancelClosure', undefined, accountClosureSchema);
  }

  audit() {
    return call(this.#client, 'query', 'privacy.audit', undefined, z.array(relayAuditEntrySchema));
  }
}
