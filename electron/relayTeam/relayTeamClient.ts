import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import { z } from 'zod';
import { AresError } from '../../shared/errors.js';
import { signedInSchema, type OperatorRole, type SignedIn } from '../../shared/schemas/relayAccounts.js';
import { relayDeviceSchema, relayTenantSettingsSchema, staffMemberSchema } from '../../shared/schemas/relayTeam.js';
import { syncServiceFor } from '../sync/index.js';
import { relayFailure } from '../sync/trpcRelayTransport.js';
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
 * The relay's `account.*` procedures for team management, called with this tenant's device token
 * (the credentials the sync engine uses, read from the encrypted database). The relay checks the
 * role; a FORBIDDEN answer comes back as a readable AresError.
 */
export class RelayTeamClient {
  readonly #client: Client;

  constructor(relayUrl: string, deviceToken: string) {
    this.#client = createTRPCUntypedClient({ links: [httpLink({ url: `${relayUrl}/trpc`, headers: () => ({ Authorization: `Bearer ${deviceToken}` }) })] });
  }

  static forSession(session: TenantSession): RelayTeamClient {
    const connection = syncServiceFor(session).store.connection();
    if (!connection) throw new AresError('RELAY_UNREACHABLE', 'Connect this tenant to a relay first (Relay settings).');
    return new RelayTeamClient(connection.relayUrl, connection.deviceToken);
  }

  invite(email: string, role: OperatorRole) {
    return call(this.#client, 'mutation', 'account.invite', { email, role }, z.object({ operatorId: z.string(), inviteCode: z.string() }));
  }

  staff() {
    return call(this.#client, 'query', 'account.operators', undefined, z.array(staffMemberSchema));
  }

  devices() {
    return call(this.#client, 'query', 'account.devices', undefined, z.array(relayDeviceSchema));
  }

  async revokeDevice(deviceId: string): Promise<void> {
    await call(this.#client, 'mutation', 'account.revokeDevice', { id: deviceId }, z.unknown());
  }

  settings() {
    return call(this.#client, 'query', 'account.settings', undefined, relayTenantSettingsSchema);
  }

  async updateSettings(input: { autoReplyAfterSeconds: number | null; autoReplyText: string }): Promise<void> {
    await call(this.#client, 'mutation', 'account.updateSettings', input, z.unknown());
  }
}

/** Accepting an invitation is public (the code is the credential): it creates the account and this device. */
export function acceptInvitationAtRelay(relayUrl: string, input: { inviteCode: string; name: string; password: string; deviceName: string }): Promise<SignedIn> {
  const client = createTRPCUntypedClient({ links: [httpLink({ url: `${relayUrl}/trpc` })] });
  return call(client, 'mutation', 'account.acceptInvitation', input, signedInSchema);
}
