import { z } from 'zod';
import { signedInSchema, type OperatorRole, type SignedIn } from '../../shared/schemas/relayAccounts.js';
import { relayDeviceSchema, relayTenantSettingsSchema, staffMemberSchema } from '../../shared/schemas/relayTeam.js';
import { callRelay, relayApi, relayConnectionOf, type RelayApi } from '../sync/relayApi.js';
import type { TenantSession } from '../vault/index.js';

/**
 * The relay's `account.*` procedures for team management, called with this tenant's device token
 * (the credentials the sync engine uses, read from the encrypted database). The relay checks the
 * role; a FORBIDDEN answer comes back as a readable AresError.
 */
export class RelayTeamClient {
  readonly #client: RelayApi;

  constructor(relayUrl: string, deviceToken: string) {
    this.#client = relayApi(relayUrl, deviceToken);
  }

  static forSession(session: TenantSession): RelayTeamClient {
    const connection = relayConnectionOf(session);
    return new RelayTeamClient(connection.relayUrl, connection.deviceToken);
  }

  invite(email: string, role: OperatorRole) {
    return callRelay(this.#client, 'mutation', 'account.invite', { email, role }, z.object({ operatorId: z.string(), inviteCode: z.string() }));
  }

  staff() {
    return callRelay(this.#client, 'query', 'account.operators', undefined, z.array(staffMemberSchema));
  }

  devices() {
    return callRelay(this.#client, 'query', 'account.devices', undefined, z.array(relayDeviceSchema));
  }

  async revokeDevice(deviceId: string): Promise<void> {
    await callRelay(this.#client, 'mutation', 'account.revokeDevice', { id: deviceId }, z.unknown());
  }

  async removeStaff(operatorId: string): Promise<void> {
    await callRelay(this.#client, 'mutation', 'account.removeOperator', { id: operatorId }, z.unknown());
  }

  settings() {
    return callRelay(this.#client, 'query', 'account.settings', undefined, relayTenantSettingsSchema);
  }

  async updateSettings(input: { autoReplyAfterSeconds: number | null; autoReplyText: string }): Promise<void> {
    await callRelay(this.#client, 'mutation', 'account.updateSettings', input, z.unknown());
  }
}

/** Accepting an invitation is public (the code is the credential): it creates the account and this device. */
export function acceptInvitationAtRelay(relayUrl: string, input: { inviteCode: string; name: string; password: string; deviceName: string }): Promise<SignedIn> {
  return callRelay(relayApi(relayUrl), 'mutation', 'account.acceptInvitation', input, signedInSchema);
}
